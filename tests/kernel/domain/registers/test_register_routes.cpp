// The register routes over a real HTTP server with real logins, tokens and
// overrides from the people module (demo users: cashier alice 1111,
// supervisor bob 2222), on SQLite and PostgreSQL.
#include <catch2/catch.hpp>

#include "api/http_server.hpp"
#include "domain/people/people_service.hpp"
#include "registers_test_support.hpp"
#include "support/http_client.hpp"

using namespace till;

namespace {

struct Served {
    test::DomainFixture fixture;
    domain::audit::AuditTrail trail{fixture.ctx()};
    domain::people::PeopleService people{fixture.ctx(), trail};
    test::SetTotals totals;
    domain::RegisterService registers{fixture.ctx(), people, trail, totals, totals};
    api::Router router;
    std::unique_ptr<api::HttpServer> server;

    explicit Served(test::Backend backend) : fixture(backend) {
        REQUIRE(trail.start().ok());
        REQUIRE(people.start().ok());
        REQUIRE(registers.start().ok());
        REQUIRE(people.create_demo_users().ok());
        REQUIRE(people.add_routes(router).ok());
        REQUIRE(registers.add_routes(router).ok());
        server = std::make_unique<api::HttpServer>(api::ServerSettings{}, router, fixture.bus(), fixture.ctx().logger);
        REQUIRE(server->start().ok());
    }
    ~Served() { server->stop(); }

    test::HttpReply call(const std::string& method, const std::string& path, const std::string& body = {},
                         const std::string& bearer = {}, const std::string& override_token = {}) {
        std::map<std::string, std::string> headers;
        if (!bearer.empty()) headers["Authorization"] = "Bearer " + bearer;
        if (!override_token.empty()) headers["X-Till-Override"] = override_token;
        return test::http_call(server->port(), method, path, body, headers);
    }

    std::string login(const std::string& name, const std::string& pin, const std::string& terminal = "T1") {
        auto r = call("POST", "/api/v1/auth/login",
                      R"({"user_name":")" + name + R"(","pin":")" + pin + R"(","terminal_id":")" + terminal + "\"}");
        INFO(r.body);
        REQUIRE(r.status == 200);
        return json(r)["token"].as_string();
    }

    /// bob's override for `action`, asked by the holder of `token`.
    std::string override_from_bob(const std::string& token, const std::string& action) {
        auto r = call("POST", "/api/v1/auth/overrides",
                      R"({"action":")" + action + R"(","supervisor_user_name":"bob","pin":"2222","reason":"ok"})",
                      token);
        INFO(r.body);
        REQUIRE(r.status == 201);
        return json(r)["override_token"].as_string();
    }

    static sdk::Value json(const test::HttpReply& r) {
        auto v = sdk::Value::parse_json(r.body);
        return v ? *v : sdk::Value();
    }
};

sdk::Value json(const test::HttpReply& r) { return Served::json(r); }

/// The JSON path a problem+json answer names ("" when none).
std::string problem_path(const test::HttpReply& r) {
    const sdk::Value errors = json(r)["errors"];
    return errors.size() > 0 ? errors.as_list()[0]["path"].as_string() : std::string();
}

}  // namespace

