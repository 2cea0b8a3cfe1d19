// The sandbox: allowlisted environment, strict per-file environments,
// require of scripts/lib modules, and the per-call budgets.
#include "script/lua_sandbox.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <string_view>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <utility>

#include "script/lua_internal.hpp"

namespace till::script {

namespace detail {

BudgetState& budget_of(lua_State* L) {
    void* ud = nullptr;
    lua_getallocf(L, &ud);
    return *static_cast<BudgetState*>(ud);
}

std::string budget_message(const BudgetState& budget) {
    switch (budget.exceeded) {
    case Exceeded::instructions:
        return "instruction budget exceeded (" + std::to_string(budget.limits.instruction_limit) + " instructions)";
    case Exceeded::time:
        return "time budget exceeded (" + std::to_string(budget.limits.wall_time_ms) + " ms)";
    case Exceeded::memory:
        return "memory budget exceeded (" + std::to_string(budget.limits.memory_bytes) + " bytes)";
    case Exceeded::none: break;
    }
    return "budget exceeded";
}

namespace {

void count_hook(lua_State* L, lua_Debug*);

// Marks the budget exhausted and makes the hook fire at every instruction,
// so a script that catches the error (pcall, coroutine) is stopped again at
// once instead of running on.
void mark_exceeded(lua_State* L, BudgetState& b, Exceeded why) {
    if (b.exceeded == Exceeded::none) b.exceeded = why;
    lua_sethook(L, count_hook, LUA_MASKCOUNT, 1);
}

void count_hook(lua_State* L, lua_Debug*) {
    auto& b = budget_of(L);
    if (!b.in_call) return;
    if (b.exceeded == Exceeded::none) {
        b.instructions += b.limits.hook_period;
        if (b.instructions > b.limits.instruction_limit) mark_exceeded(L, b, Exceeded::instructions);
        else if (std::chrono::steady_clock::now() > b.deadline) mark_exceeded(L, b, Exceeded::time);
        else return;
    }
    raise_budget_error(L);
}

void* budget_alloc(void* ud, void* ptr, size_t osize, size_t nsize) {
    auto* b = static_cast<BudgetState*>(ud);
    if (nsize == 0) {
        std::free(ptr);
        b->used_bytes -= osize;
        return nullptr;
    }
    // The ceiling binds scripts. The host's own work between calls (cart
    // updates) gets headroom for garbage not yet collected, up to 4x.
    std::size_t ceiling = b->in_call ? b->limits.memory_bytes : b->limits.memory_bytes * 4;
    if (nsize > osize && b->used_bytes - osize + nsize > ceiling) {
        if (b->in_call && b->exceeded == Exceeded::none) b->exceeded = Exceeded::memory;
        return nullptr;
    }
    void* grown = std::realloc(ptr, nsize);
    if (!grown) return nullptr;
    b->used_bytes = b->used_bytes - osize + nsize;
    return grown;
}

}  // namespace

void raise_budget_error(lua_State* L) {
    auto& b = budget_of(L);
    lua_Debug ar;
    std::string where;
    for (int level = 0; lua_getstack(L, level, &ar); ++level) {
        if (lua_getinfo(L, "Sl", &ar) && ar.currentline > 0) {
            where = std::string(ar.short_src) + ":" + std::to_string(ar.currentline) + ": ";
            break;
        }
    }
    std::string message = where + budget_message(b);
    lua_pushlstring(L, message.data(), message.size());
    lua_error(L);
    std::abort();  // lua_error does not return
}

void charge_steps(lua_State* L, std::int64_t steps) {
    auto& b = budget_of(L);
    if (!b.in_call) return;
    if (b.exceeded == Exceeded::none) {
        b.instructions += steps;
        if (b.instructions > b.limits.instruction_limit) mark_exceeded(L, b, Exceeded::instructions);
        else if (std::chrono::steady_clock::now() > b.deadline) mark_exceeded(L, b, Exceeded::time);
        else return;
    }
    raise_budget_error(L);
}

}  // namespace detail

using namespace detail;

namespace {

// Registry keys (addresses of these statics are unique lightuserdata keys).
char kBaseKey;     // the shared base environment (allowlisted globals)
char kLoadedKey;   // module name -> loaded value (require cache)
char kLibsKey;     // LuaSandbox::Impl* for require

bool is_module_name(std::string_view name) {
    if (name.empty() || name.size() > 64) return false;
    for (char c : name)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
    return true;
}

// After a protected call inside the script (pcall, xpcall, coroutine.resume)
// an exhausted budget is raised again: scripts cannot swallow it.
void rethrow_if_exceeded(lua_State* L) {
    auto& b = budget_of(L);
    if (b.in_call && b.exceeded != Exceeded::none) raise_budget_error(L);
}

int sandbox_pcall(lua_State* L) {
    luaL_checkany(L, 1);
    int status = lua_pcall(L, lua_gettop(L) - 1, LUA_MULTRET, 0);
    rethrow_if_exceeded(L);
    lua_pushboolean(L, status == 0);
    lua_insert(L, 1);
    return lua_gettop(L);
}

int sandbox_xpcall(lua_State* L) {
    luaL_checktype(L, 2, LUA_TFUNCTION);
    int nargs = lua_gettop(L) - 2;
    lua_pushvalue(L, 1);  // f
    lua_pushvalue(L, 2);  // handler
    lua_replace(L, 1);    // [handler, handler?]. Rearrange: handler at 1, f at 2
    lua_replace(L, 2);
    int status = lua_pcall(L, nargs, LUA_MULTRET, 1);
    rethrow_if_exceeded(L);
    lua_pushboolean(L, status == 0);
    lua_replace(L, 1);
    return lua_gettop(L);
}

int sandbox_resume(lua_State* L) {
    // upvalue 1: the real coroutine.resume
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
    rethrow_if_exceeded(L);
    return lua_gettop(L);
}

int sandbox_print(lua_State* L) {
    auto& b = budget_of(L);
    int n = lua_gettop(L);
    std::string line;
    for (int i = 1; i <= n; ++i) {
        size_t len = 0;
        const char* s = nullptr;
        if (lua_type(L, i) == LUA_TSTRING || lua_type(L, i) == LUA_TNUMBER) s = lua_tolstring(L, i, &len);
        else if (lua_type(L, i) == LUA_TBOOLEAN) s = lua_toboolean(L, i) ? "true" : "false", len = std::strlen(s);
        else if (lua_isnil(L, i)) s = "nil", len = 3;
        else s = lua_typename(L, lua_type(L, i)), len = std::strlen(s);
        if (i > 1) line += '\t';
        line.append(s, len);
    }
    constexpr std::size_t kCap = 4096;
    if (b.printed.size() < kCap) b.printed.append(line.substr(0, kCap - b.printed.size())).append("\n");
    return 0;
}

// string.rep with a cap on the result (no allocation bomb, no long memset).
int sandbox_rep(lua_State* L) {
    size_t len = 0, sep_len = 0;
    luaL_checklstring(L, 1, &len);
    double n = luaL_checknumber(L, 2);
    if (!lua_isnoneornil(L, 3)) luaL_checklstring(L, 3, &sep_len);
    if (n >= 1) {
        double total = static_cast<double>(len) * n + static_cast<double>(sep_len) * (n - 1);
        auto cap = static_cast<double>(budget_of(L).limits.max_string_bytes);
        if (total > cap)
            return luaL_error(L, "string.rep: result of %.0f bytes exceeds the limit of %.0f bytes", total, cap);
        charge_steps(L, static_cast<std::int64_t>(total / 64));
    }
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, 1);
    return 1;
}

// table.sort / table.concat: C loops the hook cannot see; charge their size
// up front so a huge table is refused before the work starts.
int sandbox_charged_by_length(lua_State* L) {
    luaL_checktype(L, 1, LUA_TTABLE);
    auto n = static_cast<std::int64_t>(lua_objlen(L, 1));
    std::int64_t cost = n;
    if (lua_toboolean(L, lua_upvalueindex(2))) cost = n * (1 + static_cast<std::int64_t>(std::log2(n + 1)));
    charge_steps(L, cost);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
    return lua_gettop(L);
}

// Every host use of the state is protected; reaching this is a bug. Say so
// rather than exit silently (LuaJIT's default without luaL_newstate).
int panic(lua_State* L) {
    const char* message = lua_tostring(L, -1);
    std::fprintf(stderr, "till: unprotected Lua error: %s\n", message ? message : "?");
    std::abort();
}

int undefined_global(lua_State* L) {
    const char* name = lua_tostring(L, 2);
    return luaL_error(L, "undefined global '%s'", name ? name : "?");
}

int frozen_global_write(lua_State* L) {
    const char* name = lua_tostring(L, 2);
    return luaL_error(L, "cannot set global '%s' (globals are read-only once a file has loaded; use a local)",
                      name ? name : "?");
}

// Copies real[name] into dst (at index) for each name.
void copy_fields(lua_State* L, int src, int dst, std::initializer_list<const char*> names) {
    for (const char* name : names) {
        lua_getfield(L, src, name);
        lua_setfield(L, dst, name);
    }
}

void open_lib(lua_State* L, lua_CFunction open, const char* name) {
    lua_pushcfunction(L, open);
    lua_pushstring(L, name);
    lua_call(L, 1, 0);
}

}  // namespace

