// GET /api/v1/sync/status and POST /api/v1/sync/push|pull over real HTTP:
// the actions they need, what they answer, 409 when sync is disabled.
#include <catch2/catch.hpp>

#include "route_rig.hpp"
#include "support/http_client.hpp"

using namespace till;
using sdk::Value;

namespace {

test::HttpReply call(int port, const std::string& method, const std::string& path, const std::string& token) {
    return test::http_call(port, method, path, method == "POST" ? "{}" : "",
                           {{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}});
}

}  // namespace

TEST_CASE("the sync status route answers the engine's status to sync.view", "[sync][routes]") {
    test::RouteRig r;
    r.rig.sell(2);
    auto reply = call(r.port(), "GET", "/api/v1/sync/status", "manager");
    REQUIRE(reply.status == 200);
    auto body = Value::parse_json(reply.body);
    REQUIRE(body);
    CHECK((*body)["enabled"].as_bool());
    CHECK((*body)["transport"].as_string() == "test");
    CHECK((*body)["last_sequence"].as_int() == 2);
    for (const char* key : {"state", "queue_depth", "oldest_unsent_age_ms", "last_push_utc_ms", "last_pull_utc_ms",
                            "pull_revision", "acknowledged_sequence", "last_error", "next_attempt_utc_ms",
                            "pushed_total", "pulled_total"})
        CHECK(body->find(key) != nullptr);

    CHECK(call(r.port(), "GET", "/api/v1/sync/status", "nobody").status == 401);
    CHECK(call(r.port(), "GET", "/api/v1/sync/status", "cashier").status == 403);
}

TEST_CASE("push and pull now answer the status after their cycle", "[sync][routes]") {
    test::RouteRig r;
    r.rig.sell(3);
    auto pushed = call(r.port(), "POST", "/api/v1/sync/push", "manager");
    REQUIRE(pushed.status == 200);
    auto body = Value::parse_json(pushed.body);
    REQUIRE(body);
    CHECK((*body)["queue_depth"].as_int() == 0);
    CHECK((*body)["acknowledged_sequence"].as_int() == 3);
    CHECK((*body)["state"].as_string() == "connected");
    r.rig.transport->set_changes({test::SyncRig::change(7, "item", "A", "Apple")}, 10);
    auto pulled = call(r.port(), "POST", "/api/v1/sync/pull", "manager");
    REQUIRE(pulled.status == 200);
    CHECK(Value::parse_json(pulled.body)->operator[]("pull_revision").as_int() == 7);
    CHECK(call(r.port(), "POST", "/api/v1/sync/push", "cashier").status == 403);
}

TEST_CASE("push and pull are refused while sync is disabled", "[sync][routes]") {
    test::RouteRig r(false);
    auto reply = call(r.port(), "POST", "/api/v1/sync/push", "manager");
    CHECK(reply.status == 409);
    CHECK_THAT(reply.body, Catch::Contains("sync is not enabled on this node (sync.enabled: false)"));
    auto status = call(r.port(), "GET", "/api/v1/sync/status", "manager");
    REQUIRE(status.status == 200);
    CHECK(Value::parse_json(status.body)->operator[]("state").as_string() == "disabled");
}
