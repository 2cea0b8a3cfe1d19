// Roles as data (docs/domain/people.md, "Roles"): the roles routes over real
// HTTP with real logins (effective permissions change at once, no restart;
// bad inputs name their path; the admin lockout rule; stale versions; the
// synced-store guard), replication in the change's transaction, HQ's seed
// (once), the role applier on a store, and a restart keeping stored roles
// (SQLite and the test PostgreSQL).
#include <catch2/catch.hpp>

#include <algorithm>
#include <memory>

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
using till::test::HttpReply;
namespace change_type = till::domain::change_type;

namespace {

/// One node (store or HQ) with people + audit over a recording replication
/// log, serving the people routes on 127.0.0.1.
struct RoleNode {
    test::DomainFixture f;
    test::RecordingReplication log;
    sdk::NodeInfo node;
    std::unique_ptr<domain::DomainContext> ctx;
    std::unique_ptr<domain::audit::AuditTrail> audit;
    std::unique_ptr<domain::people::PeopleService> people;
    std::unique_ptr<api::Router> router;
    std::unique_ptr<api::HttpServer> server;

    explicit RoleNode(sdk::NodeRole role = sdk::NodeRole::store, test::Backend backend = test::Backend::sqlite)
        : f(backend) {
        const domain::DomainContext& base = f.ctx();
        node = base.node;
        node.role = role;
        node.node_id = role == sdk::NodeRole::hq ? "hq" : "store-1";
        ctx.reset(new domain::DomainContext{base.storage, base.events, base.clock, base.registry, base.logger, node,
                                            base.sales, base.auth, base.ids, log});
        audit = std::make_unique<domain::audit::AuditTrail>(*ctx);
        REQUIRE(audit->start().ok());
        restart();
        REQUIRE(people->create_demo_users().ok());
    }
    /// A new service and server on the same database, as after a node restart.
    void restart() {
        server.reset();
        people = std::make_unique<domain::people::PeopleService>(*ctx, *audit);
        auto s = people->start();
        INFO((s.ok() ? std::string() : s.error().message));
        REQUIRE(s.ok());
        router = std::make_unique<api::Router>();
        REQUIRE(people->add_routes(*router).ok());
        server = std::make_unique<api::HttpServer>(api::ServerSettings{}, *router, f.bus(), f.ctx().logger);
        REQUIRE(server->start().ok());
    }
    HttpReply call(const std::string& method, const std::string& path, const std::string& body = {},
                   const std::string& token = {}) {
        std::map<std::string, std::string> headers;
        if (!token.empty()) headers["Authorization"] = "Bearer " + token;
        return test::http_call(server->port(), method, path, body, headers);
    }
    std::string admin_pin() {
        std::string pin = test::read_file(f.data_dir() + "/auth/initial-admin-pin");
        if (!pin.empty()) pin.pop_back();
        return pin;
    }
    std::string login(const std::string& name, const std::string& pin) {
        auto r = call("POST", "/api/v1/auth/login",
                      R"({"user_name":")" + name + R"(","pin":")" + pin + R"(","terminal_id":"T1"})");
        INFO(r.body);
        REQUIRE(r.status == 200);
        return json(r)["token"].as_string();
    }
    std::string admin() { return login("admin", admin_pin()); }
    std::int64_t audit_count(const std::string& action) {
        auto rows = f.db().query("SELECT COUNT(*) FROM audit_log WHERE action = ?", {action});
        REQUIRE(rows.ok());
        return rows->rows.at(0).at(0).as_int();
    }
    static sdk::Value json(const HttpReply& r) {
        auto v = sdk::Value::parse_json(r.body);
        return v ? *v : sdk::Value();
    }
    static std::string error_path(const HttpReply& r) {
        const sdk::Value body = json(r);
        const auto& errors = body["errors"].as_list();
        return errors.empty() ? std::string() : errors[0]["path"].as_string();
    }
};

std::vector<std::string> strings(const sdk::Value& list) {
    std::vector<std::string> out;
    for (const auto& v : list.as_list()) out.push_back(v.as_string());
    return out;
}

bool has(const std::vector<std::string>& list, const std::string& item) {
    return std::find(list.begin(), list.end(), item) != list.end();
}

/// The cashier's config list plus inventory.adjust (and a duplicate), as a JSON list.
std::string cashier_with_adjust(RoleNode& n) {
    std::string out = "[";
    for (const auto& a : n.f.auth().permissions.at("cashier")) out += "\"" + a + "\",";
    return out + R"("inventory.adjust","inventory.adjust","order.create"])";
}

std::vector<std::string> my_permissions(RoleNode& n, const std::string& token) {
    auto me = n.call("GET", "/api/v1/auth/me", "", token);
    REQUIRE(me.status == 200);
    return strings(RoleNode::json(me)["permissions"]);
}

ReplicatedChange role_change(const std::string& name, const std::vector<std::string>& actions, std::int64_t version) {
    sdk::Value payload = sdk::Value::map();
    payload.set("name", name);
    sdk::Value list = sdk::Value::list();
    for (const auto& a : actions) list.push_back(a);
    payload.set("actions", list);
    payload.set("version", version);
    return ReplicatedChange{std::string(change_type::role), name, payload, false};
}

}  // namespace

