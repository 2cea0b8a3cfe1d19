// `tillctl sync status|push` as a process against the sync routes served
// over real HTTP.
#include <catch2/catch.hpp>

#include "route_rig.hpp"
#include "support/child_process.hpp"

using namespace till;

namespace {

std::string url(int port) { return "http://127.0.0.1:" + std::to_string(port); }

}  // namespace

TEST_CASE("tillctl sync status prints the state readable and as JSON", "[sync][tillctl]") {
    test::RouteRig r;
    r.rig.sell(2);
    std::string out;
    REQUIRE(test::run_command({TILL_BIN_DIR "/tillctl", "--url", url(r.port()), "sync", "status", "--token",
                               "manager"},
                              out) == 0);
    CHECK_THAT(out, Catch::Contains("state:"));
    CHECK_THAT(out, Catch::Contains("acknowledged:"));
    CHECK_THAT(out, Catch::Contains("of 2"));

    REQUIRE(test::run_command({TILL_BIN_DIR "/tillctl", "--url", url(r.port()), "sync", "push", "--json", "--token",
                               "manager"},
                              out) == 0);
    auto body = sdk::Value::parse_json(out);
    REQUIRE(body);
    CHECK((*body)["queue_depth"].as_int() == 0);
    CHECK((*body)["acknowledged_sequence"].as_int() == 2);
}

TEST_CASE("tillctl sync reports a refused caller and a missing login", "[sync][tillctl]") {
    test::RouteRig r;
    std::string out;
    CHECK(test::run_command({TILL_BIN_DIR "/tillctl", "--url", url(r.port()), "sync", "status", "--token", "cashier"},
                            out) == 1);
    CHECK_THAT(out, Catch::Contains("answered 403"));
    CHECK(test::run_command({"/usr/bin/env", "-u", "TILL_TOKEN", TILL_BIN_DIR "/tillctl", "--url", url(r.port()),
                             "sync", "status"},
                            out) == 2);
    CHECK_THAT(out, Catch::Contains("need a logged-in user"));
}
