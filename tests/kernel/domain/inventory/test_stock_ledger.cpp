// The ledger's arithmetic: on-hand is always the sum of the movements, and a
// low-stock crossing is reported exactly once per crossing. Random movements
// (fixed seeds, bounded) on SQLite and PostgreSQL.
#include <catch2/catch.hpp>

#include <limits>
#include <map>
#include <random>

#include "inventory_test_support.hpp"

using namespace till;
using test::Backend;

TEST_CASE("on-hand equals the sum of random movements and crossings match a model", "[inventory][ledger]") {
    for (Backend backend : test::inventory_backends()) {
        INFO("backend: " << test::backend_name(backend));
        test::InventoryUnderTest t(backend);
        const std::vector<std::string> skus = {"A-1", "B-2", "C-3", "D-4"};
        // Thresholds on three SKUs; D-4 has none.
        std::map<std::string, std::int64_t> threshold = {{"A-1", 5000}, {"B-2", 0}, {"C-3", 20000}};
        for (const auto& [sku, th] : threshold)
            REQUIRE(t.inventory.set_threshold(sku, th, test::authorization_of("boss")).ok());

        for (std::uint32_t seed : {1u, 7u, 42u}) {
            INFO("seed " << seed);
            std::mt19937 rng(seed);
            std::uniform_int_distribution<int> pick(0, static_cast<int>(skus.size()) - 1);
            std::uniform_int_distribution<std::int64_t> delta(-6000, 6000);
            std::map<std::string, std::int64_t> model;
            for (const auto& sku : skus) {
                auto l = t.inventory.level(sku);
                model[sku] = l ? l->on_hand_milli : 0;
            }
            int expected_crossings = 0;
            std::vector<domain::StockLevel> crossed;
            for (int i = 0; i < 120; ++i) {
                const std::string& sku = skus[static_cast<std::size_t>(pick(rng))];
                std::int64_t d = delta(rng);
                if (d == 0) d = 1;
                const std::int64_t before = model[sku];
                model[sku] += d;
                auto level = test::record_one(t.inventory, t.fixture.db(), test::movement(sku, d));
                CHECK(level.sku == sku);
                CHECK(level.on_hand_milli == model[sku]);
                const bool should_cross = threshold.count(sku) && before > threshold[sku] && model[sku] <= threshold[sku];
                CHECK(level.crossed_low_stock == should_cross);
                if (should_cross) {
                    ++expected_crossings;
                    crossed.push_back(level);
                }
            }
            for (const auto& sku : skus) {
                CHECK(test::ledger_sum(t.fixture.db(), sku) == model[sku]);
                auto l = t.inventory.level(sku);
                REQUIRE(l.ok());
                CHECK(l->on_hand_milli == model[sku]);
            }
            CHECK(expected_crossings > 0);  // the seeds do cross: the test would be idle otherwise
            const auto published_before = t.fixture.topics().size();
            t.inventory.announce(crossed);
            CHECK(t.fixture.topics().size() - published_before == crossed.size());
        }
        auto drift = t.inventory.check_ledger();
        REQUIRE(drift.ok());
        CHECK(drift->empty());
    }
}

TEST_CASE("a crossing is reported once, again only after going back above the threshold", "[inventory][ledger]") {
    test::InventoryUnderTest t(Backend::sqlite);
    REQUIRE(t.inventory.set_threshold("MILK", 2000, test::authorization_of("boss")).ok());
    auto rec = [&](std::int64_t d) { return test::record_one(t.inventory, t.fixture.db(), test::movement("MILK", d)); };
    CHECK_FALSE(rec(+5000).crossed_low_stock);  // 0 -> 5000: rising, not a crossing
    CHECK_FALSE(rec(-2000).crossed_low_stock);  // 3000: still above
    auto hit = rec(-1000);                      // 2000: at the threshold
    CHECK(hit.crossed_low_stock);
    CHECK(hit.on_hand_milli == 2000);
    CHECK(hit.low_stock_threshold_milli == 2000);
    CHECK_FALSE(rec(-1000).crossed_low_stock);  // 1000: already low
    CHECK_FALSE(rec(-3000).crossed_low_stock);  // -2000: still low (negative on-hand is allowed)
    CHECK_FALSE(rec(+10000).crossed_low_stock); // 8000: back above
    CHECK(rec(-7000).crossed_low_stock);        // 1000: a second crossing

    t.inventory.announce({hit});
    auto e = t.fixture.last_event("inventory.low_stock");
    CHECK(e.payload["sku"].as_string() == "MILK");
    CHECK(e.payload["on_hand_milli"].as_int() == 2000);
    CHECK(e.payload["threshold_milli"].as_int() == 2000);
    CHECK(e.source == "kernel");
}

TEST_CASE("a SKU without a threshold never crosses, bad movements are refused", "[inventory][ledger]") {
    test::InventoryUnderTest t(Backend::sqlite);
    CHECK_FALSE(test::record_one(t.inventory, t.fixture.db(), test::movement("X", -5000)).crossed_low_stock);
    auto zero = test::record_one(t.inventory, t.fixture.db(), test::movement("X", 0));
    CHECK(zero.on_hand_milli == -5000);

    auto status = t.fixture.db().transaction([&](sdk::SqlExecutor& tx) -> sdk::Status {
        return t.inventory.record(tx, test::movement("", 1000)).status();
    });
    REQUIRE_FALSE(status.ok());
    CHECK(status.error().code == "invalid_argument");

    auto rows = t.fixture.db().query("SELECT count(*) FROM stock_movements");
    REQUIRE(rows.ok());
    CHECK(rows->rows[0][0].as_int() == 1);  // the zero movement wrote nothing
}

