// Each escape attempt ends with a clean error, and the state stays usable.
#include <catch2/catch.hpp>

#include "script/lua_sandbox.hpp"
#include "script_test_support.hpp"

using namespace till;
using script::LuaSandbox;
using script::SandboxProfile;

namespace {

LuaSandbox make_sandbox(SandboxProfile profile = SandboxProfile::upsell) {
    script::LibSources libs;
    libs["helper"] = {"scripts/lib/helper.lua", "local M = {}\nfunction M.twice(x) return 2 * x end\nreturn M\n"};
    return LuaSandbox(profile, script::SandboxLimits{}, libs);
}

void require_error(LuaSandbox& sb, const std::string& body, const std::string& expected) {
    auto st = test::run_snippet(sb, body);
    INFO(body);
    REQUIRE_FALSE(st.ok());
    CHECK_THAT(st.message(), Catch::Contains(expected));
    // usable afterwards
    CHECK(test::run_snippet(sb, "assert(('ab'):upper() == 'AB'); assert(string.format('%d', 3) == '3')").ok());
}

}  // namespace

TEST_CASE("io, os.execute, debug, ffi, jit, package and load* are not reachable", "[sandbox]") {
    auto sb = make_sandbox();
    require_error(sb, "io.open('/etc/passwd')", "undefined global 'io'");
    require_error(sb, "os.execute('true')", "attempt to call field 'execute'");
    require_error(sb, "os.getenv('HOME')", "attempt to call field 'getenv'");
    require_error(sb, "return debug.getinfo(1)", "undefined global 'debug'");
    require_error(sb, "require 'ffi'", "module 'ffi' not found");
    require_error(sb, "require 'jit'", "module 'jit' not found");
    require_error(sb, "require '../../etc/passwd'", "bad module name");
    require_error(sb, "return jit.off()", "undefined global 'jit'");
    require_error(sb, "return package.loaded", "undefined global 'package'");
    require_error(sb, "return load('return 1')", "undefined global 'load'");
    require_error(sb, "return loadstring('return 1')", "undefined global 'loadstring'");
    require_error(sb, "return dofile('/etc/passwd')", "undefined global 'dofile'");
    require_error(sb, "return getfenv(1)", "undefined global 'getfenv'");
    require_error(sb, "setfenv(1, {})", "undefined global 'setfenv'");
    require_error(sb, "return rawset(_G, 'x', 1)", "undefined global 'rawset'");
    require_error(sb, "collectgarbage('stop')", "undefined global 'collectgarbage'");
    require_error(sb, "return newproxy(true)", "undefined global 'newproxy'");
}

TEST_CASE("bytecode is refused: string.dump is absent and binary chunks do not load", "[sandbox]") {
    auto sb = make_sandbox();
    require_error(sb, "return string.dump(function() end)", "attempt to call field 'dump'");
    auto loaded = sb.load_file({"scripts/test/upsell/binary.lua", std::string("\x1bLJ\x02\x00junk", 8)});
    REQUIRE_FALSE(loaded.ok());
    CHECK_THAT(loaded.error().message, Catch::Contains("binary"));
    CHECK(test::run_snippet(sb, "return 1").ok());
}

TEST_CASE("globals are strict: reading an undefined one or writing one names it", "[sandbox]") {
    auto sb = make_sandbox();
    require_error(sb, "return undefined_thing + 1", "undefined global 'undefined_thing'");
    require_error(sb, "counter = 1", "cannot set global 'counter'");
    // writes are allowed while a file's main chunk defines its functions
    auto env = sb.load_file({"scripts/test/upsell/defs.lua", "LIMIT = 3\nfunction get() return LIMIT end\n"});
    REQUIRE(env.ok());
    REQUIRE(sb.push_global_function(*env, "get"));
    REQUIRE(sb.call(0, 1).ok());
    sb.pop(1);
}

TEST_CASE("writing _G or library tables fails and changes nothing for other files", "[sandbox]") {
    auto sb = make_sandbox();
    require_error(sb, "_G.string = nil", "attempt to modify read-only table (field 'string')");
    require_error(sb, "_G = {}", "cannot set global '_G'");
    require_error(sb, "string.upper = function() return 'pwned' end", "read-only table (field 'upper')");
    require_error(sb, "table.insert = nil", "read-only table (field 'insert')");
    require_error(sb, "math.floor = nil", "read-only table");
    require_error(sb, "local h = require 'helper'; h.twice = nil", "read-only table (field 'twice')");
    CHECK(test::run_snippet(sb, "assert(require('helper').twice(2) == 4)").ok());
    CHECK(test::run_snippet(sb, "assert(string.upper('x') == 'X'); assert(type(_G) == 'table')").ok());
}

TEST_CASE("the string metatable cannot be reached or tampered with", "[sandbox]") {
    auto sb = make_sandbox();
    require_error(sb, "getmetatable('').__index.upper = function() return 'pwned' end", "attempt to index");
    require_error(sb, "setmetatable('', {})", "bad argument");
    CHECK(test::run_snippet(sb, "assert(getmetatable('') == false)").ok());
    CHECK(test::run_snippet(sb, "assert(('abc'):upper() == 'ABC'); assert(('x'):rep(3) == 'xxx')").ok());
    // methods on strings are the sandbox's: no dump through the metatable
    CHECK(test::run_snippet(sb, "assert(('x').dump == nil)").ok());
}

TEST_CASE("policies get no clock and no randomness", "[sandbox]") {
    auto sb = make_sandbox(SandboxProfile::policy);
    require_error(sb, "return os.time()", "undefined global 'os'");
    require_error(sb, "return math.random()", "attempt to call field 'random'");
    auto upsell = make_sandbox(SandboxProfile::upsell);
    CHECK(test::run_snippet(upsell, "assert(os.time() > 0); assert(math.random(1, 2) >= 1)").ok());
}

TEST_CASE("read-only views work with #, ipairs, pairs, next and type", "[sandbox]") {
    auto sb = make_sandbox();
    CHECK(test::run_snippet(sb, R"(
        local n = 0
        for k, v in pairs(string) do n = n + 1 end
        assert(n > 5, 'pairs over a view')
        assert(type(string) == 'table')
        assert(next(math) ~= nil)
    )").ok());
}