TEST_CASE("register routes: a cashier's day over HTTP", "[registers][routes]") {
    for (auto backend : test::register_backends()) {
        INFO("backend: " << test::backend_name(backend));
        Served s(backend);
        const std::string alice = s.login("alice", "1111");
        const std::string bob = s.login("bob", "2222");

        auto anonymous = s.call("POST", "/api/v1/registers/T1/sessions", R"({"opening_float_minor":100})");
        CHECK(anonymous.status == 401);
        CHECK(anonymous.content_type.find("problem+json") != std::string::npos);

        auto opened = s.call("POST", "/api/v1/registers/T1/sessions", R"({"opening_float_minor":15000,"note":"am"})",
                             alice);
        INFO(opened.body);
        REQUIRE(opened.status == 201);
        CHECK(json(opened)["state"].as_string() == "open");
        CHECK(json(opened)["opened_by"]["name"].as_string() == "alice");
        auto twice = s.call("POST", "/api/v1/registers/T1/sessions", R"({"opening_float_minor":1})", alice);
        CHECK(twice.status == 409);
        CHECK(json(twice)["code"].as_string() == "conflict");

        auto current = s.call("GET", "/api/v1/registers/T1/sessions/current", {}, alice);
        REQUIRE(current.status == 200);
        CHECK(json(current)["session_id"] == json(opened)["session_id"]);
        CHECK(s.call("GET", "/api/v1/registers/T2/sessions/current", {}, alice).status == 404);

        auto moved = s.call("POST", "/api/v1/registers/T1/cash-movements",
                            R"({"direction":"in","amount_minor":5000,"reason_code":"float_top_up"})", alice);
        INFO(moved.body);
        REQUIRE(moved.status == 201);
        CHECK(json(moved)["amount_minor"].as_int() == 5000);

        // No-sale: a cashier needs bob's override; it is used once.
        auto refused = s.call("POST", "/api/v1/registers/T1/no-sale", R"({"reason":"change"})", alice);
        CHECK(refused.status == 403);
        CHECK(json(refused)["code"].as_string() == "override_required");
        const std::string override_token = s.override_from_bob(alice, "drawer.no_sale");
        auto no_sale = s.call("POST", "/api/v1/registers/T1/no-sale", R"({"reason":"change"})", alice, override_token);
        INFO(no_sale.body);
        REQUIRE(no_sale.status == 201);
        CHECK_FALSE(json(no_sale)["authorized_by"].is_null());
        CHECK(s.call("POST", "/api/v1/registers/T1/no-sale", R"({"reason":"again"})", alice, override_token).status ==
              403);

        auto x = s.call("GET", "/api/v1/registers/T1/x-report", {}, alice);
        REQUIRE(x.status == 200);
        CHECK(json(x)["expected_cash_minor"].as_int() == 20000);
        CHECK(json(x)["no_sale_count"].as_int() == 1);

        // Closing is a supervisor's action.
        const std::string count = R"({"counted":[{"denomination_minor":10000,"count":1},{"denomination_minor":5000,"count":2}]})";
        auto cashier_close = s.call("POST", "/api/v1/registers/T1/sessions/current/close", count, alice);
        CHECK(cashier_close.status == 403);
        auto closed = s.call("POST", "/api/v1/registers/T1/sessions/current/close", count, bob);
        INFO(closed.body);
        REQUIRE(closed.status == 200);
        CHECK(json(closed)["counted_minor"].as_int() == 20000);
        CHECK(json(closed)["variance_minor"].as_int() == 0);
        CHECK(json(closed)["z_report"]["z_number"].as_int() == 1);
        CHECK(s.call("GET", "/api/v1/registers/T1/x-report", {}, alice).status == 409);

        auto z = s.call("GET", "/api/v1/registers/T1/z-reports/1", {}, bob);
        REQUIRE(z.status == 200);
        CHECK(json(z) == json(closed)["z_report"]);
        CHECK(s.call("GET", "/api/v1/registers/T1/z-reports/1", {}, alice).status == 403);
        CHECK(s.call("GET", "/api/v1/registers/T1/z-reports/2", {}, bob).status == 404);
        auto list = s.call("GET", "/api/v1/registers/T1/z-reports?limit=10", {}, bob);
        REQUIRE(list.status == 200);
        CHECK(json(list)["items"].size() == 1);
        // No update path for a Z report.
        CHECK(s.call("PUT", "/api/v1/registers/T1/z-reports/1", "{}", bob).status == 405);

        auto registers = s.call("GET", "/api/v1/registers", {}, alice);
        REQUIRE(registers.status == 200);
        REQUIRE(json(registers)["items"].size() == 1);
        CHECK(json(registers)["items"].as_list()[0]["state"].as_string() == "closed");
        CHECK(json(registers)["items"].as_list()[0]["last_z_number"].as_int() == 1);

        auto audit = s.trail.list(0, 500);
        REQUIRE(audit.ok());
        std::vector<std::string> register_actions;
        for (const auto& e : audit.value())
            if (e.subject == "register:T1") register_actions.push_back(e.action);
        CHECK(register_actions == std::vector<std::string>{"register.open", "register.cash_move", "drawer.no_sale",
                                                           "register.close", "report.z"});
    }
}

