// Customers arrive from stores and are merged by the "customer" applier (on
// a real node: the customers module with the deployment's conflict policy);
// the hub appends the merged record to the change feed. Here the applier is
// a small real one in the test: per-field last-writer-wins by HLC stamp,
// stored in its own table.
#include "hq_rig.hpp"

#include <mutex>

using namespace till;
using namespace till::sync::hq;
using namespace till::sync::hq::testing;

namespace {

class LwwCustomerApplier final : public domain::ReplicaApplier {
public:
    explicit LwwCustomerApplier(sdk::Storage& storage) {
        REQUIRE(storage.execute("CREATE TABLE test_customers (id TEXT PRIMARY KEY, record TEXT NOT NULL)").ok());
    }

    sdk::Result<sdk::Value> apply(sdk::SqlExecutor& tx, const domain::ReplicatedChange& change) override {
        const sdk::Value& remote = change.payload;
        if (!remote["fields"].is_map()) return sdk::Error{"invalid_argument", "fields: expected an object"};
        auto rows = tx.query("SELECT record FROM test_customers WHERE id = ?", {change.entity_id});
        if (!rows) return rows.error();
        sdk::Value merged = remote;
        if (!rows->rows.empty()) {
            merged = *sdk::Value::parse_json(rows->rows[0][0].as_string());
            for (const auto& [field, value] : remote["fields"].as_map()) {
                const std::string theirs = remote["hlc"][field].as_string();
                const std::string ours = merged["hlc"][field].as_string();
                if (theirs > ours) {
                    merged.mutable_map()["fields"].set(field, value);
                    merged.mutable_map()["hlc"].set(field, theirs);
                }
            }
            merged.set("version", merged["version"].as_int() + 1);
        }
        auto up = tx.execute(
            "INSERT INTO test_customers (id, record) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET record = excluded.record",
            {change.entity_id, merged.to_json()});
        if (!up) return up.error();
        return merged;
    }

    void after_commit(const std::vector<domain::ReplicatedChange>& changes) override {
        std::lock_guard lock(mutex_);
        committed += changes.size();
    }

    std::mutex mutex_;
    std::size_t committed = 0;
};

sdk::Value customer_edit(const std::string& node, std::int64_t seq, std::int64_t wall_ms, const std::string& field,
                         const std::string& value) {
    sdk::Value fields = sdk::Value::map();
    fields.set(field, value);
    sdk::Value stamps = sdk::Value::map();
    stamps.set(field, hlc_for(node, wall_ms));
    sdk::Value record = sdk::Value::map();
    record.set("id", "C1");
    record.set("fields", std::move(fields));
    record.set("hlc", std::move(stamps));
    record.set("version", 1);
    return event(node, seq, "customer", "C1", std::move(record));
}

}  // namespace

TEST_CASE("hq customers: edits from two stores converge in either order, merged record in the feed", "[sync][hq]") {
    for_each_backend("hq_customers", [](Backend backend, const std::string& hint) {
        std::string final_record[2];
        for (int order = 0; order < 2; ++order) {
            HqRig rig(fresh_place(backend, hint + std::to_string(order)));
            LwwCustomerApplier applier(*rig.db);
            rig.appliers.add("customer", applier);
            // Store A renamed at t=1000 and later changed the phone at t=3000;
            // store B renamed at t=2000 (wins the name).
            auto a = batch_of("store-a", {customer_edit("store-a", 1, 1000, "name", "Ann"),
                                          customer_edit("store-a", 2, 3000, "phone", "555")});
            auto b = batch_of("store-b", {customer_edit("store-b", 1, 2000, "name", "Anne")});
            const bool a_first = order == 0;
            for (const auto* batch : a_first ? std::vector{&a, &b} : std::vector{&b, &a}) {
                auto r = rig.hub->apply_batch(batch->node_id, *batch);
                INFO(r.message);
                REQUIRE(r.status == sdk::TransportStatus::ok);
            }
            // A repeated batch merges nothing again.
            REQUIRE(rig.hub->apply_batch("store-a", a).duplicate_events == 2);
            CHECK(applier.committed == 3);

            auto page = rig.hub->changes_since("store-a", 0, 100);
            REQUIRE(page.changes.size() == 3);
            const sdk::Value& last = page.changes.back();
            CHECK(last["type"].as_string() == "customer");
            CHECK(last["entity_id"].as_string() == "C1");
            CHECK(last["payload"]["fields"]["name"].as_string() == "Anne");
            CHECK(last["payload"]["fields"]["phone"].as_string() == "555");
            sdk::Value record = last["payload"];
            record.mutable_map().erase("version");
            final_record[order] = record.to_json();
        }
        CHECK(final_record[0] == final_record[1]);
    });
}

TEST_CASE("hq customers: an applier refusal rejects the batch and applies nothing", "[sync][hq]") {
    HqRig rig(fresh_place(Backend::sqlite, "hq_customers_bad"));
    LwwCustomerApplier applier(*rig.db);
    rig.appliers.add("customer", applier);
    sdk::Value bad = customer_edit("store-a", 2, 1000, "name", "X");
    bad.mutable_map()["payload"].set("fields", "oops");
    auto r = rig.hub->apply_batch("store-a", batch_of("store-a", {sale("store-a", 1, 100), bad}));
    CHECK(r.status == sdk::TransportStatus::rejected);
    CHECK(r.message == "events[1].payload: fields: expected an object");
    CHECK(rig.count("sync_hq_events") == 0);
    CHECK(rig.count("sync_hq_orders") == 0);
    CHECK(rig.count("sync_hq_changes") == 0);
}

TEST_CASE("hq customers: without a customer applier the batch fails (kept by the store)", "[sync][hq]") {
    HqRig rig(fresh_place(Backend::sqlite, "hq_customers_none"));
    auto r = rig.hub->apply_batch("store-a", batch_of("store-a", {customer_edit("store-a", 1, 1000, "name", "A")}));
    CHECK(r.status == sdk::TransportStatus::failed);
    CHECK(r.message.find("no applier for customer") != std::string::npos);
    CHECK(rig.count("sync_hq_events") == 0);
}