namespace {
// What require needs, reachable from the registry.
struct RequireContext {
    const LibSources* libs = nullptr;
    bool jit_scripts = false;
};
}  // namespace

struct LuaSandbox::Impl {
    RequireContext require_context;
    SandboxProfile profile;
    BudgetState budget;
    LibSources libs;
    lua_State* L = nullptr;
    std::int64_t last_instructions = 0;
    bool hook_installed = false;

    sdk::Result<int> load(const ScriptSource& source);
    sdk::Status protected_call(int nargs, int nresults);
    void build_base();
};

namespace {

int sandbox_require(lua_State* L);

}  // namespace

void LuaSandbox::Impl::build_base() {
    // Real libraries, opened the documented way (PITFALLS: never call
    // luaopen_* directly).
    open_lib(L, luaopen_base, "");
    open_lib(L, luaopen_string, LUA_STRLIBNAME);
    open_lib(L, luaopen_table, LUA_TABLIBNAME);
    open_lib(L, luaopen_math, LUA_MATHLIBNAME);
    open_lib(L, luaopen_bit, LUA_BITLIBNAME);
    open_lib(L, luaopen_os, LUA_OSLIBNAME);
    // The JIT engine is on for the state (opening `jit` switches it on); it
    // is never exposed, and every merchant chunk is flagged no-JIT at load.
    open_lib(L, luaopen_jit, LUA_JITLIBNAME);

    init_readonly(L);
    lua_pushvalue(L, LUA_GLOBALSINDEX);
    int real = lua_gettop(L);

    lua_newtable(L);
    int base = lua_gettop(L);
    copy_fields(L, real, base,
                {"assert", "error", "getmetatable", "rawequal", "rawget", "select", "setmetatable", "tonumber",
                 "tostring", "unpack", "_VERSION"});
    register_view_aware_base(L, base);
    lua_pushcfunction(L, sandbox_pcall);
    lua_setfield(L, base, "pcall");
    lua_pushcfunction(L, sandbox_xpcall);
    lua_setfield(L, base, "xpcall");
    lua_pushcfunction(L, sandbox_print);
    lua_setfield(L, base, "print");
    lua_pushcfunction(L, sandbox_require);
    lua_setfield(L, base, "require");

    // string: no dump; pattern functions budgeted; rep capped.
    lua_getfield(L, real, "string");
    int real_string = lua_gettop(L);
    lua_newtable(L);
    int string_t = lua_gettop(L);
    copy_fields(L, real_string, string_t, {"byte", "char", "format", "len", "lower", "reverse", "sub", "upper"});
    register_pattern_functions(L, string_t);
    lua_getfield(L, real_string, "rep");
    lua_pushcclosure(L, sandbox_rep, 1);
    lua_setfield(L, string_t, "rep");
    // The string metatable serves s:method() from the sandbox's string table
    // and is hidden from getmetatable (which returns false).
    lua_pushliteral(L, "");
    lua_getmetatable(L, -1);
    lua_pushvalue(L, string_t);
    lua_setfield(L, -2, "__index");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_pop(L, 2);
    push_readonly(L, string_t);
    lua_setfield(L, base, "string");
    lua_pop(L, 2);  // string_t, real_string

    // table
    lua_getfield(L, real, "table");
    int real_table = lua_gettop(L);
    lua_newtable(L);
    int table_t = lua_gettop(L);
    copy_fields(L, real_table, table_t, {"insert", "maxn", "remove"});
    lua_getfield(L, real_table, "sort");
    lua_pushboolean(L, 1);
    lua_pushcclosure(L, sandbox_charged_by_length, 2);
    lua_setfield(L, table_t, "sort");
    lua_getfield(L, real_table, "concat");
    lua_pushboolean(L, 0);
    lua_pushcclosure(L, sandbox_charged_by_length, 2);
    lua_setfield(L, table_t, "concat");
    push_readonly(L, table_t);
    lua_setfield(L, base, "table");
    lua_pop(L, 2);

    // math (policies: no randomness)
    lua_getfield(L, real, "math");
    int real_math = lua_gettop(L);
    lua_newtable(L);
    int math_t = lua_gettop(L);
    copy_fields(L, real_math, math_t,
                {"abs", "ceil", "floor", "fmod", "huge", "max", "min", "modf", "pi", "pow", "sqrt", "exp", "log",
                 "log10", "sin", "cos", "tan", "asin", "acos", "atan", "atan2", "deg", "rad", "frexp", "ldexp",
                 "sinh", "cosh", "tanh"});
    if (profile == SandboxProfile::upsell) copy_fields(L, real_math, math_t, {"random", "randomseed"});
    push_readonly(L, math_t);
    lua_setfield(L, base, "math");
    lua_pop(L, 2);

    // bit
    lua_getfield(L, real, "bit");
    push_readonly(L, lua_gettop(L));
    lua_setfield(L, base, "bit");
    lua_pop(L, 1);

    // os: clock and calendar only, and none at all for policies.
    if (profile == SandboxProfile::upsell) {
        lua_getfield(L, real, "os");
        int real_os = lua_gettop(L);
        lua_newtable(L);
        copy_fields(L, real_os, lua_gettop(L), {"time", "date", "clock", "difftime"});
        push_readonly(L, lua_gettop(L));
        lua_setfield(L, base, "os");
        lua_pop(L, 2);
    }

    // coroutine: resume rethrows an exhausted budget.
    lua_getfield(L, real, "coroutine");
    int real_co = lua_gettop(L);
    lua_newtable(L);
    int co_t = lua_gettop(L);
    copy_fields(L, real_co, co_t, {"create", "running", "status", "wrap", "yield"});
    lua_getfield(L, real_co, "resume");
    lua_pushcclosure(L, sandbox_resume, 1);
    lua_setfield(L, co_t, "resume");
    push_readonly(L, co_t);
    lua_setfield(L, base, "coroutine");
    lua_pop(L, 2);

    // _G: a read-only view of the allowlisted globals (the real _G is never
    // reachable from a script).
    push_readonly(L, base);
    lua_setfield(L, base, "_G");

    // Misses in the base are errors naming the global.
    lua_createtable(L, 0, 2);
    lua_pushcfunction(L, undefined_global);
    lua_setfield(L, -2, "__index");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_setmetatable(L, base);

    lua_pushlightuserdata(L, &kBaseKey);
    lua_pushvalue(L, base);
    lua_rawset(L, LUA_REGISTRYINDEX);
    lua_pushlightuserdata(L, &kLoadedKey);
    lua_newtable(L);
    lua_rawset(L, LUA_REGISTRYINDEX);
    require_context.libs = &libs;
    require_context.jit_scripts = budget.limits.unsafe_jit_for_scripts;
    lua_pushlightuserdata(L, &kLibsKey);
    lua_pushlightuserdata(L, &require_context);
    lua_rawset(L, LUA_REGISTRYINDEX);
    lua_settop(L, 0);
}

