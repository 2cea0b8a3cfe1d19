// Read-only views: a zero-size userdata per table with its own metatable
// (__index = the table, so reads stay inside the VM's metamethod fast path;
// __newindex raises; __len answers #); the table is also the userdata's
// environment. The sandbox's ipairs/pairs/next/type know views.
#include "script/lua_internal.hpp"

namespace till::script::detail {

namespace {

char kNewIndex;    // registry: shared __newindex function
char kLen;         // registry: shared __len function
char kToString;    // registry: shared __tostring function

int view_newindex(lua_State* L) {
    const char* key = lua_type(L, 2) == LUA_TSTRING ? lua_tostring(L, 2) : nullptr;
    if (key) return luaL_error(L, "attempt to modify read-only table (field '%s')", key);
    return luaL_error(L, "attempt to modify read-only table");
}

int view_len(lua_State* L) {
    if (!push_backing(L, 1)) return 0;
    lua_pushinteger(L, static_cast<lua_Integer>(lua_objlen(L, -1)));
    return 1;
}

int view_tostring(lua_State* L) {
    lua_pushfstring(L, "table (read-only): %p", lua_topointer(L, 1));
    return 1;
}

// ipairs(view) hands the native (fast) iterator a fresh shallow copy of the
// view's array: a copy costs a few ns per element, iterating it natively is
// several times faster than a Lua or C step function per element, and the
// script never gets the shared table.
int view_ipairs(lua_State* L) {
    if (!push_backing(L, 1)) {
        lua_settop(L, 1);
        lua_pushvalue(L, lua_upvalueindex(1));  // native ipairs
        lua_insert(L, 1);
        lua_call(L, 1, 3);
        return 3;
    }
    int backing = lua_gettop(L);
    int n = static_cast<int>(lua_objlen(L, backing));
    lua_pushvalue(L, lua_upvalueindex(2));  // native ipairs_aux
    lua_createtable(L, n, 0);
    for (int i = 1; i <= n; ++i) {
        lua_rawgeti(L, backing, i);
        lua_rawseti(L, -2, i);
    }
    lua_pushinteger(L, 0);
    return 3;
}

// pairs(view): the native next over a fresh shallow copy, for the same reasons.
int view_pairs(lua_State* L) {
    if (!push_backing(L, 1)) {
        luaL_checktype(L, 1, LUA_TTABLE);
        lua_pushvalue(L, lua_upvalueindex(1));  // native next
        lua_pushvalue(L, 1);
        lua_pushnil(L);
        return 3;
    }
    int backing = lua_gettop(L);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_newtable(L);
    int copy = lua_gettop(L);
    lua_pushnil(L);
    while (lua_next(L, backing)) {
        lua_pushvalue(L, -2);
        lua_insert(L, -2);
        lua_rawset(L, copy);
    }
    lua_pushnil(L);
    return 3;
}

int view_next(lua_State* L) {
    lua_settop(L, 2);
    if (!push_backing(L, 1)) {
        luaL_checktype(L, 1, LUA_TTABLE);
        lua_pushvalue(L, 1);
    }
    lua_pushvalue(L, 2);
    if (lua_next(L, 3)) return 2;
    lua_pushnil(L);
    return 1;
}

int view_type(lua_State* L) {
    luaL_checkany(L, 1);
    if (lua_type(L, 1) == LUA_TUSERDATA && push_backing(L, 1)) {
        lua_pushliteral(L, "table");
        return 1;
    }
    lua_pushstring(L, lua_typename(L, lua_type(L, 1)));
    return 1;
}

void store(lua_State* L, void* key, lua_CFunction f) {
    lua_pushlightuserdata(L, key);
    lua_pushcfunction(L, f);
    lua_rawset(L, LUA_REGISTRYINDEX);
}

void fetch(lua_State* L, void* key) {
    lua_pushlightuserdata(L, key);
    lua_rawget(L, LUA_REGISTRYINDEX);
}

}  // namespace

void init_readonly(lua_State* L) {
    store(L, &kNewIndex, view_newindex);
    store(L, &kLen, view_len);
    store(L, &kToString, view_tostring);
}

void push_readonly(lua_State* L, int backing_index) {
    if (backing_index < 0) backing_index = lua_gettop(L) + backing_index + 1;
    lua_newuserdata(L, 0);
    // The backing table is the userdata's environment: no side table, so a
    // dropped view and its table are garbage in the same cycle.
    lua_pushvalue(L, backing_index);
    lua_setfenv(L, -2);
    lua_createtable(L, 0, 5);
    lua_pushvalue(L, backing_index);
    lua_setfield(L, -2, "__index");
    fetch(L, &kNewIndex);
    lua_setfield(L, -2, "__newindex");
    fetch(L, &kLen);
    lua_setfield(L, -2, "__len");
    fetch(L, &kToString);
    lua_setfield(L, -2, "__tostring");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_setmetatable(L, -2);
}

bool push_backing(lua_State* L, int index) {
    if (lua_type(L, index) != LUA_TUSERDATA) return false;
    if (index < 0) index = lua_gettop(L) + index + 1;
    // A view is a userdata whose metatable has our __newindex.
    if (!lua_getmetatable(L, index)) return false;
    lua_getfield(L, -1, "__newindex");
    bool is_view = lua_tocfunction(L, -1) == view_newindex;
    lua_pop(L, 2);
    if (!is_view) return false;
    lua_getfenv(L, index);
    return true;
}

void register_view_aware_base(lua_State* L, int table_index) {
    if (table_index < 0) table_index = lua_gettop(L) + table_index + 1;
    lua_getfield(L, LUA_GLOBALSINDEX, "ipairs");
    lua_pushvalue(L, -1);
    lua_newtable(L);
    lua_call(L, 1, 1);  // ipairs({}) -> ipairs_aux (the state and 0 dropped)
    lua_pushcclosure(L, view_ipairs, 2);
    lua_setfield(L, table_index, "ipairs");
    lua_getfield(L, LUA_GLOBALSINDEX, "next");
    lua_pushcclosure(L, view_pairs, 1);
    lua_setfield(L, table_index, "pairs");
    lua_pushcfunction(L, view_next);
    lua_setfield(L, table_index, "next");
    lua_pushcfunction(L, view_type);
    lua_setfield(L, table_index, "type");
}

}  // namespace till::script::detail
