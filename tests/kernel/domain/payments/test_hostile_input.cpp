// A hostile client against every route of the people, audit, payments,
// registers and inventory modules, over real HTTP with real tokens: bad
// bodies, wrong types, wrong Content-Type, odd path parameters, query
// abuse and broken tokens. The API must answer every one with a 4xx
// problem+json (422 naming a JSON path for a bad field) — never a 5xx —
// and keep serving afterwards.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "sales_rig.hpp"

using namespace till;
using sdk::Value;
using till::test::HttpReply;
using till::test::new_key;
using till::test::SalesRig;

namespace {

struct Route {
    std::string method;
    std::string path;  ///< with {p} where a path parameter goes
};

std::string fill(const std::string& pattern, const std::string& param) {
    std::string out = pattern;
    auto at = out.find("{p}");
    if (at != std::string::npos) out.replace(at, 3, param);
    return out;
}

bool is_problem(const HttpReply& r) { return r.content_type.find("application/problem+json") != std::string::npos; }

/// Every answer of `r` to a bad request: 4xx problem+json, never a 5xx.
void expect_client_error(const HttpReply& r, const std::string& what) {
    INFO(what << " -> " << r.status << " " << r.body);
    CHECK(r.status >= 400);
    CHECK(r.status < 500);
    CHECK(is_problem(r));
}

/// Answers that may be a success (e.g. an odd but harmless query) must
/// still never be a 5xx, and an error must be problem+json.
void expect_no_server_error(const HttpReply& r, const std::string& what) {
    INFO(what << " -> " << r.status << " " << r.body);
    CHECK(r.status < 500);
    if (r.status >= 400) CHECK(is_problem(r));
}

std::string json_path(const HttpReply& r) {
    auto v = Value::parse_json(r.body);
    if (!v || !v->is_map()) return {};
    const auto& errors = (*v)["errors"].as_list();
    return errors.empty() ? std::string() : errors[0]["path"].as_string();
}

const std::vector<Route>& body_routes() {
    static const std::vector<Route> routes = {
        {"POST", "/api/v1/auth/overrides"},
        {"POST", "/api/v1/users"},
        {"PATCH", "/api/v1/users/{p}"},
        {"POST", "/api/v1/orders/{p}/payments"},
        {"POST", "/api/v1/registers/T9/sessions"},
        {"POST", "/api/v1/registers/T9/sessions/current/close"},
        {"POST", "/api/v1/registers/T9/cash-movements"},
        {"POST", "/api/v1/registers/T9/no-sale"},
        {"POST", "/api/v1/inventory/adjustments"},
        {"PUT", "/api/v1/inventory/{p}/threshold"},
    };
    return routes;
}

const std::vector<Route>& read_routes() {
    static const std::vector<Route> routes = {
        {"GET", "/api/v1/auth/me"},
        {"GET", "/api/v1/users"},
        {"GET", "/api/v1/users/{p}"},
        {"GET", "/api/v1/audit"},
        {"GET", "/api/v1/audit/verify"},
        {"GET", "/api/v1/orders/{p}/payments"},
        {"GET", "/api/v1/payments/{p}"},
        {"GET", "/api/v1/payment-methods"},
        {"GET", "/api/v1/registers"},
        {"GET", "/api/v1/registers/T9/sessions/current"},
        {"GET", "/api/v1/registers/T9/x-report"},
        {"GET", "/api/v1/registers/T9/z-reports"},
        {"GET", "/api/v1/registers/T9/z-reports/{p}"},
        {"GET", "/api/v1/inventory/low-stock"},
        {"GET", "/api/v1/inventory/{p}"},
        {"GET", "/api/v1/inventory/{p}/movements"},
    };
    return routes;
}

}  // namespace