sdk::Status LuaSandbox::Impl::protected_call(int nargs, int nresults) {
    int func_index = lua_gettop(L) - nargs;
    // LuaJIT does not collect before failing an allocation: make room first,
    // so garbage from earlier calls never counts against this one.
    if (budget.used_bytes > budget.limits.memory_bytes / 2) lua_gc(L, LUA_GCCOLLECT, 0);
    budget.in_call = true;
    budget.instructions = 0;
    budget.exceeded = Exceeded::none;
    budget.deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(budget.limits.wall_time_ms);
    // The hook stays installed between calls (it does nothing outside one):
    // installing it rewrites LuaJIT's dispatch table, too dear per rule.
    if (!hook_installed) {
        lua_sethook(L, count_hook, LUA_MASKCOUNT, budget.limits.hook_period);
        hook_installed = true;
    }
    int status = lua_pcall(L, nargs, nresults, 0);
    budget.in_call = false;
    if (budget.exceeded != Exceeded::none) lua_sethook(L, count_hook, LUA_MASKCOUNT, budget.limits.hook_period);
    last_instructions = budget.instructions;
    if (status == 0) return {};
    std::string message;
    if (lua_type(L, -1) == LUA_TSTRING) message = lua_tostring(L, -1);
    else message = std::string("error object is a ") + luaL_typename(L, -1) + " value";
    lua_settop(L, func_index - 1);
    if (budget.exceeded == Exceeded::memory || status == LUA_ERRMEM) {
        budget.exceeded = Exceeded::memory;
        message = budget_message(budget);
    }
    if (budget.exceeded != Exceeded::none) lua_gc(L, LUA_GCCOLLECT, 0);
    return sdk::Status::failure(budget.exceeded == Exceeded::none ? "script_error" : "script_budget", message);
}

