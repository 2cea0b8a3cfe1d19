// Budgets: loops (JIT on), catastrophic patterns, memory bombs, deep
// recursion and coroutine tricks all end with a clean error, fast.
#include <catch2/catch.hpp>

#include <chrono>

#include "script/lua_sandbox.hpp"
#include "script_test_support.hpp"

using namespace till;
using script::LuaSandbox;

namespace {

struct Timed {
    sdk::Status status;
    std::int64_t elapsed_ms;
};

Timed timed_run(LuaSandbox& sb, const std::string& body) {
    auto started = std::chrono::steady_clock::now();
    auto st = test::run_snippet(sb, body);
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
    return {st, ms};
}

void check_usable(LuaSandbox& sb) {
    CHECK(test::run_snippet(sb, "local t = {} for i = 1, 100 do t[i] = i end assert(#t == 100)").ok());
}

}  // namespace

TEST_CASE("an endless loop stops at the instruction budget with the JIT on", "[budget]") {
    script::SandboxLimits limits;
    limits.instruction_limit = 200000;
    limits.wall_time_ms = 2000;
    LuaSandbox sb(script::SandboxProfile::upsell, limits, {});
    auto r = timed_run(sb, "while true do end");
    REQUIRE_FALSE(r.status.ok());
    CHECK_THAT(r.status.message(), Catch::Contains("instruction budget exceeded"));
    CHECK_THAT(r.status.message(), Catch::Contains("scripts/test/upsell/snippet"));
    CHECK_THAT(r.status.message(), Catch::Contains(".lua:2:"));
    CHECK(r.elapsed_ms < 1500);
    // a numeric for loop is what the JIT compiles first
    r = timed_run(sb, "local x = 0 for i = 1, 1e12 do x = x + i end");
    REQUIRE_FALSE(r.status.ok());
    CHECK_THAT(r.status.message(), Catch::Contains("budget exceeded"));
    check_usable(sb);
}

TEST_CASE("the wall-clock deadline holds when instructions are plentiful", "[budget]") {
    script::SandboxLimits limits;
    limits.instruction_limit = 1'000'000'000'000;
    limits.wall_time_ms = 30;
    LuaSandbox sb(script::SandboxProfile::upsell, limits, {});
    auto r = timed_run(sb, "while true do end");
    REQUIRE_FALSE(r.status.ok());
    CHECK_THAT(r.status.message(), Catch::Contains("time budget exceeded (30 ms)"));
    CHECK(r.elapsed_ms < 1000);
    check_usable(sb);
}

TEST_CASE("a catastrophic string.find pattern is stopped inside C", "[budget]") {
    script::SandboxLimits limits;
    limits.wall_time_ms = 50;
    LuaSandbox sb(script::SandboxProfile::upsell, limits, {});
    auto r = timed_run(sb, "return string.find(string.rep('a', 20000), '.-.-.-b')");
    REQUIRE_FALSE(r.status.ok());
    CHECK_THAT(r.status.message(), Catch::Contains("budget exceeded"));
    CHECK(r.elapsed_ms < 1000);
    r = timed_run(sb, "return ('a'):rep(5000):match('(.*)(.*)(.*)b')");
    REQUIRE_FALSE(r.status.ok());
    r = timed_run(sb, "return ('a'):rep(5000):gsub('(.-)(.-)b', 'x')");
    REQUIRE_FALSE(r.status.ok());
    r = timed_run(sb, "for w in ('a'):rep(5000):gmatch('.-.-b') do end");
    REQUIRE_FALSE(r.status.ok());
    CHECK(r.elapsed_ms < 1000);
    check_usable(sb);
}

