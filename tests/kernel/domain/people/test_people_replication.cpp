// Users and sync: creating and changing a user appends one "user" change
// (with the PIN hash, never the PIN) in its transaction; the users routes
// answer 403 on a store whose users are HQ's (an unlock still works); the
// ReplicaApplier writes HQ's users into a store (SQLite and PostgreSQL),
// keeping the store's lockout state and displacing a local user of the
// same name.
#include <catch2/catch.hpp>

#include "api/http_server.hpp"
#include "api/router.hpp"
#include "domain/audit/audit_trail.hpp"
#include "domain/people/people_service.hpp"
#include "domain_fixture.hpp"
#include "replication_doubles.hpp"
#include "support/http_client.hpp"
#include "support/temp_dir.hpp"

using namespace till;
using till::domain::ReplicatedChange;
namespace change_type = till::domain::change_type;

namespace {

struct Node {
    test::DomainFixture f;
    test::RecordingReplication log;
    test::ReplicatingContext rc;
    domain::audit::AuditTrail audit{rc.ctx()};
    std::unique_ptr<domain::people::PeopleService> people;

    explicit Node(const std::string& node_id, test::Backend backend = test::Backend::sqlite)
        : f(backend), rc(f, node_id, log) {
        REQUIRE(audit.start().ok());
        people = std::make_unique<domain::people::PeopleService>(rc.ctx(), audit);
        REQUIRE(people->start().ok());
    }
    std::string admin_pin() {
        std::string pin = test::read_file(f.data_dir() + "/auth/initial-admin-pin");
        if (!pin.empty()) pin.pop_back();
        return pin;
    }
    domain::Principal principal(const std::string& name, const std::string& pin) {
        domain::people::LoginRequest r{"", name, pin, "T1"};
        auto l = people->login(r);
        INFO((l ? "" : l.error().message));
        REQUIRE(l.ok());
        sdk::HttpRequest req;
        req.headers["authorization"] = "Bearer " + l->token;
        auto p = people->authenticate(req);
        REQUIRE(p.ok());
        return *p;
    }
    bool can_login(const std::string& name, const std::string& pin) {
        domain::people::LoginRequest r{"", name, pin, "T1"};
        return people->login(r).ok();
    }
    std::int64_t count_users() {
        auto rows = f.db().query("SELECT COUNT(*) FROM users");
        REQUIRE(rows.ok());
        return rows->rows.at(0).at(0).as_int();
    }
};

bool mentions(const sdk::Value& v, const std::string& text) { return v.to_json().find(text) != std::string::npos; }

}  // namespace

TEST_CASE("creating and changing users appends user changes with the hash and role, never the PIN",
          "[people][sync]") {
    Node hq("hq");
    auto first = hq.log.changes();
    REQUIRE(first.size() == 1);  // the first admin
    CHECK(first[0].type == change_type::user);
    CHECK(first[0].payload["name"].as_string() == "admin");
    CHECK(first[0].payload["role"].as_string() == "admin");
    CHECK(first[0].payload["pin_hash"].as_string().size() > 20);
    CHECK_FALSE(mentions(first[0].payload, "\"" + hq.admin_pin() + "\""));

    const auto admin = hq.principal("admin", hq.admin_pin());
    hq.log.clear();
    auto made = hq.people->create_user(admin, {"dana", "Dana", "cashier", "4821", true});
    REQUIRE(made.ok());
    const std::string id = (*made)["id"].as_string();
    auto changes = hq.log.changes();
    REQUIRE(changes.size() == 1);
    CHECK(changes[0].entity_id == id);
    CHECK(changes[0].payload["role"].as_string() == "cashier");
    CHECK(changes[0].payload["display_name"].as_string() == "Dana");
    CHECK(changes[0].payload["active"].as_bool());
    CHECK_FALSE(mentions(changes[0].payload, "4821"));
    const std::string first_hash = changes[0].payload["pin_hash"].as_string();

    hq.log.clear();
    domain::people::UserChange role;
    role.role = "supervisor";
    REQUIRE(hq.people->change_user(admin, id, role).ok());
    domain::people::UserChange pin;
    pin.pin = "7391";
    REQUIRE(hq.people->change_user(admin, id, pin).ok());
    domain::people::UserChange off;
    off.active = false;
    REQUIRE(hq.people->change_user(admin, id, off).ok());
    changes = hq.log.changes();
    REQUIRE(changes.size() == 3);
    CHECK(changes[0].payload["role"].as_string() == "supervisor");
    CHECK(changes[1].payload["pin_hash"].as_string() != first_hash);
    CHECK_FALSE(mentions(changes[1].payload, "7391"));
    CHECK_FALSE(changes[2].payload["active"].as_bool());

    // The lockout is the node's own: wrong PINs and an unlock append nothing.
    hq.log.clear();
    for (int i = 0; i < 6; ++i) (void)hq.can_login("admin", "0000");
    domain::people::UserChange unlock;
    unlock.unlock = true;
    REQUIRE(hq.people->change_user(admin, admin.user_id, unlock).ok());
    domain::people::UserChange nothing;
    REQUIRE(hq.people->change_user(admin, id, nothing).ok());
    CHECK(hq.log.changes().empty());
}

