// What the inventory module sends to HQ (docs/sync.md, "Payloads"): one
// `stock_movement` per ledger entry — the movement as the API shows it with
// the SKU's on-hand after it — appended in the movement's transaction, from
// the StockLedger seam (sales, refunds) and from adjustments. A failed append
// fails the movement: no ledger row, on-hand unchanged, no audit entry.
// Real SQLite and PostgreSQL, RecordingReplication.
#include <catch2/catch.hpp>

#include "domain/inventory/inventory_json.hpp"
#include "inventory_test_support.hpp"
#include "recording_replication.hpp"

using namespace till;

namespace {

/// InventoryUnderTest with a recording replication log in the context.
struct Recorded {
    explicit Recorded(test::Backend backend)
        : fixture(backend),
          recorded(fixture.db()),
          wired((fixture.use_replication(recorded), true)),
          audit(fixture.ctx()),
          people(fixture.ctx(), audit),
          inventory(fixture.ctx(), people, audit) {
        REQUIRE(audit.start().ok());
        REQUIRE(people.start().ok());
        REQUIRE(inventory.start().ok());
    }
    test::DomainFixture fixture;
    test::RecordingReplication recorded;
    bool wired;
    domain::audit::AuditTrail audit;
    domain::people::PeopleService people;
    domain::InventoryService inventory;
};

}  // namespace

TEST_CASE("every stock movement is sent once with the on-hand after it", "[inventory][replication]") {
    for (auto backend : test::inventory_backends()) {
        INFO("backend: " << test::backend_name(backend));
        Recorded t(backend);
        test::record_one(t.inventory, t.fixture.db(), test::movement("TEA", -2000, "sale"));
        auto adjusted = t.inventory.adjust({"TEA", 10000, "received", "delivery"}, test::authorization_of("u-bob"));
        REQUIRE(adjusted.ok());
        auto refund = test::movement("TEA", 1000, "refund");
        refund.reason_code = "changed_mind";
        test::record_one(t.inventory, t.fixture.db(), refund);
        test::record_one(t.inventory, t.fixture.db(), test::movement("TEA", 0, "sale"));  // writes nothing

        auto sent = t.recorded.committed("stock_movement");
        REQUIRE(sent.size() == 3);
        std::vector<std::int64_t> on_hand;
        for (const auto& c : sent) {
            CHECK_FALSE(c.high_priority);
            CHECK(c.entity_id == c.payload["movement_id"].as_string());
            CHECK(c.payload["sku"].as_string() == "TEA");
            CHECK(c.payload["created_utc_ms"] == c.payload["recorded_utc_ms"]);
            CHECK(c.payload["created_utc_ms"].as_int() == t.fixture.clock().now_utc_ms());
            on_hand.push_back(c.payload["on_hand_milli"].as_int());
        }
        CHECK(on_hand == std::vector<std::int64_t>{-2000, 8000, 9000});
        CHECK(sent[0].payload["kind"].as_string() == "sale");
        CHECK(sent[0].payload["qty_delta_milli"].as_int() == -2000);
        CHECK(sent[0].payload["reference"].as_string() == "order:test");
        CHECK(sent[0].payload["user_id"].as_string() == "user-test");
        CHECK(sent[1].payload == domain::replicated_movement_json(adjusted->movement, adjusted->level));
        CHECK(sent[1].payload["kind"].as_string() == "adjustment");
        CHECK(sent[1].payload["reason_code"].as_string() == "received");
        CHECK(sent[1].payload["note"].as_string() == "delivery");
        CHECK(sent[2].payload["reason_code"].as_string() == "changed_mind");
        // The ledger agrees with what was sent.
        auto page = t.inventory.movements("TEA", "", 10);
        REQUIRE(page.ok());
        REQUIRE(page->items.size() == 3);
        CHECK(page->items[0].movement_id == sent[2].entity_id);  // newest first
        CHECK(t.recorded.high_priority_wakeups() == 0);
    }
}

TEST_CASE("a failed append fails the movement and leaves the ledger as it was", "[inventory][replication]") {
    for (auto backend : test::inventory_backends()) {
        INFO("backend: " << test::backend_name(backend));
        Recorded t(backend);
        test::record_one(t.inventory, t.fixture.db(), test::movement("TEA", 5000, "refund"));
        t.recorded.fail_appends("stock_movement");

        auto s = t.fixture.db().transaction([&](sdk::SqlExecutor& tx) -> sdk::Status {
            auto r = t.inventory.record(tx, test::movement("TEA", -1000, "sale"));
            return r ? sdk::Status() : r.status();
        });
        REQUIRE_FALSE(s.ok());
        CHECK(s.error().code == "storage_error");
        auto adjusted = t.inventory.adjust({"TEA", -500, "damaged", ""}, test::authorization_of("u-bob"));
        REQUIRE_FALSE(adjusted.ok());
        CHECK(adjusted.error().code == "storage_error");

        CHECK(t.inventory.level("TEA")->on_hand_milli == 5000);
        CHECK(test::ledger_sum(t.fixture.db(), "TEA") == 5000);
        CHECK(t.inventory.movements("TEA", "", 10)->items.size() == 1);
        auto entries = t.audit.list(0, 500);
        REQUIRE(entries.ok());
        for (const auto& e : *entries) CHECK(e.action != "inventory.adjust");
        CHECK(t.fixture.last_event("inventory.adjusted").topic.empty());
        CHECK(t.recorded.committed("stock_movement").size() == 1);
        CHECK(t.recorded.refused_appends() == 2);
        CHECK(t.inventory.check_ledger()->empty());
    }
}