namespace {

// Pushes a fresh environment for a file: a table whose misses go to the base
// (and from there to the undefined-global error). Writes are allowed while
// the main chunk runs; freeze_env() then moves them behind a read-only face.
void push_load_env(lua_State* L) {
    lua_newtable(L);
    lua_createtable(L, 0, 1);
    lua_pushlightuserdata(L, &kBaseKey);
    lua_rawget(L, LUA_REGISTRYINDEX);
    lua_setfield(L, -2, "__index");
    lua_setmetatable(L, -2);
}

void freeze_env(lua_State* L, int env) {
    lua_newtable(L);  // defs: what the file defined
    int defs = lua_gettop(L);
    lua_pushnil(L);
    while (lua_next(L, env)) {
        lua_pushvalue(L, -2);
        lua_insert(L, -2);
        lua_rawset(L, defs);
    }
    lua_pushnil(L);
    while (lua_next(L, defs)) {
        lua_pop(L, 1);
        lua_pushvalue(L, -1);
        lua_pushnil(L);
        lua_rawset(L, env);
    }
    lua_createtable(L, 0, 1);
    lua_pushlightuserdata(L, &kBaseKey);
    lua_rawget(L, LUA_REGISTRYINDEX);
    lua_setfield(L, -2, "__index");
    lua_setmetatable(L, defs);
    lua_createtable(L, 0, 3);
    lua_pushvalue(L, defs);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, frozen_global_write);
    lua_setfield(L, -2, "__newindex");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_setmetatable(L, env);
    lua_pop(L, 1);  // defs
}

