// Stock adjustments: reason codes from sales.stock_adjustment_reasons, each
// one audited (inventory.adjust) in the same transaction, published after it.
#include <catch2/catch.hpp>

#include "inventory_test_support.hpp"

using namespace till;

namespace {
domain::StockAdjustment adjustment(std::string sku, std::int64_t delta, std::string reason, std::string note = {}) {
    return domain::StockAdjustment{std::move(sku), delta, std::move(reason), std::move(note)};
}
}  // namespace

TEST_CASE("an adjustment with a configured reason moves stock and is audited", "[inventory][adjust]") {
    for (auto backend : test::inventory_backends()) {
        INFO("backend: " << test::backend_name(backend));
        test::InventoryUnderTest t(backend);
        auto by = test::authorization_of("u-bob");
        by.override_user_id = "u-carol";
        auto done = t.inventory.adjust(adjustment("TEA", 24000, "received", "delivery 118"), by);
        INFO((done.ok() ? std::string() : done.error().message));
        REQUIRE(done.ok());
        CHECK(done->movement.kind == "adjustment");
        CHECK(done->movement.reason_code == "received");
        CHECK(done->movement.reference == "adjustment:" + done->movement.movement_id);
        CHECK(done->movement.user_id == "u-bob");
        CHECK(done->movement.note == "delivery 118");
        CHECK(done->level.on_hand_milli == 24000);

        auto entries = t.audit.list(0, 500);
        REQUIRE(entries.ok());
        const domain::audit::StoredEntry* found = nullptr;
        for (const auto& e : *entries)
            if (e.action == "inventory.adjust") found = &e;
        REQUIRE(found);
        CHECK(found->actor_user_id == "u-bob");
        CHECK(found->authorized_by == "u-carol");
        CHECK(found->subject == "sku:TEA");
        CHECK(found->reason == "received: delivery 118");
        CHECK(found->terminal_id == "T1");
        CHECK(found->details_json.find("\"qty_delta_milli\":24000") != std::string::npos);
        CHECK(t.audit.verify()->ok);

        auto event = t.fixture.last_event("inventory.adjusted");
        CHECK(event.payload["movement"]["movement_id"].as_string() == done->movement.movement_id);
        CHECK(event.payload["level"]["on_hand_milli"].as_int() == 24000);
    }
}

TEST_CASE("adjustments with a bad reason, zero quantity or unknown SKU are refused and write nothing",
          "[inventory][adjust]") {
    test::FixedCatalog catalog({"TEA"});
    test::InventoryUnderTest t(test::Backend::sqlite, &catalog);
    auto by = test::authorization_of("u-bob");
    struct Case {
        domain::StockAdjustment a;
        std::string path;
    };
    const std::vector<Case> cases = {
        {adjustment("TEA", 1000, "birthday"), "$.reason_code"},
        {adjustment("TEA", 1000, ""), "$.reason_code"},
        {adjustment("TEA", 0, "count"), "$.qty_delta_milli"},
        {adjustment("COFFEE", 1000, "count"), "$.sku"},
        {adjustment("", 1000, "count"), "$.sku"},
        {adjustment("TEA", 1000, "count", std::string(501, 'n')), "$.note"},
    };
    for (const auto& c : cases) {
        auto r = t.inventory.adjust(c.a, by);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().code == "invalid_argument");
        CHECK(r.error().message.rfind(c.path + ": ", 0) == 0);
    }
    auto bad = t.inventory.adjust(adjustment("TEA", 1000, "birthday"), by);
    CHECK(bad.error().message.find("count, received, damaged, theft, transfer") != std::string::npos);
    auto rows = t.fixture.db().query("SELECT count(*) FROM stock_movements");
    CHECK(rows->rows[0][0].as_int() == 0);
    CHECK(t.fixture.last_event("inventory.adjusted").payload.is_null());
}

TEST_CASE("the configured reason list is the one enforced", "[inventory][adjust]") {
    test::InventoryUnderTest t(test::Backend::sqlite);
    t.fixture.sales().stock_adjustment_reasons = {"stocktake"};
    CHECK(t.inventory.adjust(adjustment("TEA", -1000, "stocktake"), test::authorization_of("u")).ok());
    CHECK_FALSE(t.inventory.adjust(adjustment("TEA", -1000, "count"), test::authorization_of("u")).ok());
}

TEST_CASE("an adjustment that takes a SKU to its threshold publishes inventory.low_stock", "[inventory][adjust]") {
    test::InventoryUnderTest t(test::Backend::sqlite);
    auto by = test::authorization_of("u-bob");
    REQUIRE(t.inventory.adjust(adjustment("BEANS", 10000, "received"), by).ok());
    auto level = t.inventory.set_threshold("BEANS", 3000, by);
    REQUIRE(level.ok());
    CHECK_FALSE(level->crossed_low_stock);
    CHECK(t.fixture.last_event("inventory.threshold_changed").payload["low_stock_threshold_milli"].as_int() == 3000);
    REQUIRE(t.inventory.adjust(adjustment("BEANS", -6000, "damaged"), by).ok());
    CHECK(t.fixture.last_event("inventory.low_stock").payload.is_null());
    REQUIRE(t.inventory.adjust(adjustment("BEANS", -1000, "theft"), by).ok());
    auto e = t.fixture.last_event("inventory.low_stock");
    CHECK(e.payload["sku"].as_string() == "BEANS");
    CHECK(e.payload["on_hand_milli"].as_int() == 3000);
    CHECK(e.payload["threshold_milli"].as_int() == 3000);

    auto low = t.inventory.low_stock("", 10);
    REQUIRE(low.ok());
    REQUIRE(low->size() == 1);
    CHECK((*low)[0].sku == "BEANS");
}