TEST_CASE("every route refuses a broken token with 401 problem+json", "[hostile][auth][review]") {
    SalesRig rig;
    auto carol = rig.login("carol", "3333");
    std::string tampered = carol;
    tampered[tampered.size() / 2] = tampered[tampered.size() / 2] == 'A' ? 'B' : 'A';
    const std::vector<std::string> tokens = {"", "garbage", "a.b.c", tampered, carol + "x",
                                             std::string(5000, 'A')};
    std::vector<Route> all = body_routes();
    all.insert(all.end(), read_routes().begin(), read_routes().end());
    all.push_back({"POST", "/api/v1/payments/{p}/void"});
    for (const auto& route : all) {
        for (const auto& token : tokens) {
            std::map<std::string, std::string> headers;
            if (!token.empty()) headers["Authorization"] = "Bearer " + token;
            auto r = test::http_call(rig.port(), route.method, fill(route.path, "x"), "{}", headers);
            INFO(route.method << " " << route.path << " token " << token.substr(0, 20));
            CHECK(r.status == 401);
            CHECK(is_problem(r));
        }
    }

    // An expired token, and the live token of a user deactivated since.
    auto alice = rig.login("alice", "1111");
    auto me = test::http_call(rig.port(), "GET", "/api/v1/auth/me", "", {{"Authorization", "Bearer " + alice}});
    REQUIRE(me.status == 200);
    const std::string alice_id = Value::parse_json(me.body).value()["id"].as_string();
    Value off = Value::map();
    off.set("active", false);
    REQUIRE(rig.call("PATCH", "/api/v1/users/" + alice_id, carol, off).status == 200);
    CHECK(test::http_call(rig.port(), "GET", "/api/v1/auth/me", "", {{"Authorization", "Bearer " + alice}}).status ==
          401);
    rig.fixture().clock().advance_ms(rig.fixture().auth().token_ttl_s * 1000 + 1000);
    CHECK(test::http_call(rig.port(), "GET", "/api/v1/auth/me", "", {{"Authorization", "Bearer " + carol}}).status ==
          401);
}

TEST_CASE("bad bodies on every writing route are 4xx problem+json, never 5xx", "[hostile][body][review]") {
    SalesRig rig;
    auto carol = rig.login("carol", "3333", "T9");
    const std::map<std::string, std::string> auth = {{"Authorization", "Bearer " + carol}};
    const std::vector<std::string> bodies = {
        "",
        "null",
        "[]",
        "\"text\"",
        "42",
        "{",
        "{\"a\":1,}",
        "{\"unknown_field\":1}",
        "{}",
        "{\"amount_minor\":1.5}",
        "{\"amount_minor\":1e3}",
        "{\"amount_minor\":99999999999999999999999}",
        "{\"amount_minor\":-1}",
        "{\"amount_minor\":\"100\"}",
        "{\"counted\":{}}",
        "{\"counted\":[1,2]}",
        "{\"counted\":[{\"denomination_minor\":-5,\"count\":1}]}",
        "{\"opening_float_minor\":-1}",
        "{\"qty_delta_milli\":9223372036854775807,\"sku\":\"X\",\"reason_code\":\"count\"}",
        "{\"low_stock_threshold_milli\":-2}",
        "{\"name\":" + std::string("\"") + std::string(10000, 'n') + "\"}",
        "{\"role\":[\"admin\"]}",
        "{\"pin\":1234}",
        "{\"active\":\"false\"}",
        std::string(64, '[') + std::string(64, ']'),
        std::string(5000, '[') + std::string(5000, ']'),
        "{\"a\":\"\\ud800\"}",
    };
    for (const auto& route : body_routes()) {
        for (const auto& body : bodies) {
            auto r = test::http_call(rig.port(), route.method, fill(route.path, "nope"), body, auth);
            expect_client_error(r, route.method + " " + route.path + " body " + body.substr(0, 60));
            if (r.status == 422) {
                INFO(route.path << " " << body.substr(0, 60) << " -> " << r.body);
                CHECK(json_path(r).rfind("$", 0) == 0);
            }
        }
        // A right-looking JSON object with the wrong Content-Type.
        auto wrong_type = test::http_call(rig.port(), route.method, fill(route.path, "nope"), "{}",
                                          {{"Authorization", "Bearer " + carol}, {"Content-Type", "text/plain"}});
        expect_client_error(wrong_type, route.path + " text/plain");
    }
    // Still serving.
    CHECK(test::http_call(rig.port(), "GET", "/api/v1/auth/me", "", auth).status == 200);
}