// Compiles text only, JIT off for every function of the chunk; pushes the
// chunk with its fresh environment and returns the environment's index, or
// pushes the message and returns 0.
int compile_with_env(lua_State* L, const ScriptSource& source, bool jit_scripts) {
    std::string chunk_name = "@" + source.display_name;
    if (!source.text.empty() && source.text[0] == '\x1b') {
        std::string message = source.display_name + ": binary (bytecode) chunks are refused; load Lua source text";
        lua_pushlstring(L, message.data(), message.size());
        return 0;
    }
    if (luaL_loadbufferx(L, source.text.data(), source.text.size(), chunk_name.c_str(), "t") != 0) return 0;
    if (!jit_scripts) luaJIT_setmode(L, -1, LUAJIT_MODE_ALLFUNC | LUAJIT_MODE_OFF);
    push_load_env(L);
    lua_pushvalue(L, -1);
    lua_setfenv(L, -3);
    lua_insert(L, -2);  // [env, chunk]
    return lua_gettop(L) - 1;
}

int sandbox_require(lua_State* L) {
    size_t len = 0;
    const char* raw = luaL_checklstring(L, 1, &len);
    std::string name(raw, len);
    if (!is_module_name(name))
        return luaL_error(L, "require: bad module name '%s' (letters, digits and _ only; modules live in scripts/lib/)",
                          name.c_str());
    lua_pushlightuserdata(L, &kLoadedKey);
    lua_rawget(L, LUA_REGISTRYINDEX);
    int loaded = lua_gettop(L);
    lua_getfield(L, loaded, name.c_str());
    if (lua_type(L, -1) == LUA_TLIGHTUSERDATA) return luaL_error(L, "require: circular require of '%s'", name.c_str());
    if (!lua_isnil(L, -1)) return 1;
    lua_pop(L, 1);
    lua_pushlightuserdata(L, &kLibsKey);
    lua_rawget(L, LUA_REGISTRYINDEX);
    auto* context = static_cast<RequireContext*>(lua_touserdata(L, -1));
    lua_pop(L, 1);
    auto found = context->libs->find(name);
    if (found == context->libs->end())
        return luaL_error(L, "require: module '%s' not found (no scripts/lib/%s.lua)", name.c_str(), name.c_str());
    int env = compile_with_env(L, found->second, context->jit_scripts);
    if (env == 0) return lua_error(L);
    lua_pushlightuserdata(L, &kLoadedKey);  // loading marker
    lua_setfield(L, loaded, name.c_str());
    if (lua_pcall(L, 0, 1, 0) != 0) {  // under the caller's budget
        lua_pushnil(L);
        lua_setfield(L, loaded, name.c_str());
        return lua_error(L);
    }
    freeze_env(L, env);
    if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        lua_pushboolean(L, 1);
    } else if (lua_istable(L, -1)) {
        push_readonly(L, lua_gettop(L));  // other rules must not change the module
        lua_replace(L, -2);
    }
    lua_pushvalue(L, -1);
    lua_setfield(L, loaded, name.c_str());
    return 1;
}

}  // namespace

