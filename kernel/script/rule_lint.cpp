#include "script/rule_lint.hpp"

#include <lua.hpp>

#include <set>

namespace till::script {

namespace {

// Runs in a private, trusted state that only compiles the merchant's file
// (it is never executed) and walks its bytecode with jit.util.
constexpr const char* kWalker = R"LUA(
local util = require("jit.util")
local GGET, GSET = 54, 55  -- LuaJIT 2.1 opcodes; confirmed from jit.vmdef when present
local ok, vmdef = pcall(require, "jit.vmdef")
if ok and vmdef and vmdef.bcnames then
  for i = 0, #vmdef.bcnames / 6 - 1 do
    local name = vmdef.bcnames:sub(i * 6 + 1, i * 6 + 6):gsub(" ", "")
    if name == "GGET" then GGET = i elseif name == "GSET" then GSET = i end
  end
end
return function(fn, report)
  local function walk(f, is_main)
    local pc = 0
    while true do
      local ins = util.funcbc(f, pc)
      if ins == nil then break end
      local op = bit.band(ins, 0xff)
      if op == GGET or op == GSET then
        local name = util.funck(f, -bit.rshift(ins, 16) - 1)
        local info = util.funcinfo(f, pc)
        report(op == GSET, tostring(name), info.currentline or 0, is_main)
      end
      pc = pc + 1
    end
    local info = util.funcinfo(f)
    for i = 0, (info.gcconsts or 0) - 1 do
      local k = util.funck(f, -i - 1)
      if type(k) == "proto" then walk(k, false) end
    end
  end
  walk(fn, true)
end
)LUA";

struct Access {
    bool set;
    std::string name;
    int line;
    bool in_main;
};

int collect(lua_State* L) {
    auto* out = static_cast<std::vector<Access>*>(lua_touserdata(L, lua_upvalueindex(1)));
    out->push_back({lua_toboolean(L, 1) != 0, lua_tostring(L, 2), static_cast<int>(lua_tointeger(L, 3)),
                    lua_toboolean(L, 4) != 0});
    return 0;
}

}  // namespace

std::vector<LintFinding> lint_script(const ScriptSource& source, const std::vector<std::string>& allowed) {
    std::vector<LintFinding> findings;
    lua_State* L = luaL_newstate();
    if (!L) return {{source.display_name, 0, "out of memory"}};
    luaL_openlibs(L);
    std::vector<Access> accesses;
    std::string chunk_name = "@" + source.display_name;
    if (luaL_loadbufferx(L, source.text.data(), source.text.size(), chunk_name.c_str(), "t") != 0) {
        std::string message = lua_tostring(L, -1);
        lua_close(L);
        return {{source.display_name, 0, "does not compile: " + message}};
    }
    int chunk = lua_gettop(L);
    if (luaL_loadstring(L, kWalker) != 0 || lua_pcall(L, 0, 1, 0) != 0) {
        std::string message = lua_tostring(L, -1);
        lua_close(L);
        return {{source.display_name, 0, "lint unavailable: " + message}};
    }
    lua_pushvalue(L, chunk);
    lua_pushlightuserdata(L, &accesses);
    lua_pushcclosure(L, collect, 1);
    if (lua_pcall(L, 2, 0, 0) != 0) {
        std::string message = lua_tostring(L, -1);
        lua_close(L);
        return {{source.display_name, 0, "lint failed: " + message}};
    }
    lua_close(L);

    std::set<std::string> known(allowed.begin(), allowed.end());
    for (const auto& a : accesses)
        if (a.set && a.in_main) known.insert(a.name);
    std::set<std::pair<int, std::string>> seen;
    for (const auto& a : accesses) {
        std::string message;
        if (a.set && !a.in_main)
            message = "sets global '" + a.name + "' inside a function (an error at run time; use a local)";
        else if (!a.set && !known.count(a.name))
            message = "undefined global '" + a.name + "'";
        if (message.empty() || !seen.insert({a.line, message}).second) continue;
        findings.push_back({source.display_name, a.line, message});
    }
    return findings;
}

}  // namespace till::script