TEST_CASE("a failed append fails the user change and leaves nothing", "[people][sync]") {
    Node hq("hq");
    const auto admin = hq.principal("admin", hq.admin_pin());
    hq.log.fail_appends = true;
    auto made = hq.people->create_user(admin, {"dana", "Dana", "cashier", "4821", true});
    REQUIRE_FALSE(made.ok());
    CHECK(hq.count_users() == 1);
    domain::people::UserChange role;
    role.display_name = "Boss";
    CHECK_FALSE(hq.people->change_user(admin, admin.user_id, role).ok());
    CHECK(hq.people->get_user(admin.user_id).value()["display_name"].as_string() == "Administrator");
    CHECK(hq.f.last_event("user.created").payload.is_null() == false);  // only the first admin's
    CHECK(hq.f.last_event("user.changed").payload.is_null());
}

TEST_CASE("users routes answer 403 on a store whose users are HQ's, an unlock still works", "[people][sync][routes]") {
    Node store("store-1");
    api::Router router;
    REQUIRE(store.people->add_routes(router).ok());
    api::HttpServer server(api::ServerSettings{}, router, store.f.bus(), store.f.ctx().logger);
    REQUIRE(server.start().ok());
    auto call = [&](const std::string& method, const std::string& path, const std::string& body,
                    const std::string& token) {
        std::map<std::string, std::string> headers{{"Content-Type", "application/json"}};
        if (!token.empty()) headers["Authorization"] = "Bearer " + token;
        return test::http_call(server.port(), method, path, body, headers);
    };
    auto login = call("POST", "/api/v1/auth/login",
                      R"({"user_name":"admin","pin":")" + store.admin_pin() + R"(","terminal_id":"T1"})", "");
    REQUIRE(login.status == 200);
    const std::string token = sdk::Value::parse_json(login.body)->operator[]("token").as_string();
    const std::string admin_id = sdk::Value::parse_json(login.body)->operator[]("user")["id"].as_string();

    store.log.refuse_master_data = true;
    auto created = call("POST", "/api/v1/users", R"({"name":"dana","role":"cashier","pin":"4821"})", token);
    CHECK(created.status == 403);
    CHECK_THAT(created.body, Catch::Contains("master data (user) is managed at HQ"));
    auto renamed = call("PATCH", "/api/v1/users/" + admin_id, R"({"display_name":"Boss"})", token);
    CHECK(renamed.status == 403);
    auto pin = call("PATCH", "/api/v1/users/" + admin_id, R"({"pin":"9999","unlock":true})", token);
    CHECK(pin.status == 403);
    CHECK(store.count_users() == 1);
    // Unlocking is the store's business; reads stay open.
    auto unlock = call("PATCH", "/api/v1/users/" + admin_id, R"({"unlock":true})", token);
    INFO(unlock.body);
    CHECK(unlock.status == 200);
    CHECK(call("GET", "/api/v1/users", "", token).status == 200);
    CHECK(call("POST", "/api/v1/users", R"({"name":"dana","role":"cashier","pin":"4821"})", "").status == 401);

    store.log.refuse_master_data = false;
    CHECK(call("POST", "/api/v1/users", R"({"name":"dana","role":"cashier","pin":"4821"})", token).status == 201);
    server.stop();
}