sdk::Result<int> LuaSandbox::Impl::load(const ScriptSource& source) {
    int top = lua_gettop(L);
    int env = compile_with_env(L, source, budget.limits.unsafe_jit_for_scripts);
    if (env == 0) {
        std::string message = lua_tostring(L, -1);
        lua_settop(L, top);
        return sdk::Error{"script_syntax", message};
    }
    auto ran = protected_call(0, 0);
    if (!ran) {
        lua_settop(L, top);
        return ran.error();
    }
    freeze_env(L, env);
    int ref = luaL_ref(L, LUA_REGISTRYINDEX);
    lua_settop(L, top);
    return ref;
}

LuaSandbox::LuaSandbox(SandboxProfile profile, SandboxLimits limits, LibSources libs)
    : impl_(std::make_unique<Impl>()) {
    impl_->profile = profile;
    impl_->budget.limits = limits;
    if (impl_->budget.limits.hook_period < 1) impl_->budget.limits.hook_period = 1;
    impl_->libs = std::move(libs);
    // Setting up needs more room than a tiny ceiling may allow; the ceiling
    // applies to what scripts do afterwards.
    auto ceiling = impl_->budget.limits.memory_bytes;
    impl_->budget.limits.memory_bytes = std::max<std::size_t>(ceiling, 64u * 1024u * 1024u);
    impl_->L = lua_newstate(budget_alloc, &impl_->budget);
    if (!impl_->L) std::abort();
    lua_atpanic(impl_->L, panic);
    impl_->build_base();
    impl_->budget.limits.memory_bytes = std::max(ceiling, impl_->budget.used_bytes + 256u * 1024u);
}