TEST_CASE("odd path parameters and query abuse are never 5xx", "[hostile][query][review]") {
    SalesRig rig;
    auto carol = rig.login("carol", "3333", "T9");
    const std::map<std::string, std::string> auth = {{"Authorization", "Bearer " + carol}};
    const std::vector<std::string> params = {"not-a-uuid", std::string(2000, 'x'), "%00", "%2F", "%C3%A9%E2%82%AC",
                                             "..", "0", "-1", "99999999999999999999999", "%27%20OR%201%3D1--"};
    const std::vector<std::string> queries = {"?limit=-1", "?limit=0", "?limit=1000000000", "?limit=abc",
                                              "?limit=99999999999999999999999", "?limit=", "?cursor=garbage",
                                              "?cursor=-5", "?after_seq=-1", "?after_seq=abc", "?offset=-1",
                                              "?before=%00", "?after=" + std::string(3000, 'z'), "?limit=1&limit=2"};
    for (const auto& route : read_routes()) {
        for (const auto& p : params) {
            auto r = test::http_call(rig.port(), route.method, fill(route.path, p), "", auth);
            expect_no_server_error(r, route.path + " param " + p.substr(0, 30));
        }
        for (const auto& q : queries) {
            auto r = test::http_call(rig.port(), route.method, fill(route.path, "x") + q, "", auth);
            expect_no_server_error(r, route.path + q.substr(0, 40));
        }
    }
    // The obviously wrong ones are refused, not silently clamped.
    for (const std::string path : {"/api/v1/users", "/api/v1/audit", "/api/v1/registers/T9/z-reports",
                                   "/api/v1/inventory/low-stock", "/api/v1/inventory/X/movements"}) {
        for (const std::string q : {"?limit=-1", "?limit=1000000000", "?limit=abc"})
            expect_client_error(test::http_call(rig.port(), "GET", path + q, "", auth), path + q);
    }
    // Garbage cursors too (review finding: inventory took any text as a cursor).
    for (const std::string& path : std::vector<std::string>{"/api/v1/users?offset=garbage", "/api/v1/audit?after_seq=garbage",
          "/api/v1/orders/x/payments?cursor=garbage", "/api/v1/registers/T9/z-reports?cursor=garbage",
          "/api/v1/inventory/X/movements?before=garbage", "/api/v1/inventory/low-stock?after=" + std::string(300, 'z')})
        expect_client_error(test::http_call(rig.port(), "GET", path, "", auth), path.substr(0, 60));
    CHECK(test::http_call(rig.port(), "GET", "/api/v1/auth/me", "", auth).status == 200);
}

TEST_CASE("a payment request with an oversized or odd idempotency key is answered cleanly",
          "[hostile][payments][review]") {
    SalesRig rig;
    auto alice = rig.login("alice", "1111");
    rig.open_register(alice);
    auto order = rig.sale(alice, 1000);
    Value body = Value::map();
    body.set("method_id", "fixture_card");
    body.set("amount_minor", 100);
    body.set("idempotency_key", std::string(201, 'k'));
    auto too_long = rig.pay(alice, order, body);
    CHECK(too_long.status == 422);
    body.set("idempotency_key", "k\u00e9y-\u20ac-\\\"'; DROP TABLE payments;--");
    auto odd = rig.pay(alice, order, body);
    INFO(odd.text);
    CHECK(odd.status == 201);
    CHECK(rig.pay(alice, order, body).status == 200);
    // The same key on another order is another request: refused.
    auto other = rig.sale(alice, 500);
    CHECK(rig.pay(alice, other, body).status == 409);
    // ... and with another method.
    body.set("method_id", "cash");
    CHECK(rig.pay(alice, order, body).status == 409);
    // An amount beyond the order on a card is refused; a huge cash note is not an overflow.
    Value big = Value::map();
    big.set("method_id", "fixture_card");
    big.set("amount_minor", 100000000000000);
    big.set("idempotency_key", new_key());
    auto over = rig.pay(alice, order, big);
    CHECK(over.status == 422);
    big.set("method_id", "cash");
    big.set("tendered_minor", 100000000000000);
    big.set("tip_minor", 100000000000000);
    auto huge = rig.pay(alice, order, big);
    INFO(huge.text);
    CHECK(huge.status < 500);
}

