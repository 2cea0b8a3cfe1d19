// Movements from several threads at once (each in its own transaction, as
// concurrent sales are) lose nothing, on SQLite and PostgreSQL.
#include <catch2/catch.hpp>

#include <atomic>
#include <thread>

#include "inventory_test_support.hpp"

using namespace till;

TEST_CASE("concurrent movements from 8 threads all count", "[inventory][concurrency]") {
    for (auto backend : test::inventory_backends()) {
        INFO("backend: " << test::backend_name(backend));
        test::InventoryUnderTest t(backend);
        REQUIRE(t.inventory.set_threshold("HOT", 0, test::authorization_of("boss")).ok());
        test::record_one(t.inventory, t.fixture.db(), test::movement("HOT", 8 * 25 * 1000, "adjustment"));

        constexpr int kThreads = 8;
        constexpr int kPerThread = 25;
        std::atomic<int> failures{0};
        std::atomic<int> crossings{0};
        std::vector<std::thread> threads;
        for (int n = 0; n < kThreads; ++n) {
            threads.emplace_back([&, n] {
                for (int i = 0; i < kPerThread; ++i) {
                    // Every thread sells HOT (one shared row) and its own SKU.
                    auto s = t.fixture.db().transaction([&](sdk::SqlExecutor& tx) -> sdk::Status {
                        auto a = t.inventory.record(tx, test::movement("HOT", -1000));
                        if (!a) return a.status();
                        if (a->crossed_low_stock) ++crossings;
                        return t.inventory.record(tx, test::movement("OWN-" + std::to_string(n), -500)).status();
                    });
                    if (!s.ok()) ++failures;
                }
            });
        }
        for (auto& th : threads) th.join();
        CHECK(failures == 0);
        CHECK(t.inventory.level("HOT")->on_hand_milli == 0);
        CHECK(test::ledger_sum(t.fixture.db(), "HOT") == 0);
        CHECK(crossings == 1);  // exactly the movement that reached 0
        for (int n = 0; n < kThreads; ++n)
            CHECK(t.inventory.level("OWN-" + std::to_string(n))->on_hand_milli == -500 * kPerThread);
        auto rows = t.fixture.db().query("SELECT count(*) FROM stock_movements");
        REQUIRE(rows.ok());
        CHECK(rows->rows[0][0].as_int() == 1 + 2 * kThreads * kPerThread);
        auto drift = t.inventory.check_ledger();
        REQUIRE(drift.ok());
        CHECK(drift->empty());
    }
}
