// The inventory routes over a real HTTP server, with real tokens from the
// people module (demo users: cashier alice, supervisor bob, manager carol).
#include <catch2/catch.hpp>

#include "api/http_server.hpp"
#include "inventory_test_support.hpp"
#include "support/http_client.hpp"

using namespace till;

namespace {

struct Served {
    test::FixedCatalog catalog{{"TEA", "MILK", "BEANS", "CUPS"}};
    test::InventoryUnderTest t;
    api::Router router;
    std::unique_ptr<api::HttpServer> server;
    std::string alice, bob;  // bearer tokens

    explicit Served(test::Backend backend) : t(backend, &catalog) {
        REQUIRE(t.people.create_demo_users().ok());
        REQUIRE(t.people.add_routes(router).ok());
        REQUIRE(t.inventory.add_routes(router).ok());
        server = std::make_unique<api::HttpServer>(api::ServerSettings{}, router, t.fixture.bus(), t.fixture.ctx().logger);
        REQUIRE(server->start().ok());
        alice = token("alice", "1111");
        bob = token("bob", "2222");
    }
    ~Served() { server->stop(); }

    std::string token(const std::string& name, const std::string& pin) {
        domain::people::LoginRequest login;
        login.user_name = name;
        login.pin = pin;
        login.terminal_id = "T1";
        auto r = t.people.login(login);
        REQUIRE(r.ok());
        return r->token;
    }

    test::HttpReply call(const std::string& method, const std::string& path, const std::string& body = {},
                         const std::string& bearer = {}) {
        std::map<std::string, std::string> headers;
        if (!bearer.empty()) headers["Authorization"] = "Bearer " + bearer;
        return test::http_call(server->port(), method, path, body, headers);
    }
};

sdk::Value json(const test::HttpReply& r) {
    auto v = sdk::Value::parse_json(r.body);
    return v ? *v : sdk::Value();
}

}  // namespace

TEST_CASE("inventory routes: adjust, read, threshold, movements and low stock over HTTP", "[inventory][routes]") {
    for (auto backend : test::inventory_backends()) {
        INFO("backend: " << test::backend_name(backend));
        Served s(backend);

        auto made = s.call("POST", "/api/v1/inventory/adjustments",
                           R"({"sku":"TEA","qty_delta_milli":12000,"reason_code":"received","note":"box of 12"})", s.bob);
        INFO(made.body);
        REQUIRE(made.status == 201);
        CHECK(json(made)["level"]["on_hand_milli"].as_int() == 12000);
        CHECK(json(made)["movement"]["reason_code"].as_string() == "received");
        CHECK(!json(made)["movement"]["user_id"].as_string().empty());

        auto level = s.call("GET", "/api/v1/inventory/TEA", {}, s.alice);
        REQUIRE(level.status == 200);
        CHECK(json(level)["on_hand_milli"].as_int() == 12000);
        CHECK(json(level)["low_stock_threshold_milli"].as_int() == -1);
        CHECK(json(level)["low_stock"].as_bool(true) == false);

        auto th = s.call("PUT", "/api/v1/inventory/TEA/threshold", R"({"low_stock_threshold_milli":12000})", s.bob);
        INFO(th.body);
        REQUIRE(th.status == 200);
        CHECK(json(th)["low_stock"].as_bool() == true);

        auto low = s.call("GET", "/api/v1/inventory/low-stock", {}, s.alice);
        REQUIRE(low.status == 200);
        REQUIRE(json(low)["items"].size() == 1);
        CHECK(json(low)["items"].as_list()[0]["sku"].as_string() == "TEA");
        CHECK(json(low)["next"].is_null());

        for (int i = 0; i < 3; ++i)
            REQUIRE(s.call("POST", "/api/v1/inventory/adjustments",
                           R"({"sku":"TEA","qty_delta_milli":-1000,"reason_code":"damaged"})", s.bob)
                        .status == 201);
        auto page = s.call("GET", "/api/v1/inventory/TEA/movements?limit=2", {}, s.alice);
        REQUIRE(page.status == 200);
        REQUIRE(json(page)["items"].size() == 2);
        const std::string next = json(page)["next"].as_string();
        REQUIRE_FALSE(next.empty());
        auto rest = s.call("GET", "/api/v1/inventory/TEA/movements?limit=2&before=" + next, {}, s.alice);
        REQUIRE(rest.status == 200);
        REQUIRE(json(rest)["items"].size() == 2);
        CHECK(json(rest)["items"].as_list()[1]["qty_delta_milli"].as_int() == 12000);
        CHECK(json(rest)["next"].is_null());

        auto catalog_sku = s.call("GET", "/api/v1/inventory/CUPS", {}, s.alice);
        REQUIRE(catalog_sku.status == 200);
        CHECK(json(catalog_sku)["on_hand_milli"].as_int() == 0);
    }
}

