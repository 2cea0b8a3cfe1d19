// Customers and sync: create, change and deactivate append one "customer"
// change (the conflict record: fields and their HLC stamps) in their
// transaction; the ReplicaApplier merges a record from another node with the
// local one through the deployment's conflict policy — here the real rules
// engine running scripts/cafe (lib/conflict_defaults.lua) — so two nodes
// that edited the same customer offline converge, whatever the order in
// which they exchange their records (SQLite and PostgreSQL).
#include <catch2/catch.hpp>

#include "domain/audit/audit_trail.hpp"
#include "domain/customers/customer_record.hpp"
#include "domain/customers/customer_service.hpp"
#include "domain/people/people_service.hpp"
#include "domain_fixture.hpp"
#include "replication_doubles.hpp"
#include "script/rules_engine.hpp"

using namespace till;
using namespace till::domain::customers;
using till::domain::ReplicatedChange;
namespace change_type = till::domain::change_type;

namespace {

/// The node's ConflictPolicy over the rules engine (as the node wires it).
class RulesPolicy final : public domain::ConflictPolicy {
public:
    explicit RulesPolicy(script::RulesEngine& engine) : engine_(engine) {}
    sdk::Result<sdk::Value> resolve(std::string_view kind, const sdk::Value& local, const sdk::Value& remote,
                                    const sdk::Value& base) override {
        return engine_.resolve(kind, local, remote, base);
    }

private:
    script::RulesEngine& engine_;
};

script::RulesEngineOptions cafe_rules() {
    script::RulesEngineOptions o;
    o.deployment_dir = std::string(TILL_SOURCE_SCRIPTS_DIR) + "/cafe";
    o.poll_interval_ms = 0;
    return o;
}

struct Node {
    test::DomainFixture f;
    test::RecordingReplication log;
    test::ReplicatingContext rc;
    domain::audit::AuditTrail audit{rc.ctx()};
    domain::people::PeopleService people{rc.ctx(), audit};
    CustomerService customers{rc.ctx(), people, audit};
    Actor cashier{"user-alice", "T1", "", ""};

    Node(const std::string& node_id, test::Backend backend) : f(backend), rc(f, node_id, log) {
        REQUIRE(audit.start().ok());
        REQUIRE(people.start().ok());
        REQUIRE(customers.start().ok());
        log.clear();
    }
    Customer get(const std::string& id) {
        auto c = customers.get(id);
        REQUIRE(c.ok());
        REQUIRE(c->has_value());
        return **c;
    }
    /// The changes this node appended since the last call.
    std::vector<ReplicatedChange> take() {
        auto out = log.of_type(change_type::customer);
        log.clear();
        return out;
    }
};

std::string fields_and_stamps(const Customer& c) {
    const sdk::Value r = customer_record(c);
    return r["fields"].to_json() + " " + r["hlc"].to_json();
}

CustomerPatch patch_of(const Customer& c) {
    CustomerPatch p;
    p.expected_version = c.version;
    return p;
}

}  // namespace