TEST_CASE("roles routes: config roles, a PUT takes effect at once, a DELETE goes back to config",
          "[people][roles][routes]") {
    RoleNode n;
    const std::string admin = n.admin();
    const std::string carol = n.login("carol", "3333");  // manager: users.manage, not roles.manage
    const std::string alice = n.login("alice", "1111");  // cashier

    auto list = n.call("GET", "/api/v1/roles", "", carol);
    INFO(list.body);
    REQUIRE(list.status == 200);
    const sdk::Value listed = RoleNode::json(list);
    const auto& items = listed["items"].as_list();
    REQUIRE(items.size() == 4);
    CHECK(items[0]["name"].as_string() == "cashier");
    CHECK(items[3]["name"].as_string() == "admin");
    for (const auto& item : items) {
        CHECK(item["source"].as_string() == "config");
        CHECK(item["version"].as_int() == 0);
        CHECK(item["updated_utc_ms"].is_null());
    }
    CHECK(strings(items[0]["actions"]) == n.people->role_actions("cashier"));
    CHECK(n.call("GET", "/api/v1/roles", "", alice).status == 403);
    CHECK(n.call("GET", "/api/v1/roles", "").status == 401);
    CHECK(n.call("GET", "/api/v1/roles/supervisor", "", carol).status == 200);

    CHECK_FALSE(n.people->role_allows("cashier", "inventory.adjust"));
    CHECK_FALSE(has(my_permissions(n, alice), "inventory.adjust"));

    // A manager may read roles but not change them.
    auto refused = n.call("PUT", "/api/v1/roles/cashier", R"({"actions":["order.create"]})", carol);
    CHECK(refused.status == 403);

    auto put = n.call("PUT", "/api/v1/roles/cashier", R"({"actions":)" + cashier_with_adjust(n) + "}", admin);
    INFO(put.body);
    REQUIRE(put.status == 200);
    const sdk::Value role = RoleNode::json(put);
    CHECK(role["source"].as_string() == "stored");
    CHECK(role["version"].as_int() == 1);
    CHECK(role["updated_by"].as_string() == n.people->authenticate([&] {
        sdk::HttpRequest r;
        r.headers["authorization"] = "Bearer " + admin;
        return r;
    }()).value().user_id);
    auto actions = strings(role["actions"]);
    CHECK(std::count(actions.begin(), actions.end(), "inventory.adjust") == 1);
    CHECK(std::count(actions.begin(), actions.end(), "order.create") == 1);
    CHECK(actions == n.people->role_actions("cashier"));

    // At once, with the same token: no restart.
    CHECK(n.people->role_allows("cashier", "inventory.adjust"));
    CHECK(has(my_permissions(n, alice), "inventory.adjust"));
    CHECK(n.audit_count("role.changed") == 1);
    CHECK(n.f.last_event("role.changed").payload["name"].as_string() == "cashier");
    CHECK(n.f.last_event("role.changed").payload["version"].as_int() == 1);
    auto sent = n.log.of_type(change_type::role);
    REQUIRE(sent.size() == 1);
    CHECK(sent[0].entity_id == "cashier");
    CHECK(sent[0].payload["version"].as_int() == 1);
    CHECK(has(strings(sent[0].payload["actions"]), "inventory.adjust"));

    // A stale expected_version is refused; the right one passes.
    auto stale = n.call("PUT", "/api/v1/roles/cashier", R"({"actions":["order.create"],"expected_version":0})", admin);
    CHECK(stale.status == 409);
    CHECK(RoleNode::error_path(stale) == "$.expected_version");
    auto next = n.call("PUT", "/api/v1/roles/cashier",
                       R"({"actions":["order.create","inventory.adjust"],"expected_version":1})", admin);
    INFO(next.body);
    REQUIRE(next.status == 200);
    CHECK(RoleNode::json(next)["version"].as_int() == 2);
    CHECK_FALSE(n.people->role_allows("cashier", "payment.take"));

    // A restart keeps the stored role.
    n.restart();
    CHECK(n.people->role_allows("cashier", "inventory.adjust"));
    CHECK_FALSE(n.people->role_allows("cashier", "payment.take"));
    auto got = n.call("GET", "/api/v1/roles/cashier", "", admin);
    CHECK(RoleNode::json(got)["version"].as_int() == 2);
    CHECK(RoleNode::json(got)["source"].as_string() == "stored");

    // DELETE: back to the config list.
    n.log.clear();
    auto back = n.call("DELETE", "/api/v1/roles/cashier", "", admin);
    INFO(back.body);
    REQUIRE(back.status == 200);
    CHECK(RoleNode::json(back)["source"].as_string() == "config");
    CHECK(RoleNode::json(back)["version"].as_int() == 0);
    CHECK_FALSE(n.people->role_allows("cashier", "inventory.adjust"));
    CHECK(n.people->role_allows("cashier", "payment.take"));
    CHECK_FALSE(has(my_permissions(n, alice), "inventory.adjust"));
    sent = n.log.of_type(change_type::role);
    REQUIRE(sent.size() == 1);
    CHECK(sent[0].payload["deleted"].as_bool());
    CHECK(sent[0].payload["name"].as_string() == "cashier");
    CHECK(n.audit_count("role.changed") == 3);
    // Already the config's: nothing more to do, nothing appended.
    CHECK(n.call("DELETE", "/api/v1/roles/cashier", "", admin).status == 200);
    CHECK(n.log.of_type(change_type::role).size() == 1);
}

