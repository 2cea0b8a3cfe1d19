#include <catch2/catch.hpp>

#include "node_process.hpp"

using namespace till::test;

TEST_CASE("tillctl config check accepts a good config and lists its plugins", "[tillctl]") {
    TempDir dir("till-ctl");
    copy_fixture(dir, "fixture_good");
    auto path = dir.write("node.yaml", node_config("fixture_good:\n  greeting: hey\n"));
    std::string output;
    CHECK(run_command({bin("tillctl"), "config", "check", path}, output) == 0);
    CHECK_THAT(output, Catch::Contains(": ok") && Catch::Contains("fixture_good"));
}

TEST_CASE("tillctl config check reports plugin section errors with file:line:col", "[tillctl]") {
    TempDir dir("till-ctl");
    copy_fixture(dir, "fixture_good");
    auto path = dir.write("node.yaml", node_config("fixture_good:\n  repeat: lots\n  greting: hey\nfixture_godo:\n  x: 1\n"));
    std::string output;
    CHECK(run_command({bin("tillctl"), "config", "check", path}, output) == 2);
    CHECK_THAT(output, Catch::Contains(path + ":9:11: fixture_good.repeat: expected integer"));
    CHECK_THAT(output, Catch::Contains(path + ":10:3: fixture_good.greting") &&
                           Catch::Contains("did you mean \"greeting\"?"));
    CHECK_THAT(output, Catch::Contains(path + ":11:1:") && Catch::Contains("did you mean \"fixture_good\"?"));
}

TEST_CASE("tillctl plugins schema prints each plugin's config keys", "[tillctl]") {
    TempDir dir("till-ctl");
    copy_fixture(dir, "fixture_good");
    std::string output;
    CHECK(run_command({bin("tillctl"), "plugins", "schema", "--dir", dir.file("plugins")}, output) == 0);
    CHECK_THAT(output, Catch::Contains("## fixture_good 1.2.0") && Catch::Contains("greeting") &&
                           Catch::Contains("repeat"));
}

TEST_CASE("tillctl explains an unreachable node and bad usage", "[tillctl]") {
    std::string output;
    CHECK(run_command({bin("tillctl"), "--url", "http://127.0.0.1:" + std::to_string(free_loopback_port()), "plugins"},
                      output) == 1);
    CHECK_THAT(output, Catch::Contains("cannot reach"));
    CHECK(run_command({bin("tillctl"), "frobnicate"}, output) == 2);
    CHECK_THAT(output, Catch::Contains("usage:"));
}
