// Each broken plugin ends in a recorded state with a one-line reason naming
// the file, and the node keeps serving.
#include <catch2/catch.hpp>

#include <filesystem>

#include "fixture_dir.hpp"
#include "node/node.hpp"
#include "support/http_client.hpp"
#include "till/sdk/abi.hpp"
#include "till/sdk/value.hpp"

namespace {

using till::sdk::Value;

struct Started {
    std::unique_ptr<till::node::Node> node;
    Value description;
};

Started start_node(till::test::FixtureNodeDir& dir, const std::string& extra = {}) {
    till::node::NodeOptions options;
    options.config_path = dir.write_config(extra);
    auto started = till::node::Node::start(options);
    INFO((started ? std::string() : started.error().message));
    REQUIRE(started);
    Started s;
    s.node = std::move(*started);
    auto health = till::test::http_get(s.node->port(), "/healthz");
    REQUIRE(health.status == 200);
    auto reply = till::test::http_get(s.node->port(), "/api/v1/node");
    REQUIRE(reply.status == 200);
    auto parsed = Value::parse_json(reply.body);
    REQUIRE(parsed);
    s.description = *parsed;
    return s;
}

const Value& plugin(const Value& description, const std::string& id) {
    for (const auto& p : description["plugins"].as_list())
        if (p["id"].as_string() == id) return p;
    FAIL("plugin " << id << " not listed in " << description.to_json());
    static Value none;
    return none;
}

void check_state(const std::string& fixture, const std::string& state, const std::string& reason_part) {
    till::test::FixtureNodeDir dir;
    dir.add_fixture(fixture);
    dir.add_fixture("fixture_good");
    auto s = start_node(dir);
    const Value& p = plugin(s.description, fixture);
    INFO(p.to_json());
    CHECK(p["state"].as_string() == state);
    CHECK_THAT(p["reason"].as_string(), Catch::Contains(reason_part));
    CHECK(p["reason"].as_string().find('\n') == std::string::npos);
    // The healthy neighbour still runs and its route answers.
    CHECK(plugin(s.description, "fixture_good")["state"].as_string() == "running");
    CHECK(till::test::http_get(s.node->port(), "/api/v1/fixture/good").status == 200);
}

// Alone in a node, the failed plugin's route must not exist: rollback.
void check_route_rolled_back(const std::string& fixture, const std::string& path) {
    till::test::FixtureNodeDir dir;
    dir.add_fixture(fixture);
    auto s = start_node(dir);
    CHECK(till::test::http_get(s.node->port(), path).status == 404);
}

}  // namespace

TEST_CASE("wrong SDK ABI major is incompatible", "[loader]") {
    check_state("fixture_wrong_abi_major", "incompatible",
                "built for SDK ABI 2." + std::to_string(TILL_SDK_ABI_MINOR) + ", this kernel provides " +
                    std::to_string(TILL_SDK_ABI_MAJOR) + "." +
                    std::to_string(TILL_SDK_ABI_MINOR));
    check_state("fixture_wrong_abi_major", "incompatible", "till-fixture-wrong-abi-major.so");
}

TEST_CASE("a newer SDK ABI minor is incompatible", "[loader]") {
    check_state("fixture_newer_minor", "incompatible",
                "built for SDK ABI 1.99, newer than this kernel's " + std::to_string(TILL_SDK_ABI_MAJOR) + "." +
                    std::to_string(TILL_SDK_ABI_MINOR));
}

TEST_CASE("a different C++ ABI tag is incompatible", "[loader]") {
    check_state("fixture_wrong_cxx_tag", "incompatible", "C++ ABI tag \"gxx-abi-1002/cxx11-0\" differs");
}

TEST_CASE("a library without the entry symbol is incompatible", "[loader]") {
    check_state("fixture_no_entry", "incompatible", "no till_plugin_entry_v1 entry symbol");
}

TEST_CASE("an undefined symbol fails at load, not at first call", "[loader]") {
    check_state("fixture_undefined_symbol", "failed_to_load", "till_fixture_function_nobody_defines");
}

TEST_CASE("a throwing on_start fails to start and is rolled back", "[loader]") {
    check_state("fixture_start_throws", "failed_to_start", "on_start: on_start threw: printer on fire");
    check_route_rolled_back("fixture_start_throws", "/api/v1/fixture/start_throws");
}

TEST_CASE("a throwing on_register fails to start and leaves nothing behind", "[loader]") {
    check_state("fixture_register_throws", "failed_to_start", "on_register threw: bad registration");
    check_route_rolled_back("fixture_register_throws", "/api/v1/fixture/register_throws");
}

TEST_CASE("a throwing constructor fails to start", "[loader]") {
    check_state("fixture_ctor_throws", "failed_to_start", "constructor threw: cannot construct");
}

TEST_CASE("a file that is not ELF fails to load", "[loader]") {
    till::test::FixtureNodeDir dir;
    dir.add_fixture("fixture_good");
    dir.plugin_file("broken", "plugin.yaml",
                    "id: broken\nkinds: [report]\nversion: 0.1.0\nsdk_abi: \"1.0\"\ndescription: broken\n");
    auto lib = dir.plugin_file("broken", "till-broken.so", "this is a text file, not a library\n");
    auto s = start_node(dir);
    const Value& p = plugin(s.description, "broken");
    CHECK(p["state"].as_string() == "failed_to_load");
    CHECK(p["reason"].as_string() == lib + ": not an ELF shared library");
    CHECK(plugin(s.description, "fixture_good")["state"].as_string() == "running");
}