TEST_CASE("customer changes append the conflict record with field stamps", "[customers][sync]") {
    Node n("store-1", test::Backend::sqlite);
    NewCustomer in;
    in.given_name = "Ann";
    in.family_name = "Lee";
    in.email = "ann@example.com";
    auto made = n.customers.create(n.cashier, in);
    REQUIRE(made.ok());
    CustomerPatch p = patch_of(*made);
    p.phone = "+44 20 7946 0958";
    auto changed = n.customers.update(n.cashier, made->id, p);
    REQUIRE(changed.ok());
    auto off = n.customers.deactivate(n.cashier, made->id, changed->version);
    REQUIRE(off.ok());

    auto changes = n.take();
    REQUIRE(changes.size() == 3);
    for (const auto& c : changes) {
        CHECK(c.type == change_type::customer);
        CHECK(c.entity_id == made->id);
        CHECK_FALSE(c.high_priority);
    }
    const sdk::Value& first = changes[0].payload;
    CHECK(first["id"].as_string() == made->id);
    CHECK(first["fields"]["email"].as_string() == "ann@example.com");
    CHECK(first["fields"]["phone"].as_string() == "");
    CHECK(first["fields"]["active"].as_bool());
    CHECK(first["version"].as_int() == 1);
    const std::string created_stamp = first["hlc"]["email"].as_string();
    CHECK_THAT(created_stamp, Catch::Matches("[0-9]{15}-[0-9]{5}-store-1"));
    // Only the changed field gets a new, later stamp.
    const sdk::Value& second = changes[1].payload;
    CHECK(second["fields"]["phone"].as_string() == "+44 20 7946 0958");
    CHECK(second["hlc"]["phone"].as_string() > created_stamp);
    CHECK(second["hlc"]["email"].as_string() == created_stamp);
    CHECK(second["version"].as_int() == 2);
    CHECK_FALSE(changes[2].payload["fields"]["active"].as_bool());
    // The record reads back as the customer it came from.
    auto back = customer_from_record(changes[2].payload);
    REQUIRE(back.ok());
    CHECK(fields_and_stamps(*back) == fields_and_stamps(n.get(made->id)));

    // A patch that changes nothing appends nothing.
    CustomerPatch same = patch_of(n.get(made->id));
    same.given_name = "Ann";
    REQUIRE(n.customers.update(n.cashier, made->id, same).ok());
    CHECK(n.take().empty());
}

TEST_CASE("a failed append fails the customer change and leaves nothing", "[customers][sync]") {
    Node n("store-1", test::Backend::sqlite);
    n.log.fail_appends = true;
    NewCustomer in;
    in.given_name = "Ann";
    in.email = "ann@example.com";
    auto made = n.customers.create(n.cashier, in);
    REQUIRE_FALSE(made.ok());
    auto rows = n.f.db().query("SELECT COUNT(*) FROM customers");
    REQUIRE(rows.ok());
    CHECK(rows->rows.at(0).at(0).as_int() == 0);
    CHECK(n.f.last_event("customer.created").payload.is_null());

    n.log.fail_appends = false;
    auto ok = n.customers.create(n.cashier, in);
    REQUIRE(ok.ok());
    n.log.fail_appends = true;
    CustomerPatch p = patch_of(*ok);
    p.note = "VIP";
    REQUIRE_FALSE(n.customers.update(n.cashier, ok->id, p).ok());
    CHECK(n.get(ok->id).note.empty());
    CHECK(n.get(ok->id).version == 1);
}

