#include "script/lua_value.hpp"

#include <cmath>

#include "script/lua_internal.hpp"

namespace till::script::detail {

namespace {

constexpr double kMaxExact = 9007199254740992.0;  // 2^53
constexpr int kMaxDepth = 32;

bool push_inner(lua_State* L, const sdk::Value& v, std::string& error, int depth) {
    if (depth > kMaxDepth) {
        error = "value nested too deeply";
        return false;
    }
    if (!lua_checkstack(L, 4)) {
        error = "value nested too deeply";
        return false;
    }
    switch (v.type()) {
    case sdk::Value::Type::null: lua_pushnil(L); return true;
    case sdk::Value::Type::boolean: lua_pushboolean(L, v.as_bool()); return true;
    case sdk::Value::Type::integer: {
        auto d = static_cast<double>(v.as_int());
        if (std::fabs(d) > kMaxExact) {
            error = "integer " + std::to_string(v.as_int()) + " is too large for Lua (max 2^53)";
            return false;
        }
        lua_pushnumber(L, d);
        return true;
    }
    case sdk::Value::Type::string: lua_pushlstring(L, v.as_string().data(), v.as_string().size()); return true;
    case sdk::Value::Type::list: {
        const auto& list = v.as_list();
        lua_createtable(L, static_cast<int>(list.size()), 0);
        int i = 1;
        for (const auto& item : list) {
            if (!push_inner(L, item, error, depth + 1)) {
                lua_pop(L, 1);
                return false;
            }
            lua_rawseti(L, -2, i++);
        }
        return true;
    }
    case sdk::Value::Type::map: {
        const auto& map = v.as_map();
        lua_createtable(L, 0, static_cast<int>(map.size()));
        for (const auto& [key, item] : map) {
            if (!push_inner(L, item, error, depth + 1)) {
                lua_pop(L, 1);
                return false;
            }
            lua_setfield(L, -2, key.c_str());
        }
        return true;
    }
    }
    return false;
}

std::string join(const std::string& path, const std::string& key) { return path.empty() ? key : path + "." + key; }

sdk::Result<sdk::Value> read_inner(lua_State* L, int index, const std::string& path, int depth) {
    if (index < 0) index = lua_gettop(L) + index + 1;
    auto fail = [&](const std::string& what) {
        return sdk::Error{"invalid_result", (path.empty() ? std::string("result") : path) + ": " + what};
    };
    if (depth > kMaxDepth) return fail("nested too deeply");
    switch (lua_type(L, index)) {
    case LUA_TNIL: return sdk::Value();
    case LUA_TBOOLEAN: return sdk::Value(lua_toboolean(L, index) != 0);
    case LUA_TNUMBER: {
        double d = lua_tonumber(L, index);
        if (d != std::floor(d) || std::fabs(d) > kMaxExact)
            return fail(std::string(lua_tostring(L, index)) + " is not a whole number (money and quantities are integers)");
        return sdk::Value(static_cast<long long>(d));
    }
    case LUA_TSTRING: {
        std::size_t len = 0;
        const char* s = lua_tolstring(L, index, &len);
        return sdk::Value(std::string(s, len));
    }
    case LUA_TUSERDATA:
        if (push_backing(L, index)) {
            auto v = read_inner(L, -1, path, depth + 1);
            lua_pop(L, 1);
            return v;
        }
        return fail("a userdata cannot be returned");
    case LUA_TTABLE: break;
    default: return fail(std::string("a ") + luaL_typename(L, index) + " cannot be returned");
    }
    if (!lua_checkstack(L, 6)) return fail("nested too deeply");
    auto n = lua_objlen(L, index);
    std::size_t count = 0;
    bool all_string_keys = true;
    lua_pushnil(L);
    while (lua_next(L, index)) {
        lua_pop(L, 1);
        ++count;
        if (lua_type(L, -1) != LUA_TSTRING) all_string_keys = false;
    }
    if (count > 0 && count == n) {
        sdk::Value list = sdk::Value::list();
        for (std::size_t i = 1; i <= n; ++i) {
            lua_rawgeti(L, index, static_cast<int>(i));
            auto item = read_inner(L, -1, path + "[" + std::to_string(i) + "]", depth + 1);
            lua_pop(L, 1);
            if (!item) return item;
            list.push_back(std::move(*item));
        }
        return list;
    }
    if (!all_string_keys) return fail("a table must be a list (keys 1..n) or have string keys only");
    sdk::Value map = sdk::Value::map();
    lua_pushnil(L);
    while (lua_next(L, index)) {
        std::string key = lua_tostring(L, -2);
        auto item = read_inner(L, -1, join(path, key), depth + 1);
        lua_pop(L, 1);
        if (!item) {
            lua_pop(L, 1);
            return item;
        }
        map.set(key, std::move(*item));
    }
    return map;
}

}  // namespace

bool push_value(lua_State* L, const sdk::Value& value, std::string& error) { return push_inner(L, value, error, 0); }

sdk::Result<sdk::Value> read_value(lua_State* L, int index) { return read_inner(L, index, "", 0); }

}  // namespace till::script::detail
