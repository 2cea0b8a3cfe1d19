// The people and audit routes over real HTTP, as the lead's demo script uses
// them: admin logs in with the first PIN, creates the demo users, a cashier
// needs a supervisor's override.
#include <catch2/catch.hpp>

#include "api/http_server.hpp"
#include "api/router.hpp"
#include "domain/common/http_errors.hpp"
#include "people_test_support.hpp"
#include "support/http_client.hpp"
#include "support/temp_dir.hpp"

using namespace till;
using till::test::http_call;
using till::test::HttpReply;

namespace {

struct RoutesNode {
    test::DomainFixture f;
    domain::audit::AuditTrail audit{f.ctx()};
    domain::people::PeopleService people{f.ctx(), audit};
    api::Router router;
    std::unique_ptr<api::HttpServer> server;

    RoutesNode() {
        REQUIRE(audit.start().ok());
        REQUIRE(people.start().ok());
        REQUIRE(people.add_routes(router).ok());
        REQUIRE(audit.add_routes(router, people).ok());
        // A restricted route of another module, as it would use the seam.
        REQUIRE(router.add(sdk::HttpMethod::post, "/api/v1/test/void",
                           [this](const sdk::HttpRequest& request) {
                               auto who = people.authenticate(request);
                               if (!who) return domain::to_problem(who.error());
                               auto ok = people.authorize(*who, domain::action::order_void, request);
                               if (!ok) return domain::to_problem(ok.error());
                               sdk::Value v = sdk::Value::map();
                               v.set("by", ok->principal.user_name);
                               v.set("authorized_by", ok->override_user_id);
                               return sdk::HttpResponse::json(v);
                           },
                           "test"));
        server = std::make_unique<api::HttpServer>(api::ServerSettings{}, router, f.bus(), f.ctx().logger);
        REQUIRE(server->start().ok());
    }
    int port() const { return server->port(); }

    HttpReply call(const std::string& method, const std::string& path, const std::string& body = {},
                   const std::string& token = {}, const std::string& override_token = {}) {
        std::map<std::string, std::string> headers;
        if (!token.empty()) headers["Authorization"] = "Bearer " + token;
        if (!override_token.empty()) headers["X-Till-Override"] = override_token;
        return http_call(port(), method, path, body, headers);
    }
    std::string login(const std::string& name, const std::string& pin) {
        auto r = call("POST", "/api/v1/auth/login",
                      R"({"user_name":")" + name + R"(","pin":")" + pin + R"(","terminal_id":"T1"})");
        INFO(r.body);
        REQUIRE(r.status == 200);
        return json(r)["token"].as_string();
    }
    static sdk::Value json(const HttpReply& r) {
        auto v = sdk::Value::parse_json(r.body);
        return v ? *v : sdk::Value();
    }
    /// The JSON path a problem+json answer names.
    static std::string error_path(const HttpReply& r) {
        const sdk::Value body = json(r);
        const auto& errors = body["errors"].as_list();
        return errors.empty() ? std::string() : errors[0]["path"].as_string();
    }
    std::string admin_pin() {
        std::string pin = test::read_file(f.data_dir() + "/auth/initial-admin-pin");
        if (!pin.empty()) pin.pop_back();
        return pin;
    }
    /// The demo script's calls: admin creates alice, bob and carol.
    void create_demo_users() {
        const std::string admin = login("admin", admin_pin());
        for (const char* body : {R"({"name":"alice","display_name":"Alice","role":"cashier","pin":"1111"})",
                                 R"({"name":"bob","display_name":"Bob","role":"supervisor","pin":"2222"})",
                                 R"({"name":"carol","display_name":"Carol","role":"manager","pin":"3333"})"}) {
            auto r = call("POST", "/api/v1/users", body, admin);
            INFO(r.body);
            REQUIRE(r.status == 201);
        }
    }
};

}  // namespace

