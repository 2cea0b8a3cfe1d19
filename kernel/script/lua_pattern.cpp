// string.find / match / gmatch / gsub with Lua 5.1 pattern semantics, written
// for the sandbox: every matching step is charged to the call's budget, so a
// catastrophic pattern ("(.-)(.-)(.-)b" on a long subject) ends with a budget
// error instead of running for seconds inside C where no hook can fire.
#include <cctype>
#include <cstring>

#include "script/lua_internal.hpp"

namespace till::script::detail {

namespace {

constexpr int kMaxCaptures = 32;
constexpr int kMaxDepth = 200;
constexpr std::ptrdiff_t kCapUnfinished = -1;
constexpr std::ptrdiff_t kCapPosition = -2;
constexpr std::int64_t kChargeEvery = 256;
constexpr char kSpecials[] = "^$*+?.([%-";

struct MatchState {
    const char* src_init;
    const char* src_end;
    const char* p_end;
    lua_State* L;
    int level;
    int depth;
    std::int64_t steps;
    struct {
        const char* init;
        std::ptrdiff_t len;
    } capture[kMaxCaptures];
};

inline void step(MatchState* ms) {
    if (++ms->steps % kChargeEvery == 0) charge_steps(ms->L, kChargeEvery);
}

inline int uchar(char c) { return static_cast<unsigned char>(c); }

int check_capture(MatchState* ms, int l) {
    l -= '1';
    if (l < 0 || l >= ms->level || ms->capture[l].len == kCapUnfinished)
        return luaL_error(ms->L, "invalid capture index");
    return l;
}

int capture_to_close(MatchState* ms) {
    int level = ms->level;
    for (level--; level >= 0; level--)
        if (ms->capture[level].len == kCapUnfinished) return level;
    return luaL_error(ms->L, "invalid pattern capture");
}

const char* class_end(MatchState* ms, const char* p) {
    switch (*p++) {
    case '%':
        if (p >= ms->p_end) luaL_error(ms->L, "malformed pattern (ends with '%%')");
        return p + 1;
    case '[':
        if (*p == '^') p++;
        do {
            if (p >= ms->p_end) luaL_error(ms->L, "malformed pattern (missing ']')");
            if (*(p++) == '%' && p < ms->p_end) p++;
        } while (*p != ']');
        return p + 1;
    default: return p;
    }
}

bool match_class(int c, int cl) {
    bool res;
    switch (std::tolower(cl)) {
    case 'a': res = std::isalpha(c); break;
    case 'c': res = std::iscntrl(c); break;
    case 'd': res = std::isdigit(c); break;
    case 'l': res = std::islower(c); break;
    case 'p': res = std::ispunct(c); break;
    case 's': res = std::isspace(c); break;
    case 'u': res = std::isupper(c); break;
    case 'w': res = std::isalnum(c); break;
    case 'x': res = std::isxdigit(c); break;
    case 'z': res = (c == 0); break;
    default: return cl == c;
    }
    return std::isupper(cl) ? !res : res;
}

bool match_bracket_class(int c, const char* p, const char* ec) {
    bool sig = true;
    if (*(p + 1) == '^') {
        sig = false;
        p++;
    }
    while (++p < ec) {
        if (*p == '%') {
            p++;
            if (match_class(c, uchar(*p))) return sig;
        } else if (*(p + 1) == '-' && p + 2 < ec) {
            p += 2;
            if (uchar(*(p - 2)) <= c && c <= uchar(*p)) return sig;
        } else if (uchar(*p) == c) {
            return sig;
        }
    }
    return !sig;
}

bool single_match(int c, const char* p, const char* ep) {
    switch (*p) {
    case '.': return true;
    case '%': return match_class(c, uchar(*(p + 1)));
    case '[': return match_bracket_class(c, p, ep - 1);
    default: return uchar(*p) == c;
    }
}

const char* do_match(MatchState* ms, const char* s, const char* p);

const char* match_balance(MatchState* ms, const char* s, const char* p) {
    if (p + 1 >= ms->p_end) luaL_error(ms->L, "missing arguments to '%%b'");
    if (s >= ms->src_end || *s != *p) return nullptr;
    int b = *p, e = *(p + 1), cont = 1;
    while (++s < ms->src_end) {
        step(ms);
        if (*s == e) {
            if (--cont == 0) return s + 1;
        } else if (*s == b) {
            cont++;
        }
    }
    return nullptr;
}

const char* max_expand(MatchState* ms, const char* s, const char* p, const char* ep) {
    std::ptrdiff_t i = 0;
    while (s + i < ms->src_end && single_match(uchar(*(s + i)), p, ep)) {
        step(ms);
        i++;
    }
    while (i >= 0) {
        const char* res = do_match(ms, s + i, ep + 1);
        if (res) return res;
        i--;
    }
    return nullptr;
}

const char* min_expand(MatchState* ms, const char* s, const char* p, const char* ep) {
    for (;;) {
        const char* res = do_match(ms, s, ep + 1);
        if (res) return res;
        if (s < ms->src_end && single_match(uchar(*s), p, ep)) s++;
        else return nullptr;
    }
}

const char* start_capture(MatchState* ms, const char* s, const char* p, std::ptrdiff_t what) {
    if (ms->level >= kMaxCaptures) luaL_error(ms->L, "too many captures");
    ms->capture[ms->level].init = s;
    ms->capture[ms->level].len = what;
    ms->level++;
    const char* res = do_match(ms, s, p);
    if (!res) ms->level--;
    return res;
}

const char* end_capture(MatchState* ms, const char* s, const char* p) {
    int l = capture_to_close(ms);
    ms->capture[l].len = s - ms->capture[l].init;
    const char* res = do_match(ms, s, p);
    if (!res) ms->capture[l].len = kCapUnfinished;
    return res;
}

const char* match_capture(MatchState* ms, const char* s, int l) {
    l = check_capture(ms, l);
    auto len = static_cast<std::size_t>(ms->capture[l].len);
    if (static_cast<std::size_t>(ms->src_end - s) >= len && std::memcmp(ms->capture[l].init, s, len) == 0)
        return s + len;
    return nullptr;
}

struct DepthGuard {
    MatchState* ms;
    explicit DepthGuard(MatchState* m) : ms(m) {
        if (++ms->depth > kMaxDepth) luaL_error(ms->L, "pattern too complex");
    }
    ~DepthGuard() { ms->depth--; }
};

const char* do_match(MatchState* ms, const char* s, const char* p) {
    DepthGuard guard(ms);
    for (;;) {
        step(ms);
        if (p >= ms->p_end) return s;
        switch (*p) {
        case '(':
            if (p + 1 < ms->p_end && *(p + 1) == ')') return start_capture(ms, s, p + 2, kCapPosition);
            return start_capture(ms, s, p + 1, kCapUnfinished);
        case ')': return end_capture(ms, s, p + 1);
        case '$':
            if (p + 1 == ms->p_end) return (s == ms->src_end) ? s : nullptr;
            break;
        case '%':
            if (p + 1 < ms->p_end && *(p + 1) == 'b') {
                s = match_balance(ms, s, p + 2);
                if (!s) return nullptr;
                p += 4;
                continue;
            }
            if (p + 1 < ms->p_end && *(p + 1) == 'f') {
                p += 2;
                if (*p != '[') luaL_error(ms->L, "missing '[' after '%%f' in pattern");
                const char* ep = class_end(ms, p);
                int prev = (s == ms->src_init) ? 0 : uchar(*(s - 1));
                int cur = (s < ms->src_end) ? uchar(*s) : 0;
                if (!match_bracket_class(prev, p, ep - 1) && match_bracket_class(cur, p, ep - 1)) {
                    p = ep;
                    continue;
                }
                return nullptr;
            }
            if (p + 1 < ms->p_end && std::isdigit(uchar(*(p + 1)))) {
                s = match_capture(ms, s, uchar(*(p + 1)));
                if (!s) return nullptr;
                p += 2;
                continue;
            }
            break;
        default: break;
        }
        const char* ep = class_end(ms, p);
        bool m = s < ms->src_end && single_match(uchar(*s), p, ep);
        char next = ep < ms->p_end ? *ep : '\0';
        switch (next) {
        case '?': {
            if (m) {
                const char* res = do_match(ms, s + 1, ep + 1);
                if (res) return res;
            }
            p = ep + 1;
            continue;
        }
        case '*': return max_expand(ms, s, p, ep);
        case '+': return m ? max_expand(ms, s + 1, p, ep) : nullptr;
        case '-': return min_expand(ms, s, p, ep);
        default:
            if (!m) return nullptr;
            s++;
            p = ep;
            continue;
        }
    }
}

void push_onecapture(MatchState* ms, int i, const char* s, const char* e) {
    if (i >= ms->level) {
        if (i == 0) lua_pushlstring(ms->L, s, static_cast<std::size_t>(e - s));
        else luaL_error(ms->L, "invalid capture index");
        return;
    }
    std::ptrdiff_t l = ms->capture[i].len;
    if (l == kCapUnfinished) luaL_error(ms->L, "unfinished capture");
    if (l == kCapPosition) lua_pushinteger(ms->L, ms->capture[i].init - ms->src_init + 1);
    else lua_pushlstring(ms->L, ms->capture[i].init, static_cast<std::size_t>(l));
}

int push_captures(MatchState* ms, const char* s, const char* e) {
    int nlevels = (ms->level == 0 && s) ? 1 : ms->level;
    luaL_checkstack(ms->L, nlevels, "too many captures");
    for (int i = 0; i < nlevels; i++) push_onecapture(ms, i, s, e);
    return nlevels;
}

void init_state(MatchState* ms, lua_State* L, const char* s, std::size_t ls, const char* p, std::size_t lp) {
    ms->L = L;
    ms->src_init = s;
    ms->src_end = s + ls;
    ms->p_end = p + lp;
    ms->level = 0;
    ms->depth = 0;
    ms->steps = 0;
}

std::ptrdiff_t posrelat(std::ptrdiff_t pos, std::size_t len) {
    if (pos < 0) pos += static_cast<std::ptrdiff_t>(len) + 1;
    return pos >= 0 ? pos : 0;
}

int find_aux(lua_State* L, bool find) {
    std::size_t ls = 0, lp = 0;
    const char* s = luaL_checklstring(L, 1, &ls);
    const char* p = luaL_checklstring(L, 2, &lp);
    std::ptrdiff_t init = posrelat(luaL_optinteger(L, 3, 1), ls) - 1;
    if (init < 0) init = 0;
    else if (static_cast<std::size_t>(init) > ls) init = static_cast<std::ptrdiff_t>(ls);
    bool plain = find && (lua_toboolean(L, 4) || (std::strlen(p) == lp && std::strpbrk(p, kSpecials) == nullptr));
    if (plain) {
        charge_steps(L, static_cast<std::int64_t>(ls - static_cast<std::size_t>(init)) / 16);
        const void* hit = lp == 0 ? s + init : memmem(s + init, ls - static_cast<std::size_t>(init), p, lp);
        if (hit) {
            auto start = static_cast<const char*>(hit) - s;
            lua_pushinteger(L, start + 1);
            lua_pushinteger(L, start + static_cast<std::ptrdiff_t>(lp));
            return 2;
        }
        lua_pushnil(L);
        return 1;
    }
    MatchState ms;
    bool anchor = lp > 0 && *p == '^';
    if (anchor) {
        p++;
        lp--;
    }
    init_state(&ms, L, s, ls, p, lp);
    const char* s1 = s + init;
    do {
        ms.level = 0;
        ms.depth = 0;
        const char* e = do_match(&ms, s1, p);
        if (e) {
            if (find) {
                lua_pushinteger(L, s1 - s + 1);
                lua_pushinteger(L, e - s);
                return push_captures(&ms, nullptr, nullptr) + 2;
            }
            return push_captures(&ms, s1, e);
        }
    } while (s1++ < ms.src_end && !anchor);
    lua_pushnil(L);
    return 1;
}

int str_find(lua_State* L) { return find_aux(L, true); }
int str_match(lua_State* L) { return find_aux(L, false); }

int gmatch_aux(lua_State* L) {
    std::size_t ls = 0, lp = 0;
    const char* s = lua_tolstring(L, lua_upvalueindex(1), &ls);
    const char* p = lua_tolstring(L, lua_upvalueindex(2), &lp);
    MatchState ms;
    init_state(&ms, L, s, ls, p, lp);
    for (const char* src = s + lua_tointeger(L, lua_upvalueindex(3)); src <= ms.src_end; src++) {
        ms.level = 0;
        ms.depth = 0;
        const char* e = do_match(&ms, src, p);
        if (e) {
            lua_Integer newstart = e - s;
            if (e == src) newstart++;
            lua_pushinteger(L, newstart);
            lua_replace(L, lua_upvalueindex(3));
            return push_captures(&ms, src, e);
        }
    }
    return 0;
}

int str_gmatch(lua_State* L) {
    luaL_checkstring(L, 1);
    luaL_checkstring(L, 2);
    lua_settop(L, 2);
    lua_pushinteger(L, 0);
    lua_pushcclosure(L, gmatch_aux, 3);
    return 1;
}

void add_s(MatchState* ms, luaL_Buffer* b, const char* s, const char* e) {
    std::size_t l = 0;
    const char* news = lua_tolstring(ms->L, 3, &l);
    for (std::size_t i = 0; i < l; i++) {
        if (news[i] != '%') {
            luaL_addchar(b, news[i]);
        } else {
            i++;
            if (i >= l || !std::isdigit(uchar(news[i]))) {
                if (i < l) luaL_addchar(b, news[i]);
            } else if (news[i] == '0') {
                luaL_addlstring(b, s, static_cast<std::size_t>(e - s));
            } else {
                push_onecapture(ms, news[i] - '1', s, e);
                luaL_addvalue(b);
            }
        }
    }
}

void add_value(MatchState* ms, luaL_Buffer* b, const char* s, const char* e) {
    lua_State* L = ms->L;
    switch (lua_type(L, 3)) {
    case LUA_TNUMBER:
    case LUA_TSTRING: add_s(ms, b, s, e); return;
    case LUA_TFUNCTION: {
        lua_pushvalue(L, 3);
        int n = push_captures(ms, s, e);
        lua_call(L, n, 1);
        break;
    }
    case LUA_TTABLE:
        push_onecapture(ms, 0, s, e);
        lua_gettable(L, 3);
        break;
    default: break;
    }
    if (!lua_toboolean(L, -1)) {
        lua_pop(L, 1);
        lua_pushlstring(L, s, static_cast<std::size_t>(e - s));
    } else if (!lua_isstring(L, -1)) {
        luaL_error(L, "invalid replacement value (a %s)", luaL_typename(L, -1));
    }
    luaL_addvalue(b);
}

int str_gsub(lua_State* L) {
    std::size_t srcl = 0, lp = 0;
    const char* src = luaL_checklstring(L, 1, &srcl);
    const char* p = luaL_checklstring(L, 2, &lp);
    int tr = lua_type(L, 3);
    lua_Integer max_s = luaL_optinteger(L, 4, static_cast<lua_Integer>(srcl) + 1);
    luaL_argcheck(L, tr == LUA_TNUMBER || tr == LUA_TSTRING || tr == LUA_TFUNCTION || tr == LUA_TTABLE, 3,
                  "string/function/table expected");
    bool anchor = lp > 0 && *p == '^';
    if (anchor) {
        p++;
        lp--;
    }
    MatchState ms;
    init_state(&ms, L, src, srcl, p, lp);
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    lua_Integer n = 0;
    while (n < max_s) {
        ms.level = 0;
        ms.depth = 0;
        const char* e = do_match(&ms, src, p);
        if (e) {
            n++;
            add_value(&ms, &b, src, e);
        }
        if (e && e > src) src = e;
        else if (src < ms.src_end) luaL_addchar(&b, *src++);
        else break;
        if (anchor) break;
    }
    luaL_addlstring(&b, src, static_cast<std::size_t>(ms.src_end - src));
    luaL_pushresult(&b);
    lua_pushinteger(L, n);
    return 2;
}

}  // namespace

void register_pattern_functions(lua_State* L, int table_index) {
    if (table_index < 0) table_index = lua_gettop(L) + table_index + 1;
    lua_pushcfunction(L, str_find);
    lua_setfield(L, table_index, "find");
    lua_pushcfunction(L, str_match);
    lua_setfield(L, table_index, "match");
    lua_pushcfunction(L, str_gmatch);
    lua_setfield(L, table_index, "gmatch");
    lua_pushcfunction(L, str_gsub);
    lua_setfield(L, table_index, "gsub");
}

}  // namespace till::script::detail