TEST_CASE("inventory routes refuse callers without a token or the permission", "[inventory][routes]") {
    Served s(test::Backend::sqlite);
    const std::string body = R"({"sku":"TEA","qty_delta_milli":1000,"reason_code":"count"})";
    auto anonymous = s.call("GET", "/api/v1/inventory/TEA");
    CHECK(anonymous.status == 401);
    CHECK(s.call("POST", "/api/v1/inventory/adjustments", body).status == 401);
    auto cashier = s.call("POST", "/api/v1/inventory/adjustments", body, s.alice);
    CHECK(cashier.status == 403);
    CHECK(json(cashier)["code"].as_string() == "override_required");
    CHECK(s.call("PUT", "/api/v1/inventory/TEA/threshold", R"({"low_stock_threshold_milli":1})", s.alice).status ==
          403);
    CHECK(s.call("GET", "/api/v1/inventory/TEA", {}, "not-a-token").status == 401);
}

TEST_CASE("inventory routes answer bad input with 4xx naming the field", "[inventory][routes]") {
    Served s(test::Backend::sqlite);
    struct Case {
        std::string method, path, body;
        int status;
        std::string json_path;
    };
    const std::vector<Case> cases = {
        {"POST", "/api/v1/inventory/adjustments", R"({"sku":"TEA","qty_delta_milli":0,"reason_code":"count"})", 422,
         "$.qty_delta_milli"},
        {"POST", "/api/v1/inventory/adjustments", R"({"sku":"TEA","qty_delta_milli":5,"reason_code":"gift"})", 422,
         "$.reason_code"},
        {"POST", "/api/v1/inventory/adjustments", R"({"sku":"NOPE","qty_delta_milli":5,"reason_code":"count"})", 422,
         "$.sku"},
        {"POST", "/api/v1/inventory/adjustments", R"({"sku":"TEA","qty_delta_milli":"5","reason_code":"count"})", 422,
         "$.qty_delta_milli"},
        {"POST", "/api/v1/inventory/adjustments", R"({"sku":"TEA","qty_delta_milli":5,"reason_code":"count","x":1})",
         422, "$.x"},
        {"POST", "/api/v1/inventory/adjustments", R"({"qty_delta_milli":5,"reason_code":"count"})", 422, "$.sku"},
        {"POST", "/api/v1/inventory/adjustments", R"([1])", 400, "$"},
        {"POST", "/api/v1/inventory/adjustments", R"({"sku":)", 400, ""},
        {"PUT", "/api/v1/inventory/TEA/threshold", R"({"low_stock_threshold_milli":-2})", 422,
         "$.low_stock_threshold_milli"},
        {"PUT", "/api/v1/inventory/NOPE/threshold", R"({"low_stock_threshold_milli":5})", 404, ""},
        {"GET", "/api/v1/inventory/TEA/movements?limit=0", "", 422, ""},
        {"GET", "/api/v1/inventory/TEA/movements?limit=abc", "", 422, ""},
        {"GET", "/api/v1/inventory/low-stock?limit=501", "", 422, ""},
        {"GET", "/api/v1/inventory/NOPE", "", 404, ""},
    };
    for (const auto& c : cases) {
        auto r = s.call(c.method, c.path, c.body, s.bob);
        INFO(c.method << " " << c.path << " " << c.body << " -> " << r.status << " " << r.body);
        CHECK(r.status == c.status);
        CHECK(r.content_type.find("application/problem+json") == 0);
        if (!c.json_path.empty()) CHECK(json(r)["errors"].as_list().at(0)["path"].as_string() == c.json_path);
    }
    auto rows = s.t.fixture.db().query("SELECT count(*) FROM stock_movements");
    CHECK(rows->rows[0][0].as_int() == 0);
}