TEST_CASE("a manager cannot reach admin through the users routes", "[hostile][auth][review]") {
    SalesRig rig;
    auto carol = rig.login("carol", "3333");
    auto users = rig.call("GET", "/api/v1/users?limit=500", carol);
    REQUIRE(users.status == 200);
    std::map<std::string, std::string> id_of;
    for (const auto& u : users.body["items"].as_list()) id_of[u["name"].as_string()] = u["id"].as_string();
    REQUIRE(id_of.count("admin"));

    auto patch = [&](const std::string& who, const std::string& json) {
        return test::http_call(rig.port(), "PATCH", "/api/v1/users/" + id_of[who], json,
                               {{"Authorization", "Bearer " + carol}});
    };
    CHECK(patch("admin", R"({"pin":"9999"})").status == 403);
    CHECK(patch("admin", R"({"active":false})").status == 403);
    CHECK(patch("admin", R"({"unlock":true})").status == 403);
    CHECK(patch("bob", R"({"role":"admin"})").status == 403);
    CHECK(patch("carol", R"({"role":"admin"})").status == 403);
    CHECK(patch("carol", R"({"active":false})").status == 409);
    CHECK(test::http_call(rig.port(), "POST", "/api/v1/users", R"({"name":"eve","role":"admin","pin":"1234"})",
                          {{"Authorization", "Bearer " + carol}})
              .status == 403);
    // Names are case-insensitive: "ADMIN" is the admin, not a new user.
    CHECK(test::http_call(rig.port(), "POST", "/api/v1/users", R"({"name":"ADMIN","role":"cashier","pin":"1234"})",
                          {{"Authorization", "Bearer " + carol}})
              .status == 409);
}

TEST_CASE("a drawer count too long for the limits is refused, not summed", "[hostile][registers][review]") {
    SalesRig rig;
    auto carol = rig.login("carol", "3333", "T9");
    rig.open_register(carol, "T9");
    std::string items;
    for (int i = 0; i < 1001; ++i) items += std::string(i ? "," : "") + R"({"denomination_minor":)" +
                                           std::to_string(i + 1) + R"(,"count":1})";
    auto many = test::http_call(rig.port(), "POST", "/api/v1/registers/T9/sessions/current/close",
                                R"({"counted":[)" + items + "]}", {{"Authorization", "Bearer " + carol}});
    INFO(many.body.substr(0, 300));
    CHECK(many.status == 422);
    CHECK(json_path(many) == "$.counted");
    // Largest allowed count of the largest allowed note: no overflow, a clean answer.
    auto huge = test::http_call(rig.port(), "POST", "/api/v1/registers/T9/sessions/current/close",
                                R"({"counted":[{"denomination_minor":100000000,"count":10000000}]})",
                                {{"Authorization", "Bearer " + carol}});
    INFO(huge.body.substr(0, 300));
    REQUIRE(huge.status == 200);
    CHECK(Value::parse_json(huge.body).value()["counted_minor"].as_int() == 1000000000000000);
    // The session is closed once: a second close is a 409.
    CHECK(test::http_call(rig.port(), "POST", "/api/v1/registers/T9/sessions/current/close", R"({"counted":[]})",
                          {{"Authorization", "Bearer " + carol}})
              .status == 409);
}