TEST_CASE("a missing library file fails to load", "[loader]") {
    till::test::FixtureNodeDir dir;
    dir.plugin_file("ghost", "plugin.yaml",
                    "id: ghost\nkinds: [report]\nversion: 0.1.0\nsdk_abi: \"1.0\"\ndescription: g\nlibrary: till-ghost.so\n");
    auto s = start_node(dir);
    const Value& p = plugin(s.description, "ghost");
    CHECK(p["state"].as_string() == "failed_to_load");
    CHECK_THAT(p["reason"].as_string(), Catch::Contains("till-ghost.so not found"));
}

TEST_CASE("a library without a manifest fails to load", "[loader]") {
    till::test::FixtureNodeDir dir;
    std::filesystem::create_directories(dir.plugins_dir() + "/orphan");
    std::filesystem::copy_file(till::test::fixture_library("fixture_good"), dir.plugins_dir() + "/orphan/till-orphan.so");
    auto s = start_node(dir);
    const Value& p = plugin(s.description, "orphan");
    CHECK(p["state"].as_string() == "failed_to_load");
    CHECK_THAT(p["reason"].as_string(), Catch::Contains("plugin.yaml: manifest missing"));
}

TEST_CASE("an invalid manifest fails to load with file:line:col", "[loader]") {
    till::test::FixtureNodeDir dir;
    auto manifest = dir.plugin_file("bad", "plugin.yaml",
                                    "id: bad\nkinds: [report]\nversion: 0.1\nsdk_abi: \"1.0\"\ndescription: b\n");
    dir.plugin_file("bad", "till-bad.so", "x");
    auto s = start_node(dir);
    const Value& p = plugin(s.description, "bad");
    CHECK(p["state"].as_string() == "failed_to_load");
    CHECK_THAT(p["reason"].as_string(), Catch::Contains(manifest + ":3:10: version"));
}

TEST_CASE("a dependency cycle fails both plugins", "[loader]") {
    till::test::FixtureNodeDir dir;
    dir.add_fixture("fixture_cycle_a");
    dir.add_fixture("fixture_cycle_b");
    dir.add_fixture("fixture_good");
    auto s = start_node(dir);
    for (const char* id : {"fixture_cycle_a", "fixture_cycle_b"}) {
        const Value& p = plugin(s.description, id);
        CHECK(p["state"].as_string() == "failed_to_start");
        CHECK_THAT(p["reason"].as_string(), Catch::Contains("dependency cycle: "));
    }
    CHECK_THAT(plugin(s.description, "fixture_cycle_a")["reason"].as_string(),
               Catch::Contains("fixture_cycle_a -> fixture_cycle_b -> fixture_cycle_a"));
    CHECK(plugin(s.description, "fixture_good")["state"].as_string() == "running");
}

TEST_CASE("a missing dependency fails to start", "[loader]") {
    check_state("fixture_missing_dep", "failed_to_start", "depends on fixture_nowhere *, which was not found");
}

TEST_CASE("a dependency that failed fails its dependents", "[loader]") {
    till::test::FixtureNodeDir dir;
    dir.add_fixture("fixture_dependent");
    dir.plugin_file("fixture_good", "plugin.yaml",
                    "id: fixture_good\nkinds: [report]\nversion: 1.2.0\nsdk_abi: \"9.0\"\ndescription: g\n");
    std::filesystem::copy_file(till::test::fixture_library("fixture_good"),
                               dir.plugins_dir() + "/fixture_good/till-fixture-good.so");
    auto s = start_node(dir);
    CHECK(plugin(s.description, "fixture_good")["state"].as_string() == "incompatible");
    CHECK_THAT(plugin(s.description, "fixture_dependent")["reason"].as_string(),
               Catch::Contains("depends on fixture_good, which is incompatible"));
}

TEST_CASE("a required plugin that fails stops the node from starting", "[loader]") {
    till::test::FixtureNodeDir dir;
    dir.add_fixture("fixture_start_throws");
    till::node::NodeOptions options;
    options.config_path = dir.write_config("  required: [fixture_start_throws]\n");
    auto started = till::node::Node::start(options);
    REQUIRE_FALSE(started);
    CHECK(started.error().code == "required_plugin_failed");
    CHECK_THAT(started.error().message, Catch::Contains("fixture_start_throws is failed_to_start"));

    till::test::FixtureNodeDir dir2;
    options.config_path = dir2.write_config("  required: [not_there]\n");
    auto started2 = till::node::Node::start(options);
    REQUIRE_FALSE(started2);
    // Known before any plugin loads: a config error at its place in the file.
    CHECK(started2.error().code == "invalid_config");
    CHECK_THAT(started2.error().message,
               Catch::Contains(options.config_path +
                               ":11:14: plugins.required[0]: required plugin \"not_there\" is not in plugins.dirs"));
}

TEST_CASE("a throwing route handler answers 500 and the node keeps serving", "[loader]") {
    till::test::FixtureNodeDir dir;
    dir.add_fixture("fixture_good");
    auto s = start_node(dir);
    auto reply = till::test::http_get(s.node->port(), "/api/v1/fixture/throws");
    CHECK(reply.status == 500);
    CHECK(reply.content_type == "application/problem+json");
    CHECK(till::test::http_get(s.node->port(), "/healthz").status == 200);
}