TEST_CASE("roles routes refuse bad input naming the path, and the admin lockout", "[people][roles][routes]") {
    RoleNode n;
    const std::string admin = n.admin();

    CHECK(n.call("GET", "/api/v1/roles/owner", "", admin).status == 404);
    CHECK(n.call("PUT", "/api/v1/roles/owner", R"({"actions":[]})", admin).status == 404);
    CHECK(n.call("DELETE", "/api/v1/roles/owner", "", admin).status == 404);

    auto unknown = n.call("PUT", "/api/v1/roles/cashier", R"({"actions":["order.create","payment.take","fly"]})",
                          admin);
    CHECK(unknown.status == 400);
    CHECK(RoleNode::error_path(unknown) == "$.actions[2]");
    CHECK_THAT(unknown.body, Catch::Contains("fly"));

    auto not_text = n.call("PUT", "/api/v1/roles/cashier", R"({"actions":["order.create",7]})", admin);
    CHECK(not_text.status == 422);
    CHECK(RoleNode::error_path(not_text) == "$.actions[1]");
    auto no_list = n.call("PUT", "/api/v1/roles/cashier", R"({"actions":"order.create"})", admin);
    CHECK(no_list.status == 422);
    CHECK(RoleNode::error_path(no_list) == "$.actions");
    auto extra = n.call("PUT", "/api/v1/roles/cashier", R"({"actions":[],"colour":"red"})", admin);
    CHECK(extra.status == 422);
    CHECK(n.call("PUT", "/api/v1/roles/cashier", "not json", admin).status == 400);
    auto negative = n.call("PUT", "/api/v1/roles/cashier", R"({"actions":[],"expected_version":-1})", admin);
    CHECK(negative.status == 422);
    CHECK(RoleNode::error_path(negative) == "$.expected_version");

    // Nobody can lock the deployment out.
    auto lockout = n.call("PUT", "/api/v1/roles/admin", R"({"actions":["users.manage","order.create"]})", admin);
    CHECK(lockout.status == 422);
    CHECK(RoleNode::error_path(lockout) == "$.actions");
    CHECK_THAT(lockout.body, Catch::Contains("roles.manage"));
    CHECK(n.call("PUT", "/api/v1/roles/admin", R"({"actions":["roles.manage"]})", admin).status == 422);
    auto minimal = n.call("PUT", "/api/v1/roles/admin", R"({"actions":["roles.manage","users.manage"]})", admin);
    CHECK(minimal.status == 200);
    CHECK_FALSE(n.people->role_allows("admin", "order.create"));

    // Nothing else was written by the refused requests.
    CHECK(n.log.of_type(change_type::role).size() == 1);
    CHECK(n.audit_count("role.changed") == 1);
    CHECK(n.people->role_allows("cashier", "payment.take"));
}

