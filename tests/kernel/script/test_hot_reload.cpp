// Hot reload: files edited on disk under a running engine (watcher thread),
// with bounded waits. A broken version is refused and reported; the running
// version keeps answering.
#include <catch2/catch.hpp>

#include <filesystem>
#include <mutex>

#include "script/rules_engine.hpp"
#include "script_test_support.hpp"
#include "support/temp_dir.hpp"

using namespace till;
using namespace till::script;

namespace {

std::string first_sku(RulesEngine& engine) {
    auto r = engine.evaluate_upsell(test::cart_of({test::line("A", "d", 100)}), UpsellContext{});
    return r.suggestions.empty() ? "" : r.suggestions[0].sku;
}

std::string rule(const std::string& sku, int priority = 0) {
    return "function upsell(cart, ctx)\n  return {{sku = '" + sku + "', reason = 'r', priority = " +
           std::to_string(priority) + "}}\nend\n";
}

}  // namespace

TEST_CASE("editing, adding and removing scripts takes effect without a restart", "[reload]") {
    test::TempDir dir("till-reload");
    dir.write("scripts/lib/names.lua", "return { best = 'V1' }\n");
    dir.write("scripts/cafe/upsell/a.lua",
              "local names = require 'names'\nfunction upsell(cart, ctx)\n  return {{sku = names.best, reason = 'r'}}\nend\n");
    std::mutex mutex;
    std::vector<std::string> errors;
    int reloads = 0;
    RulesEngineOptions o;
    o.deployment_dir = dir.file("scripts/cafe");
    o.poll_interval_ms = 20;
    o.on_reload_error = [&](const std::string& e) {
        std::lock_guard lock(mutex);
        errors.push_back(e);
    };
    o.on_reloaded = [&](const RulesStatus&) {
        std::lock_guard lock(mutex);
        ++reloads;
    };
    RulesEngine engine(o);
    REQUIRE(engine.start().ok());
    CHECK(first_sku(engine) == "V1");

    SECTION("an edited rule runs in its new version") {
        dir.write("scripts/cafe/upsell/a.lua", rule("V2"));
        CHECK(test::wait_until([&] { return first_sku(engine) == "V2"; }));
        CHECK(engine.status().reloads >= 1);
    }
    SECTION("an edited lib module is picked up") {
        dir.write("scripts/lib/names.lua", "return { best = 'LIB2' }\n");
        CHECK(test::wait_until([&] { return first_sku(engine) == "LIB2"; }));
    }
    SECTION("added and removed files") {
        dir.write("scripts/cafe/upsell/b.lua", rule("B", 10));
        CHECK(test::wait_until([&] { return first_sku(engine) == "B"; }));
        CHECK(engine.status().rules.size() == 2);
        std::filesystem::remove(dir.file("scripts/cafe/upsell/b.lua"));
        CHECK(test::wait_until([&] { return first_sku(engine) == "V1"; }));
        CHECK(engine.status().rules.size() == 1);
    }
    SECTION("a broken version is refused, reported, and the old one keeps running") {
        dir.write("scripts/cafe/upsell/b.lua", rule("B", 10));
        dir.write("scripts/cafe/upsell/a.lua", "function upsell(cart, ctx)\n  return {{sku = 'X'\nend\n");
        REQUIRE(test::wait_until([&] {
            std::lock_guard lock(mutex);
            return !errors.empty();
        }));
        {
            std::lock_guard lock(mutex);
            CHECK_THAT(errors[0], Catch::Contains("scripts/cafe/upsell/a.lua:3:"));
            CHECK_THAT(errors[0], Catch::Contains("version refused"));
        }
        auto status = engine.status();
        CHECK_THAT(status.last_reload_error, Catch::Contains("scripts/cafe/upsell/a.lua:3:"));
        CHECK(status.rules.size() == 1);  // b.lua is not half-applied: atomic per deployment
        CHECK(first_sku(engine) == "V1");
        // a version without upsell() is refused too
        dir.write("scripts/cafe/upsell/a.lua", "local x = 1\n");
        REQUIRE(test::wait_until([&] {
            return engine.status().last_reload_error.find("does not define upsell") != std::string::npos;
        }));
        // a main chunk that loops is refused by its budget
        dir.write("scripts/cafe/upsell/a.lua", "while true do end\n");
        REQUIRE(test::wait_until([&] {
            return engine.status().last_reload_error.find("budget exceeded") != std::string::npos;
        }));
        CHECK(first_sku(engine) == "V1");
        // fixed: the new version (with b.lua) runs and the error clears
        dir.write("scripts/cafe/upsell/a.lua", rule("A2"));
        REQUIRE(test::wait_until([&] { return first_sku(engine) == "B"; }));
        CHECK(engine.status().last_reload_error.empty());
        CHECK(engine.status().rules.size() == 2);
    }
    engine.stop();
}

TEST_CASE("a deployment that fails its first load serves nothing until fixed", "[reload]") {
    test::TempDir dir("till-reload");
    dir.write("scripts/cafe/upsell/a.lua", "function upsell(cart, ctx) return {{sku = 'A', reason = 'r'}\n");
    RulesEngineOptions o;
    o.deployment_dir = dir.file("scripts/cafe");
    o.poll_interval_ms = 20;
    RulesEngine engine(o);
    auto started = engine.start();
    REQUIRE_FALSE(started.ok());
    CHECK_THAT(started.message(), Catch::Contains("scripts/cafe/upsell/a.lua"));
    CHECK_FALSE(engine.status().loaded);
    CHECK(first_sku(engine).empty());
    dir.write("scripts/cafe/upsell/a.lua", rule("A"));
    CHECK(test::wait_until([&] { return first_sku(engine) == "A"; }));
    CHECK(engine.status().loaded);
    engine.stop();
}

TEST_CASE("a missing deployment folder is reported", "[reload]") {
    test::TempDir dir("till-reload");
    RulesEngineOptions o;
    o.deployment_dir = dir.file("scripts/nowhere");
    o.poll_interval_ms = 0;
    RulesEngine engine(o);
    auto started = engine.start();
    REQUIRE_FALSE(started.ok());
    CHECK_THAT(started.message(), Catch::Contains("not a directory"));
}