LuaSandbox::~LuaSandbox() {
    if (impl_->L) lua_close(impl_->L);
}

lua_State* LuaSandbox::state() const noexcept { return impl_->L; }
SandboxProfile LuaSandbox::profile() const noexcept { return impl_->profile; }
const SandboxLimits& LuaSandbox::limits() const noexcept { return impl_->budget.limits; }

sdk::Result<int> LuaSandbox::load_file(const ScriptSource& source) { return impl_->load(source); }

bool LuaSandbox::push_global_function(int env_ref, const char* name) {
    lua_State* L = impl_->L;
    lua_rawgeti(L, LUA_REGISTRYINDEX, env_ref);
    lua_getmetatable(L, -1);
    lua_getfield(L, -1, "__index");  // defs (raw reads only: misses would raise)
    lua_pushstring(L, name);
    lua_rawget(L, -2);
    if (lua_type(L, -1) != LUA_TFUNCTION) {
        lua_pop(L, 4);
        return false;
    }
    lua_replace(L, -4);
    lua_pop(L, 2);
    return true;
}

std::vector<std::string> LuaSandbox::global_names() {
    lua_State* L = impl_->L;
    int top = lua_gettop(L);
    std::vector<std::string> names;
    lua_pushlightuserdata(L, &kBaseKey);
    lua_rawget(L, LUA_REGISTRYINDEX);
    lua_pushnil(L);
    while (lua_next(L, -2)) {
        lua_pop(L, 1);
        if (lua_type(L, -1) == LUA_TSTRING) names.emplace_back(lua_tostring(L, -1));
    }
    lua_settop(L, top);
    std::sort(names.begin(), names.end());
    return names;
}

void LuaSandbox::pop(int n) { lua_pop(impl_->L, n); }

sdk::Status LuaSandbox::call(int nargs, int nresults) { return impl_->protected_call(nargs, nresults); }

std::string LuaSandbox::take_printed() { return std::exchange(impl_->budget.printed, {}); }
std::size_t LuaSandbox::memory_used_bytes() const noexcept { return impl_->budget.used_bytes; }
std::int64_t LuaSandbox::last_call_instructions() const noexcept { return impl_->last_instructions; }

sdk::Status LuaSandbox::compile_check(const ScriptSource& source) {
    lua_State* L = impl_->L;
    int top = lua_gettop(L);
    std::string chunk_name = "@" + source.display_name;
    int status = luaL_loadbufferx(L, source.text.data(), source.text.size(), chunk_name.c_str(), "t");
    sdk::Status result;
    if (status != 0) {
        std::string message = lua_tostring(L, -1);
        if (message.rfind(source.display_name, 0) != 0) message = source.display_name + ": " + message;
        result = sdk::Status::failure("script_syntax", message);
    }
    lua_settop(L, top);
    return result;
}

}  // namespace till::script