TEST_CASE("register routes: bad input is a 4xx naming the field, never a 500", "[registers][routes]") {
    Served s(test::Backend::sqlite);
    const std::string bob = s.login("bob", "2222");
    auto post = [&](const std::string& path, const std::string& body) {
        return s.call("POST", "/api/v1/registers/T1" + path, body, bob);
    };
    struct Case {
        std::string path, body;
        int status;
        std::string json_path;
    };
    const std::vector<Case> before_open = {
        {"/sessions", "not json", 400, ""},
        {"/sessions", "[1]", 400, "$"},
        {"/sessions", "{}", 422, "$.opening_float_minor"},
        {"/sessions", R"({"opening_float_minor":"100"})", 422, "$.opening_float_minor"},
        {"/sessions", R"({"opening_float_minor":-5})", 422, "$.opening_float_minor"},
        {"/sessions", R"({"opening_float_minor":5,"extra":1})", 422, "$.extra"},
    };
    for (const auto& c : before_open) {
        auto r = post(c.path, c.body);
        INFO(c.path << " " << c.body << " -> " << r.body);
        CHECK(r.status == c.status);
        if (!c.json_path.empty()) CHECK(problem_path(r) == c.json_path);
    }
    CHECK(s.call("POST", "/api/v1/registers/bad%20id/sessions", R"({"opening_float_minor":1})", bob).status == 422);
    REQUIRE(post("/sessions", R"({"opening_float_minor":1000})").status == 201);
    const std::vector<Case> open = {
        {"/cash-movements", R"({"direction":"sideways","amount_minor":1,"reason_code":"bank_drop"})", 422, "$.direction"},
        {"/cash-movements", R"({"direction":"in","amount_minor":0,"reason_code":"bank_drop"})", 422, "$.amount_minor"},
        {"/cash-movements", R"({"direction":"in","amount_minor":10,"reason_code":"pizza"})", 422, "$.reason_code"},
        {"/cash-movements", R"({"direction":"in","amount_minor":10})", 422, "$.reason_code"},
        {"/no-sale", R"({"reason":""})", 422, "$.reason"},
        {"/sessions/current/close", R"({})", 422, "$.counted"},
        {"/sessions/current/close", R"({"counted":{}})", 422, "$.counted"},
        {"/sessions/current/close", R"({"counted":[5]})", 422, "$.counted[0]"},
        {"/sessions/current/close", R"({"counted":[{"denomination_minor":0,"count":1}]})", 422,
         "$.counted[0].denomination_minor"},
        {"/sessions/current/close", R"({"counted":[{"denomination_minor":100,"count":-1}]})", 422, "$.counted[0].count"},
        {"/sessions/current/close", R"({"counted":[{"denomination_minor":100,"count":1,"kind":"note"}]})", 422,
         "$.counted[0].kind"},
        {"/sessions/current/close",
         R"({"counted":[{"denomination_minor":100,"count":1},{"denomination_minor":100,"count":2}]})", 422,
         "$.counted[1].denomination_minor"},
    };
    for (const auto& c : open) {
        auto r = post(c.path, c.body);
        INFO(c.path << " " << c.body << " -> " << r.body);
        CHECK(r.status == c.status);
        CHECK(problem_path(r) == c.json_path);
    }
    CHECK(s.call("GET", "/api/v1/registers/T1/z-reports?limit=0", {}, bob).status == 422);
    CHECK(s.call("GET", "/api/v1/registers/T1/z-reports?cursor=x", {}, bob).status == 422);
    CHECK(s.call("GET", "/api/v1/registers/T1/z-reports/abc", {}, bob).status == 422);
    // Still open, nothing numbered.
    CHECK(s.call("GET", "/api/v1/registers/T1/sessions/current", {}, bob).status == 200);
    CHECK(json(s.call("GET", "/api/v1/registers/T1/z-reports", {}, bob))["items"].size() == 0);
}