TEST_CASE("routes: login, me, and the users admin", "[people][routes]") {
    RoutesNode n;
    n.create_demo_users();
    const std::string admin = n.login("admin", n.admin_pin());

    auto list = n.call("GET", "/api/v1/users?limit=2", {}, admin);
    REQUIRE(list.status == 200);
    auto page = RoutesNode::json(list);
    REQUIRE(page["items"].size() == 2);
    CHECK(page["items"].as_list()[0]["name"].as_string() == "admin");
    CHECK(page["next"].as_int() == 2);
    CHECK(list.body.find("pin") == std::string::npos);
    auto rest = RoutesNode::json(n.call("GET", "/api/v1/users?offset=2", {}, admin));
    CHECK(rest["items"].size() == 2);
    CHECK(rest["next"].is_null());

    auto login = n.call("POST", "/api/v1/auth/login", R"({"user_name":"alice","pin":"1111","terminal_id":"T2"})");
    REQUIRE(login.status == 200);
    auto lj = RoutesNode::json(login);
    CHECK(lj["user"]["role"].as_string() == "cashier");
    CHECK(lj["expires_utc_ms"].as_int() > 0);
    const std::string alice = lj["token"].as_string();

    auto me = n.call("GET", "/api/v1/auth/me", {}, alice);
    REQUIRE(me.status == 200);
    auto mj = RoutesNode::json(me);
    CHECK(mj["name"].as_string() == "alice");
    CHECK(mj["terminal_id"].as_string() == "T2");
    CHECK(mj["permissions"].size() == 7);
    CHECK(me.body.find("pin_hash") == std::string::npos);

    // A cashier may not manage users: 403 override_required.
    auto denied = n.call("GET", "/api/v1/users", {}, alice);
    CHECK(denied.status == 403);
    CHECK(RoutesNode::json(denied)["code"].as_string() == "override_required");

    // Change alice's role, then her PIN; a stale lockout is cleared by unlock.
    const std::string alice_id = mj["id"].as_string();
    auto patched = n.call("PATCH", "/api/v1/users/" + alice_id, R"({"role":"supervisor","pin":"5555"})", admin);
    INFO(patched.body);
    REQUIRE(patched.status == 200);
    CHECK(RoutesNode::json(patched)["role"].as_string() == "supervisor");
    CHECK(n.call("POST", "/api/v1/auth/login", R"({"user_name":"alice","pin":"1111"})").status == 401);
    CHECK(n.call("POST", "/api/v1/auth/login", R"({"user_name":"alice","pin":"5555"})").status == 200);
    CHECK(n.call("GET", "/api/v1/users/" + alice_id, {}, admin).status == 200);
    CHECK(n.call("GET", "/api/v1/users/nope", {}, admin).status == 404);
    CHECK(n.call("PATCH", "/api/v1/users/nope", R"({"active":false})", admin).status == 404);

    // Duplicate names, bad fields, unknown fields: 4xx naming the field.
    auto dup = n.call("POST", "/api/v1/users", R"({"name":"alice","role":"cashier","pin":"1234"})", admin);
    CHECK(dup.status == 409);
    auto bad_role = n.call("POST", "/api/v1/users", R"({"name":"eve","role":"boss","pin":"1234"})", admin);
    CHECK(bad_role.status == 422);
    CHECK(RoutesNode::error_path(bad_role) == "$.role");
    auto unknown = n.call("POST", "/api/v1/users", R"({"name":"eve","role":"cashier","pin":"1234","x":1})", admin);
    CHECK(unknown.status == 422);
    CHECK(RoutesNode::error_path(unknown) == "$.x");
    auto short_pin = n.call("POST", "/api/v1/users", R"({"name":"eve","role":"cashier","pin":"12"})", admin);
    CHECK(short_pin.status == 422);
    CHECK(n.call("POST", "/api/v1/users", "[1]", admin).status == 400);
    CHECK(n.call("POST", "/api/v1/users", "{", admin).status == 400);

    // Manager may not create an admin; nobody deactivates themselves.
    const std::string carol = n.login("carol", "3333");
    CHECK(n.call("POST", "/api/v1/users", R"({"name":"eve","role":"admin","pin":"1234"})", carol).status == 403);
    auto carol_id = RoutesNode::json(n.call("GET", "/api/v1/auth/me", {}, carol))["id"].as_string();
    CHECK(n.call("PATCH", "/api/v1/users/" + carol_id, R"({"active":false})", carol).status == 409);

    CHECK(n.f.last_event("user.changed").payload["name"].as_string() == "alice");
}

TEST_CASE("routes: login errors are 401, 422 and 423 with Retry-After", "[people][routes]") {
    RoutesNode n;
    n.create_demo_users();
    CHECK(n.call("POST", "/api/v1/auth/login", R"({"user_name":"alice","pin":"0000"})").status == 401);
    CHECK(n.call("POST", "/api/v1/auth/login", R"({"user_name":"alice"})").status == 422);
    auto both = n.call("POST", "/api/v1/auth/login", R"({"user_name":"alice","user_id":"x","pin":"1111"})");
    CHECK(both.status == 422);
    auto typed = n.call("POST", "/api/v1/auth/login", R"({"user_name":"alice","pin":1111})");
    CHECK(typed.status == 422);
    CHECK(RoutesNode::error_path(typed) == "$.pin");
    for (int i = 0; i < 3; ++i)
        CHECK(n.call("POST", "/api/v1/auth/login", R"({"user_name":"alice","pin":"0000"})").status == 401);
    auto locked = n.call("POST", "/api/v1/auth/login", R"({"user_name":"alice","pin":"0000"})");
    CHECK(locked.status == 423);
    CHECK(locked.headers["retry-after"] == "300");
    CHECK(RoutesNode::json(locked)["code"].as_string() == "locked");
    CHECK(RoutesNode::json(locked)["retry_after_s"].as_int() == 300);

    // Unlocked by an admin.
    const std::string admin = n.login("admin", n.admin_pin());
    auto alice_id =
        RoutesNode::json(n.call("GET", "/api/v1/users", {}, admin))["items"].as_list()[1]["id"].as_string();
    CHECK(n.call("PATCH", "/api/v1/users/" + alice_id, R"({"unlock":true})", admin).status == 200);
    CHECK(n.call("POST", "/api/v1/auth/login", R"({"user_name":"alice","pin":"1111"})").status == 200);

    auto no_token = n.call("GET", "/api/v1/auth/me");
    CHECK(no_token.status == 401);
    CHECK(n.call("GET", "/api/v1/auth/me", {}, "forged").status == 401);
}

