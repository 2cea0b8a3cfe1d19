// The kept on-hand against the ledger: check_ledger() reports a SKU whose
// level row was changed behind the ledger's back, rebuild_on_hand() repairs it.
#include <catch2/catch.hpp>

#include "inventory_test_support.hpp"

using namespace till;

TEST_CASE("drift between on-hand and the ledger is found and repaired", "[inventory][check]") {
    for (auto backend : test::inventory_backends()) {
        INFO("backend: " << test::backend_name(backend));
        test::InventoryUnderTest t(backend);
        test::record_one(t.inventory, t.fixture.db(), test::movement("GOOD", 4000));
        test::record_one(t.inventory, t.fixture.db(), test::movement("BAD", 4000));
        test::record_one(t.inventory, t.fixture.db(), test::movement("BAD", -1500));
        REQUIRE(t.inventory.set_threshold("EMPTY", 1000, test::authorization_of("boss")).ok());
        auto clean = t.inventory.check_ledger();
        REQUIRE(clean.ok());
        CHECK(clean->empty());

        // Tamper with the kept values (a bad restore, a manual edit).
        REQUIRE(t.fixture.db().execute("UPDATE stock_levels SET on_hand_milli = 999 WHERE sku = 'BAD'").ok());
        REQUIRE(t.fixture.db().execute("UPDATE stock_levels SET on_hand_milli = 7 WHERE sku = 'EMPTY'").ok());
        REQUIRE(t.fixture.db().execute("DELETE FROM stock_levels WHERE sku = 'GOOD'").ok());

        auto found = t.inventory.check_ledger();
        REQUIRE(found.ok());
        REQUIRE(found->size() == 3);
        CHECK((*found)[0].sku == "BAD");
        CHECK((*found)[0].on_hand_milli == 999);
        CHECK((*found)[0].ledger_sum_milli == 2500);
        CHECK((*found)[1].sku == "EMPTY");
        CHECK((*found)[1].ledger_sum_milli == 0);
        CHECK((*found)[2].sku == "GOOD");
        CHECK((*found)[2].ledger_sum_milli == 4000);

        auto repaired = t.inventory.rebuild_on_hand();
        REQUIRE(repaired.ok());
        CHECK(repaired->size() == 3);
        CHECK(t.inventory.level("BAD")->on_hand_milli == 2500);
        CHECK(t.inventory.level("GOOD")->on_hand_milli == 4000);
        CHECK(t.inventory.level("EMPTY")->on_hand_milli == 0);
        CHECK(t.inventory.level("EMPTY")->low_stock_threshold_milli == 1000);  // kept
        CHECK(t.inventory.check_ledger()->empty());
        CHECK(t.fixture.log().contains("on-hand of BAD was 999"));
    }
}