TEST_CASE("pattern functions keep Lua 5.1 semantics", "[budget]") {
    LuaSandbox sb(script::SandboxProfile::upsell, {}, {});
    auto st = test::run_snippet(sb, R"(
        assert(string.find('hello world', 'o w') == 5)
        assert(string.find('a.b', '.', 1, true) == 2)
        local s, e, cap = string.find('key=value', '(%w+)=')
        assert(s == 1 and e == 4 and cap == 'key')
        assert(string.match('2026-11-20', '(%d+)-(%d+)-(%d+)') == '2026')
        assert(select(3, string.match('2026-11-20', '(%d+)-(%d+)-(%d+)')) == '20')
        assert(string.match('  trim  ', '^%s*(.-)%s*$') == 'trim')
        assert(string.gsub('hello world', 'o', '0') == 'hell0 w0rld')
        assert(select(2, string.gsub('abc', '%w', '%0%0')) == 3)
        assert(string.gsub('abc', '%w', '%0%0') == 'aabbcc')
        assert(string.gsub('$name is $age', '%$(%w+)', {name = 'Ann', age = 30}) == 'Ann is 30')
        assert(string.gsub('x y', '%w', function(c) return c:upper() end) == 'X Y')
        assert(string.match('f(a(b)c)', '%b()') == '(a(b)c)')
        assert(string.find('THE (quick) fox', '%f[%a]%a+', 5) == 6)
        local words = {}
        for w in string.gmatch('one two  three', '%a+') do words[#words + 1] = w end
        assert(#words == 3 and words[3] == 'three')
        assert(string.match('hello', '()ll()') == 3)
        assert(string.match('abab', '(ab)%1') == 'ab')
        assert(string.find('abc', '[b-c]+') == 2)
        assert(string.find('abc', '[^a]') == 2)
        assert(string.match('x', 'y') == nil)
        assert(string.gsub('abc', '', '-') == '-a-b-c-')
    )");
    INFO(st.message());
    CHECK(st.ok());
    auto bad = test::run_snippet(sb, "return string.find('a', '[a')");
    REQUIRE_FALSE(bad.ok());
    CHECK_THAT(bad.message(), Catch::Contains("malformed pattern"));
}

TEST_CASE("string.rep bombs are refused before allocating", "[budget]") {
    LuaSandbox sb(script::SandboxProfile::upsell, {}, {});
    auto r = timed_run(sb, "return string.rep('x', 1e10)");
    REQUIRE_FALSE(r.status.ok());
    CHECK_THAT(r.status.message(), Catch::Contains("string.rep: result of"));
    r = timed_run(sb, "return ('abc'):rep(1e6, ',')");
    REQUIRE_FALSE(r.status.ok());
    check_usable(sb);
}

TEST_CASE("the memory ceiling stops growth and the state recovers", "[budget]") {
    script::SandboxLimits limits;
    limits.memory_bytes = 8u * 1024u * 1024u;
    limits.instruction_limit = 100'000'000;
    limits.wall_time_ms = 5000;
    LuaSandbox sb(script::SandboxProfile::upsell, limits, {});
    auto r = timed_run(sb, "local s = 'x' for i = 1, 40 do s = s .. s end");
    REQUIRE_FALSE(r.status.ok());
    CHECK_THAT(r.status.message(), Catch::Contains("memory budget exceeded"));
    r = timed_run(sb, "local t = {} for i = 1, 1e9 do t[i] = {i} end");
    REQUIRE_FALSE(r.status.ok());
    CHECK_THAT(r.status.message(), Catch::Contains("memory budget exceeded"));
    // swallowing the error with pcall does not help
    r = timed_run(sb, "while true do pcall(function() local t = {} for i = 1, 1e9 do t[i] = {i} end end) end");
    REQUIRE_FALSE(r.status.ok());
    CHECK_THAT(r.status.message(), Catch::Contains("budget exceeded"));
    check_usable(sb);
    CHECK(sb.memory_used_bytes() < limits.memory_bytes);
}

TEST_CASE("deep recursion ends with a stack overflow error", "[budget]") {
    script::SandboxLimits limits;
    limits.instruction_limit = 100'000'000;
    limits.wall_time_ms = 5000;
    LuaSandbox sb(script::SandboxProfile::upsell, limits, {});
    auto r = timed_run(sb, "local function f(n) return 1 + f(n + 1) end return f(1)");
    REQUIRE_FALSE(r.status.ok());
    CHECK_THAT(r.status.message(), Catch::Contains("stack overflow"));
    r = timed_run(sb, "local function f() return pcall(f) end return f()");  // recursion through C
    check_usable(sb);
}

TEST_CASE("pcall, xpcall and coroutines cannot swallow an exhausted budget", "[budget]") {
    script::SandboxLimits limits;
    limits.instruction_limit = 100000;
    limits.wall_time_ms = 2000;
    LuaSandbox sb(script::SandboxProfile::upsell, limits, {});
    auto r = timed_run(sb, "while true do pcall(function() while true do end end) end");
    REQUIRE_FALSE(r.status.ok());
    CHECK_THAT(r.status.message(), Catch::Contains("instruction budget exceeded"));
    r = timed_run(sb, "while true do xpcall(function() while true do end end, function(e) return e end) end");
    REQUIRE_FALSE(r.status.ok());
    CHECK_THAT(r.status.message(), Catch::Contains("budget exceeded"));
    // a coroutine that yields out of its loop forever, resumed forever
    r = timed_run(sb, R"(
        local co = coroutine.create(function() while true do coroutine.yield() end end)
        while true do coroutine.resume(co) end)");
    REQUIRE_FALSE(r.status.ok());
    CHECK_THAT(r.status.message(), Catch::Contains("instruction budget exceeded"));
    r = timed_run(sb, R"(
        local co = coroutine.wrap(function() while true do end end)
        while true do pcall(co) end)");
    REQUIRE_FALSE(r.status.ok());
    CHECK_THAT(r.status.message(), Catch::Contains("budget exceeded"));
    // yielding out of the rule itself (not inside a coroutine) is an error
    r = timed_run(sb, "coroutine.yield(1)");
    REQUIRE_FALSE(r.status.ok());
    CHECK_THAT(r.status.message(), Catch::Contains("yield"));
    // a budget error caught inside a coroutine and the loop continued
    r = timed_run(sb, R"(
        local co = coroutine.create(function() while true do end end)
        local ok = coroutine.resume(co)
        while true do end)");
    REQUIRE_FALSE(r.status.ok());
    CHECK(r.elapsed_ms < 1500);
    check_usable(sb);
}

TEST_CASE("huge table.sort and table.concat are charged before they run", "[budget]") {
    script::SandboxLimits limits;
    limits.instruction_limit = 200000;
    LuaSandbox sb(script::SandboxProfile::upsell, limits, {});
    auto r = timed_run(sb, "local t = {} for i = 1, 150000 do t[i] = i end table.sort(t)");
    REQUIRE_FALSE(r.status.ok());
    CHECK_THAT(r.status.message(), Catch::Contains("instruction budget exceeded"));
    check_usable(sb);
}