TEST_CASE("routes: a cashier's void with a supervisor's override, then the audit trail", "[people][routes]") {
    RoutesNode n;
    n.create_demo_users();
    const std::string alice = n.login("alice", "1111");

    auto first = n.call("POST", "/api/v1/test/void", "{}", alice);
    CHECK(first.status == 403);
    CHECK(RoutesNode::json(first)["code"].as_string() == "override_required");

    auto grant = n.call("POST", "/api/v1/auth/overrides",
                        R"({"action":"order.void","supervisor_user_name":"bob","pin":"2222","reason":"mis-scan"})",
                        alice);
    INFO(grant.body);
    REQUIRE(grant.status == 201);
    const std::string override_token = RoutesNode::json(grant)["override_token"].as_string();
    CHECK(n.call("POST", "/api/v1/auth/overrides",
                 R"({"action":"order.void","supervisor_user_name":"bob","pin":"2222","reason":"x"})")
              .status == 401);
    CHECK(n.call("POST", "/api/v1/auth/overrides",
                 R"({"action":"order.void","supervisor_user_name":"bob","pin":"9999","reason":"x"})", alice)
              .status == 403);

    auto retried = n.call("POST", "/api/v1/test/void", "{}", alice, override_token);
    INFO(retried.body);
    REQUIRE(retried.status == 200);
    CHECK_FALSE(RoutesNode::json(retried)["authorized_by"].as_string().empty());
    auto reused = n.call("POST", "/api/v1/test/void", "{}", alice, override_token);
    CHECK(reused.status == 403);
    CHECK(RoutesNode::json(reused)["code"].as_string() == "forbidden");

    // Audit: cashier may not read it, admin may.
    CHECK(n.call("GET", "/api/v1/audit", {}, alice).status == 403);
    const std::string admin = n.login("admin", n.admin_pin());
    auto audit = n.call("GET", "/api/v1/audit?limit=500", {}, admin);
    REQUIRE(audit.status == 200);
    auto items = RoutesNode::json(audit)["items"].as_list();
    REQUIRE(items.size() >= 8);
    CHECK(items[0]["seq"].as_int() == 1);
    int overrides = 0, failures = 0;
    for (const auto& e : items) {
        if (e["action"].as_string() == "auth.override") ++overrides;
        if (e["action"].as_string() == "auth.login_failed") ++failures;
    }
    CHECK(overrides == 2);
    CHECK(failures == 1);
    // No PIN in the audit: as a JSON value (ids and hashes may contain the digits by chance).
    CHECK(audit.body.find("\"2222\"") == std::string::npos);
    CHECK(audit.body.find("\"pin\"") == std::string::npos);

    auto page = RoutesNode::json(n.call("GET", "/api/v1/audit?after_seq=2&limit=3", {}, admin));
    REQUIRE(page["items"].size() == 3);
    CHECK(page["items"].as_list()[0]["seq"].as_int() == 3);
    CHECK(page["next"].as_int() == 5);
    CHECK(n.call("GET", "/api/v1/audit?limit=0", {}, admin).status == 400);
    CHECK(n.call("GET", "/api/v1/audit?after_seq=x", {}, admin).status == 400);

    auto verify = n.call("GET", "/api/v1/audit/verify", {}, admin);
    REQUIRE(verify.status == 200);
    CHECK(RoutesNode::json(verify)["ok"].as_bool());
    CHECK(RoutesNode::json(verify)["count"].as_int() == static_cast<std::int64_t>(items.size()));

    REQUIRE(n.f.db().execute("UPDATE audit_log SET reason = 'nothing to see' WHERE seq = 3").ok());
    auto broken = RoutesNode::json(n.call("GET", "/api/v1/audit/verify", {}, admin));
    CHECK_FALSE(broken["ok"].as_bool());
    CHECK(broken["broken_seq"].as_int() == 3);
}