TEST_CASE("roles: a store synced with HQ refuses changes (403), a failed append leaves nothing",
          "[people][roles][sync]") {
    RoleNode n;
    const std::string admin = n.admin();
    n.log.refuse_master_data = true;
    auto put = n.call("PUT", "/api/v1/roles/cashier", R"({"actions":["order.create"]})", admin);
    CHECK(put.status == 403);
    CHECK_THAT(put.body, Catch::Contains("master data (role) is managed at HQ"));
    CHECK(n.call("DELETE", "/api/v1/roles/cashier", "", admin).status == 403);
    CHECK(n.call("GET", "/api/v1/roles", "", admin).status == 200);
    CHECK(n.people->role_allows("cashier", "payment.take"));
    n.log.refuse_master_data = false;

    // The change and its replicated change commit together or not at all.
    n.log.fail_appends = true;
    auto failed = n.call("PUT", "/api/v1/roles/cashier", R"({"actions":["order.create"]})", admin);
    CHECK(failed.status == 500);
    CHECK(n.people->role_allows("cashier", "payment.take"));
    CHECK(n.audit_count("role.changed") == 0);
    auto rows = n.f.db().query("SELECT COUNT(*) FROM roles");
    REQUIRE(rows.ok());
    CHECK(rows->rows.at(0).at(0).as_int() == 0);
    CHECK(n.f.last_event("role.changed").payload.is_null());
    n.log.fail_appends = false;
    CHECK(n.call("PUT", "/api/v1/roles/cashier", R"({"actions":["order.create"]})", admin).status == 200);
    CHECK(n.log.of_type(change_type::role).size() == 1);
}