namespace {

void users_to_store(test::Backend backend) {
    Node hq("hq", backend);
    Node store("store-1", backend);
    const auto admin = hq.principal("admin", hq.admin_pin());
    auto dana = hq.people->create_user(admin, {"dana", "Dana", "cashier", "4821", true});
    REQUIRE(dana.ok());
    const std::string dana_id = (*dana)["id"].as_string();
    auto batch = hq.log.changes();
    REQUIRE(batch.size() == 2);  // HQ's admin, dana

    const std::string store_admin_pin = store.admin_pin();
    std::vector<sdk::Value> stored;
    auto applied = test::apply_batch(store.f.db(), store.people->replica_applier(), batch, &stored);
    INFO(applied.message());
    REQUIRE(applied.ok());
    CHECK(store.log.changes().size() == 1);  // the store's own first admin only: the applier appends nothing
    REQUIRE(stored.size() == 2);
    CHECK(stored[1]["id"].as_string() == dana_id);

    // HQ's users log in at the store with HQ's PINs; the store's own first
    // admin gave its name to HQ's and is inactive.
    CHECK(store.can_login("dana", "4821"));
    CHECK(store.can_login("admin", hq.admin_pin()));
    if (store_admin_pin != hq.admin_pin()) CHECK_FALSE(store.can_login("admin", store_admin_pin));
    auto list = store.people->list_users(0, 10);
    REQUIRE(list.ok());
    int inactive_local = 0;
    for (const auto& u : (*list)["items"].as_list())
        if (u["name"].as_string().rfind("admin.local-", 0) == 0 && !u["active"].as_bool()) ++inactive_local;
    CHECK(inactive_local == 1);
    CHECK(store.f.last_event("user.created").payload["name"].as_string() == "dana");

    // A lockout at the store survives HQ's next change of the user.
    for (int i = 0; i < 5; ++i) (void)store.can_login("dana", "0000");
    CHECK(store.people->get_user(dana_id).value()["locked"].as_bool());
    hq.log.clear();
    domain::people::UserChange role;
    role.role = "supervisor";
    role.display_name = "Dana S.";
    REQUIRE(hq.people->change_user(admin, dana_id, role).ok());
    REQUIRE(test::apply_batch(store.f.db(), store.people->replica_applier(), hq.log.changes()).ok());
    auto at_store = store.people->get_user(dana_id);
    REQUIRE(at_store.ok());
    CHECK((*at_store)["role"].as_string() == "supervisor");
    CHECK((*at_store)["display_name"].as_string() == "Dana S.");
    CHECK((*at_store)["locked"].as_bool());
    CHECK(store.f.last_event("user.changed").payload["display_name"].as_string() == "Dana S.");

    // A PIN reset and a deactivation at HQ.
    hq.log.clear();
    domain::people::UserChange pin;
    pin.pin = "7391";
    REQUIRE(hq.people->change_user(admin, dana_id, pin).ok());
    domain::people::UserChange off;
    off.active = false;
    REQUIRE(hq.people->change_user(admin, dana_id, off).ok());
    REQUIRE(test::apply_batch(store.f.db(), store.people->replica_applier(), hq.log.changes()).ok());
    CHECK_FALSE(store.people->get_user(dana_id).value()["active"].as_bool());

    // Bad records are refused, naming the field, and nothing is kept.
    ReplicatedChange bad{std::string(change_type::user), "x", batch[1].payload, false};
    bad.payload.set("role", "owner");
    auto refused = test::apply_batch(store.f.db(), store.people->replica_applier(), {bad});
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().code == "invalid_argument");
    CHECK_THAT(refused.message(), Catch::Contains("$.role"));
    bad.payload = batch[1].payload;
    bad.payload.set("pin_hash", sdk::Value());
    CHECK_THAT(test::apply_batch(store.f.db(), store.people->replica_applier(), {bad}).message(),
               Catch::Contains("$.pin_hash"));
}

}  // namespace

TEST_CASE("the people applier writes HQ's users into a store (SQLite)", "[people][sync][applier]") {
    users_to_store(test::Backend::sqlite);
}

TEST_CASE("the people applier writes HQ's users into a store (PostgreSQL)", "[people][sync][applier][postgresql]") {
    users_to_store(test::Backend::postgresql);
}
