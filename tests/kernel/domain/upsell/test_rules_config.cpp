// The `rules:` config section: defaults, scripts_dir resolved against the
// config file's folder, deployment required with it, and the engine options
// the node builds from it.
#include <catch2/catch.hpp>

#include "config/node_config.hpp"
#include "domain/upsell/rules_options.hpp"
#include "support/temp_dir.hpp"

using namespace till;

namespace {
config::NodeConfigLoad load(const test::TempDir& dir, const std::string& rules) {
    const std::string path =
        dir.write("conf/node.yaml", "node: {id: n1, role: store}\n" + (rules.empty() ? std::string() : rules + "\n"));
    return config::load_node_config(path, config::process_env());
}
std::string messages(const config::NodeConfigLoad& l) {
    std::string out;
    for (const auto& d : l.diagnostics) out += d.to_string() + "\n";
    return out;
}
}  // namespace

TEST_CASE("no rules section: no rules engine", "[upsell][config]") {
    test::TempDir dir;
    auto l = load(dir, "");
    INFO(messages(l));
    REQUIRE(l.diagnostics.empty());
    CHECK(l.config.rules["scripts_dir"].as_string().empty());
    CHECK(l.config.rules["reload_interval_ms"].as_int() == 1000);
    CHECK_FALSE(domain::upsell::rules_engine_options_from(l.config.rules));
}

TEST_CASE("the rules section becomes the engine's options", "[upsell][config]") {
    test::TempDir dir;
    auto l = load(dir,
                  "rules:\n  scripts_dir: ../scripts\n  deployment: cafe\n  wall_time_ms: 7\n"
                  "  instruction_limit: 5000\n  memory_bytes: 2097152\n  max_consecutive_failures: 5\n"
                  "  reload_interval_ms: 250\n  max_suggestions: 3\n  evaluation_budget_ms: 40\n"
                  "  policy_wall_time_ms: 70");
    INFO(messages(l));
    REQUIRE(l.diagnostics.empty());
    CHECK(l.config.rules["scripts_dir"].as_string() == dir.path() + "/scripts");
    auto o = domain::upsell::rules_engine_options_from(l.config.rules);
    REQUIRE(o);
    CHECK(o->deployment_dir == dir.path() + "/scripts/cafe");
    CHECK(o->rules.upsell_limits.wall_time_ms == 7);
    CHECK(o->rules.upsell_limits.instruction_limit == 5000);
    CHECK(o->rules.upsell_limits.memory_bytes == 2097152);
    CHECK(o->rules.policy_limits.wall_time_ms == 70);
    CHECK(o->rules.policy_limits.instruction_limit == 5000);
    CHECK(o->rules.max_consecutive_failures == 5);
    CHECK(o->poll_interval_ms == 250);
    CHECK(o->evaluate.max_suggestions == 3);
    CHECK(o->evaluate.evaluation_budget_ms == 40);

    // A copy of the config keeps the section.
    config::NodeConfig copy = l.config;
    CHECK(copy.rules == l.config.rules);
}

TEST_CASE("bad rules sections are errors naming the key", "[upsell][config]") {
    test::TempDir dir;
    auto no_deployment = load(dir, "rules: {scripts_dir: ../scripts}");
    REQUIRE(no_deployment.diagnostics.size() == 1);
    CHECK(no_deployment.diagnostics[0].to_string().find("rules.deployment") != std::string::npos);
    CHECK(no_deployment.diagnostics[0].mark.line == 2);

    auto path_like = load(dir, "rules: {scripts_dir: s, deployment: ../cafe}");
    REQUIRE(path_like.diagnostics.size() == 1);
    CHECK(path_like.diagnostics[0].message.find("../cafe") != std::string::npos);

    auto typo = load(dir, "rules: {scripts_dir: s, deployment: cafe, wall_time: 5}");
    REQUIRE(typo.diagnostics.size() == 1);
    CHECK(typo.diagnostics[0].message.find("wall_time_ms") != std::string::npos);  // did you mean

    auto range = load(dir, "rules: {scripts_dir: s, deployment: cafe, wall_time_ms: 0}");
    REQUIRE(range.diagnostics.size() == 1);
    CHECK(range.diagnostics[0].path == "rules.wall_time_ms");
}