namespace {

void hq_seeds_and_store_applies(test::Backend backend) {
    RoleNode hq(sdk::NodeRole::hq, backend);
    auto seeded = hq.log.of_type(change_type::role);
    REQUIRE(seeded.size() == 4);
    CHECK(seeded[0].entity_id == "cashier");
    for (const auto& c : seeded) CHECK(c.payload["version"].as_int() == 1);
    CHECK(has(strings(seeded[3].payload["actions"]), "roles.manage"));
    CHECK(hq.audit_count("role.changed") == 4);
    const std::string admin = hq.admin();
    auto list = hq.call("GET", "/api/v1/roles", "", admin);
    const sdk::Value listed = RoleNode::json(list);
    REQUIRE(listed["items"].as_list().size() == 4);
    for (const auto& item : listed["items"].as_list()) CHECK(item["source"].as_string() == "stored");

    // Once: a second start appends nothing.
    hq.log.clear();
    hq.restart();
    CHECK(hq.log.of_type(change_type::role).empty());
    CHECK(hq.audit_count("role.changed") == 4);

    // HQ changes the cashier; the store applies HQ's roles.
    auto put = hq.call("PUT", "/api/v1/roles/cashier", R"({"actions":["order.create","inventory.adjust"]})", admin);
    INFO(put.body);
    REQUIRE(put.status == 200);
    CHECK(RoleNode::json(put)["version"].as_int() == 2);
    auto batch = seeded;
    batch.push_back(hq.log.of_type(change_type::role).back());

    RoleNode store(sdk::NodeRole::store, backend);
    CHECK(store.log.of_type(change_type::role).empty());  // stores do not seed
    const std::string alice = store.login("alice", "1111");
    CHECK_FALSE(store.people->role_allows("cashier", "inventory.adjust"));
    std::vector<sdk::Value> stored;
    auto applied = test::apply_batch(store.f.db(), store.people->role_applier(), batch, &stored);
    INFO(applied.message());
    REQUIRE(applied.ok());
    REQUIRE(stored.size() == 5);
    CHECK(stored[4]["version"].as_int() == 2);
    CHECK(store.log.of_type(change_type::role).empty());  // the applier appends nothing
    CHECK(store.people->role_allows("cashier", "inventory.adjust"));
    CHECK_FALSE(store.people->role_allows("cashier", "payment.take"));
    CHECK(has(my_permissions(store, alice), "inventory.adjust"));
    CHECK(store.f.last_event("role.changed").payload["name"].as_string() == "cashier");
    auto got = store.call("GET", "/api/v1/roles/cashier", "", store.admin());
    CHECK(RoleNode::json(got)["source"].as_string() == "stored");
    CHECK(RoleNode::json(got)["version"].as_int() == 2);

    // A restart keeps HQ's roles.
    store.restart();
    CHECK(store.people->role_allows("cashier", "inventory.adjust"));

    // A deletion: back to the store's config.
    sdk::Value deleted = sdk::Value::map();
    deleted.set("name", "cashier");
    deleted.set("deleted", true);
    REQUIRE(test::apply_batch(store.f.db(), store.people->role_applier(),
                              {ReplicatedChange{std::string(change_type::role), "cashier", deleted, false}})
                .ok());
    CHECK_FALSE(store.people->role_allows("cashier", "inventory.adjust"));
    CHECK(store.people->role_allows("cashier", "payment.take"));

    // Bad payloads name the path and keep nothing of the batch.
    auto& applier = store.people->role_applier();
    auto good = role_change("supervisor", {"order.create"}, 3);
    auto refused = test::apply_batch(store.f.db(), applier,
                                     {good, role_change("cashier", {"order.create", "teleport"}, 3)});
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().code == "invalid_argument");
    CHECK_THAT(refused.message(), Catch::Contains("$.actions[1]"));
    CHECK(store.people->role_allows("supervisor", "order.void"));  // the good change rolled back too
    CHECK_THAT(test::apply_batch(store.f.db(), applier, {role_change("owner", {}, 1)}).message(),
               Catch::Contains("$.name"));
    CHECK_THAT(test::apply_batch(store.f.db(), applier, {role_change("admin", {"users.manage"}, 1)}).message(),
               Catch::Contains("$.actions"));
    auto no_version = role_change("cashier", {"order.create"}, 1);
    no_version.payload.set("version", "one");
    CHECK_THAT(test::apply_batch(store.f.db(), applier, {no_version}).message(), Catch::Contains("$.version"));

    // HQ's DELETE resets to HQ's config (stored, so stores receive it).
    hq.log.clear();
    auto reset = hq.call("DELETE", "/api/v1/roles/cashier", "", admin);
    INFO(reset.body);
    REQUIRE(reset.status == 200);
    CHECK(RoleNode::json(reset)["source"].as_string() == "stored");
    CHECK(RoleNode::json(reset)["version"].as_int() == 3);
    CHECK(hq.people->role_allows("cashier", "payment.take"));
    auto sent = hq.log.of_type(change_type::role);
    REQUIRE(sent.size() == 1);
    CHECK(sent[0].payload["version"].as_int() == 3);
    CHECK(has(strings(sent[0].payload["actions"]), "payment.take"));
}

}  // namespace

TEST_CASE("HQ seeds its roles once and a store applies them (SQLite)", "[people][roles][sync][applier]") {
    hq_seeds_and_store_applies(test::Backend::sqlite);
}

TEST_CASE("HQ seeds its roles once and a store applies them (PostgreSQL)",
          "[people][roles][sync][applier][postgresql]") {
    hq_seeds_and_store_applies(test::Backend::postgresql);
}