TEST_CASE("a movement rolled back with its transaction leaves no trace", "[inventory][ledger]") {
    test::InventoryUnderTest t(Backend::sqlite);
    test::record_one(t.inventory, t.fixture.db(), test::movement("Y", 3000));
    auto status = t.fixture.db().transaction([&](sdk::SqlExecutor& tx) -> sdk::Status {
        auto r = t.inventory.record(tx, test::movement("Y", -1000));
        REQUIRE(r.ok());
        return sdk::Status::failure("invalid_state", "the order could not be settled");
    });
    CHECK_FALSE(status.ok());
    CHECK(t.inventory.level("Y")->on_hand_milli == 3000);
    CHECK(test::ledger_sum(t.fixture.db(), "Y") == 3000);
}

TEST_CASE("movements page newest first with a before cursor", "[inventory][ledger]") {
    test::InventoryUnderTest t(Backend::sqlite);
    for (int i = 1; i <= 7; ++i) {
        test::record_one(t.inventory, t.fixture.db(), test::movement("PAGE", i * 1000));
        t.fixture.clock().advance_ms(1);
    }
    test::record_one(t.inventory, t.fixture.db(), test::movement("OTHER", 1));
    auto first = t.inventory.movements("PAGE", "", 3);
    REQUIRE(first.ok());
    REQUIRE(first->items.size() == 3);
    CHECK(first->items[0].qty_delta_milli == 7000);
    CHECK(first->items[2].qty_delta_milli == 5000);
    CHECK(first->next_before == first->items[2].movement_id);
    auto second = t.inventory.movements("PAGE", first->next_before, 3);
    REQUIRE(second.ok());
    CHECK(second->items[0].qty_delta_milli == 4000);
    auto last = t.inventory.movements("PAGE", second->next_before, 3);
    REQUIRE(last.ok());
    REQUIRE(last->items.size() == 1);
    CHECK(last->items[0].qty_delta_milli == 1000);
    CHECK(last->items[0].kind == "sale");
    CHECK(last->items[0].reference == "order:test");
    CHECK(last->next_before.empty());
}

TEST_CASE("the level of an unknown SKU is not found, of a catalog SKU without movements zero", "[inventory][ledger]") {
    test::FixedCatalog catalog({"KNOWN"});
    test::InventoryUnderTest t(Backend::sqlite, &catalog);
    auto unknown = t.inventory.level("NOPE");
    REQUIRE_FALSE(unknown.ok());
    CHECK(unknown.error().code == "not_found");
    auto known = t.inventory.level("KNOWN");
    REQUIRE(known.ok());
    CHECK(known->on_hand_milli == 0);
    CHECK(known->low_stock_threshold_milli == -1);
}

// Review finding: on-hand past the int64 range became a SQLite REAL (a float
// in the ledger) or a PostgreSQL error (500); now the movement is refused.
TEST_CASE("a movement that would overflow on-hand is refused and changes nothing", "[inventory][ledger][review]") {
    for (Backend backend : test::inventory_backends()) {
        INFO("backend: " << test::backend_name(backend));
        test::InventoryUnderTest t(backend);
        const std::int64_t big = std::numeric_limits<std::int64_t>::max() - 5;
        test::record_one(t.inventory, t.fixture.db(), test::movement("HUGE", big, "adjustment"));
        auto over = t.fixture.db().transaction([&](sdk::SqlExecutor& tx) -> sdk::Status {
            auto l = t.inventory.record(tx, test::movement("HUGE", 10, "adjustment"));
            return l ? sdk::Status() : sdk::Status(l.error());
        });
        REQUIRE_FALSE(over.ok());
        CHECK(over.error().code == "invalid_argument");
        auto level = t.inventory.level("HUGE");
        REQUIRE(level.ok());
        CHECK(level->on_hand_milli == big);
        auto type = t.fixture.db().query("SELECT on_hand_milli FROM stock_levels WHERE sku = 'HUGE'");
        REQUIRE(type.ok());
        CHECK(type->rows.at(0).at(0).is_int());

        const std::int64_t low = std::numeric_limits<std::int64_t>::min() + 5;
        test::record_one(t.inventory, t.fixture.db(), test::movement("DEEP", low, "adjustment"));
        auto under = t.fixture.db().transaction([&](sdk::SqlExecutor& tx) -> sdk::Status {
            auto l = t.inventory.record(tx, test::movement("DEEP", -10, "sale"));
            return l ? sdk::Status() : sdk::Status(l.error());
        });
        REQUIRE_FALSE(under.ok());
        CHECK(under.error().code == "invalid_argument");
        // Compared in SQL: the PostgreSQL storage reads int64 values below
        // -2^53 through a double (a storage bug reported to the lead).
        auto stored = [&](const char* literal) {
            auto r = t.fixture.db().query(std::string("SELECT COUNT(*) FROM stock_levels WHERE sku = 'DEEP' AND "
                                                      "on_hand_milli = CAST(") + literal + " AS BIGINT)");
            REQUIRE(r.ok());
            return r->rows.at(0).at(0).as_int() == 1;
        };
        CHECK(stored("-9223372036854775803"));
        // Within range still moves.
        test::record_one(t.inventory, t.fixture.db(), test::movement("DEEP", 10, "refund"));
        CHECK(stored("-9223372036854775793"));
    }
}