namespace {

void converge(test::Backend backend, bool hq_first) {
    script::RulesEngine engine(cafe_rules());
    REQUIRE(engine.start().ok());
    RulesPolicy policy(engine);
    Node store("store-1", backend);
    Node hq("hq", backend);
    domain::ReplicaApplier& at_store = store.customers.replica_applier(policy);
    domain::ReplicaApplier& at_hq = hq.customers.replica_applier(policy);

    // Created at the store, pushed to HQ.
    NewCustomer in;
    in.given_name = "Ann";
    in.family_name = "Lee";
    in.email = "ann@old.example";
    in.note = "likes oat milk";
    auto made = store.customers.create(store.cashier, in);
    REQUIRE(made.ok());
    std::vector<sdk::Value> stored;
    REQUIRE(test::apply_batch(hq.f.db(), at_hq, store.take(), &stored).ok());
    REQUIRE(stored.size() == 1);
    CHECK(fields_and_stamps(hq.get(made->id)) == fields_and_stamps(store.get(made->id)));
    CHECK(hq.take().empty());  // an applier appends nothing

    // Both edit while offline: the store its email and note, HQ (a minute
    // later) the note and phone; then the store its family name.
    store.f.clock().advance_ms(30'000);
    CustomerPatch sp = patch_of(store.get(made->id));
    sp.email = "ann@new.example";
    sp.note = "store note";
    REQUIRE(store.customers.update(store.cashier, made->id, sp).ok());
    hq.f.clock().advance_ms(60'000);
    CustomerPatch hp = patch_of(hq.get(made->id));
    hp.note = "hq note";
    hp.phone = "020 7946 0958";
    REQUIRE(hq.customers.update(hq.cashier, made->id, hp).ok());
    store.f.clock().advance_ms(60'000);
    CustomerPatch sp2 = patch_of(store.get(made->id));
    sp2.family_name = "Lee-Smith";
    REQUIRE(store.customers.update(store.cashier, made->id, sp2).ok());
    auto from_store = store.take();
    auto from_hq = hq.take();
    REQUIRE(from_store.size() == 2);
    REQUIRE(from_hq.size() == 1);

    // Exchange, in either order; records arrive one by one, the older first
    // or (pulled as one page) only the newest.
    if (hq_first) {
        REQUIRE(test::apply_batch(store.f.db(), at_store, from_hq).ok());
        REQUIRE(test::apply_batch(hq.f.db(), at_hq, from_store).ok());
    } else {
        REQUIRE(test::apply_batch(hq.f.db(), at_hq, {from_store.back()}).ok());
        REQUIRE(test::apply_batch(store.f.db(), at_store, from_hq).ok());
        REQUIRE(test::apply_batch(hq.f.db(), at_hq, {from_store.front()}).ok());  // late and stale
    }
    const Customer s = store.get(made->id);
    const Customer h = hq.get(made->id);
    CHECK(fields_and_stamps(s) == fields_and_stamps(h));
    CHECK(s.email == "ann@new.example");     // only the store changed it
    CHECK(s.phone == "020 7946 0958");       // only HQ changed it
    CHECK(s.phone_normalized == "02079460958");
    CHECK(s.note == "hq note");              // both: HQ's write is later
    CHECK(s.family_name == "Lee-Smith");
    CHECK(s.display_name == h.display_name);
    CHECK(store.f.last_event("customer.changed").payload["note"].as_string() == "hq note");
    // Search on each node finds the merged record (terms rewritten).
    SearchQuery q;
    q.q = "lee-smith";
    CHECK(hq.customers.search(q)->items.size() == 1);

    // The merged record sent back again changes nothing (no new version).
    const std::int64_t version = h.version;
    std::vector<sdk::Value> again;
    REQUIRE(test::apply_batch(hq.f.db(), at_hq, {ReplicatedChange{std::string(change_type::customer), made->id,
                                                                  customer_record(s), false}},
                              &again)
                .ok());
    CHECK(hq.get(made->id).version == version);
    CHECK(again.at(0)["fields"].to_json() == customer_record(h)["fields"].to_json());

    // A local edit after the merge is stamped after everything seen.
    CustomerPatch later = patch_of(store.get(made->id));
    later.note = "after sync";
    REQUIRE(store.customers.update(store.cashier, made->id, later).ok());
    auto next = store.take();
    REQUIRE(next.size() == 1);
    CHECK(next[0].payload["hlc"]["note"].as_string() > customer_record(h)["hlc"]["note"].as_string());
}

}  // namespace

TEST_CASE("a customer edited on two nodes offline converges, either order (SQLite)", "[customers][sync][merge]") {
    converge(test::Backend::sqlite, true);
    converge(test::Backend::sqlite, false);
}

TEST_CASE("a customer edited on two nodes offline converges, either order (PostgreSQL)",
          "[customers][sync][merge][postgresql]") {
    converge(test::Backend::postgresql, true);
    converge(test::Backend::postgresql, false);
}

TEST_CASE("the customer applier refuses what is not a customer record and keeps shared emails apart",
          "[customers][sync][merge]") {
    script::RulesEngine engine(cafe_rules());
    REQUIRE(engine.start().ok());
    RulesPolicy policy(engine);
    Node a("store-1", test::Backend::sqlite);
    Node b("store-2", test::Backend::sqlite);
    domain::ReplicaApplier& at_b = b.customers.replica_applier(policy);

    NewCustomer in;
    in.given_name = "Ann";
    in.email = "ann@example.com";
    auto at_a = a.customers.create(a.cashier, in);
    REQUIRE(at_a.ok());
    auto change = a.take().at(0);

    ReplicatedChange bad = change;
    bad.payload.set("fields", sdk::Value(sdk::Value::Map{{"email", sdk::Value("not an email")}}));
    auto refused = test::apply_batch(b.f.db(), at_b, {bad});
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().code == "invalid_argument");
    CHECK_THAT(refused.message(), Catch::Contains("$.fields.email"));
    bad = change;
    bad.payload.set("hlc", sdk::Value(sdk::Value::Map{{"email", sdk::Value("yesterday")}}));
    CHECK_THAT(test::apply_batch(b.f.db(), at_b, {bad}).message(), Catch::Contains("$.hlc.email"));
    bad = change;
    bad.payload.set("id", "c-1");
    CHECK_THAT(test::apply_batch(b.f.db(), at_b, {bad}).message(), Catch::Contains("$.id"));

    // The same email created independently at store-2: both records kept.
    auto own = b.customers.create(b.cashier, in);
    REQUIRE(own.ok());
    REQUIRE(test::apply_batch(b.f.db(), at_b, {change}).ok());
    CHECK(b.get(at_a->id).email == "ann@example.com");
    CHECK(b.get(own->id).email == "ann@example.com");
    SearchQuery q;
    q.q = "ann@example.com";
    CHECK(b.customers.search(q)->items.size() == 2);
}

TEST_CASE("a store whose clock is hours behind still converges, and its edits after a merge win",
          "[customers][sync][merge]") {
    script::RulesEngine engine(cafe_rules());
    REQUIRE(engine.start().ok());
    RulesPolicy policy(engine);
    Node store("store-1", test::Backend::sqlite);
    Node hq("hq", test::Backend::sqlite);
    store.f.clock().advance_ms(-5 * 3600 * 1000);  // five hours behind HQ
    domain::ReplicaApplier& at_store = store.customers.replica_applier(policy);
    domain::ReplicaApplier& at_hq = hq.customers.replica_applier(policy);

    NewCustomer in;
    in.given_name = "Ann";
    in.note = "first";
    auto made = hq.customers.create(hq.cashier, in);
    REQUIRE(made.ok());
    REQUIRE(test::apply_batch(store.f.db(), at_store, hq.take()).ok());

    // Offline, the store edits the note after HQ did (in real time), but its
    // stamps are hours older: HQ's write wins on both nodes alike.
    hq.f.clock().advance_ms(1000);
    CustomerPatch hp = patch_of(hq.get(made->id));
    hp.note = "hq";
    REQUIRE(hq.customers.update(hq.cashier, made->id, hp).ok());
    store.f.clock().advance_ms(2000);
    CustomerPatch sp = patch_of(store.get(made->id));
    sp.note = "store";
    sp.email = "ann@example.com";
    REQUIRE(store.customers.update(store.cashier, made->id, sp).ok());
    // The store had seen HQ's creation stamps: its own are after them, even
    // with its clock behind.
    auto from_store = store.take();
    REQUIRE(from_store.size() == 1);
    CHECK(from_store[0].payload["hlc"]["note"].as_string() > customer_record(*made)["hlc"]["note"].as_string());
    auto from_hq = hq.take();
    REQUIRE(test::apply_batch(hq.f.db(), at_hq, from_store).ok());
    REQUIRE(test::apply_batch(store.f.db(), at_store, from_hq).ok());
    CHECK(fields_and_stamps(store.get(made->id)) == fields_and_stamps(hq.get(made->id)));
    CHECK(store.get(made->id).email == "ann@example.com");
    CHECK(store.get(made->id).note == "hq");

    // Once it has seen HQ's stamps, the store's next edit is later than them
    // and wins everywhere, its clock notwithstanding.
    CustomerPatch again = patch_of(store.get(made->id));
    again.note = "store, after sync";
    REQUIRE(store.customers.update(store.cashier, made->id, again).ok());
    REQUIRE(test::apply_batch(hq.f.db(), at_hq, store.take()).ok());
    CHECK(hq.get(made->id).note == "store, after sync");
    CHECK(fields_and_stamps(store.get(made->id)) == fields_and_stamps(hq.get(made->id)));
}
