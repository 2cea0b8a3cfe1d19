// apply_batch is idempotent: the same batch twice, the same events reordered
// or split into other batches end in the same tables; acknowledged_sequence
// is the highest S with 1..S held, also when a gap is filled later.
#include "hq_rig.hpp"

#include <algorithm>
#include <random>

using namespace till;
using namespace till::sync::hq;
using namespace till::sync::hq::testing;

TEST_CASE("hq batches: applied once, a repeated batch is acknowledged and changes nothing", "[sync][hq]") {
    for_each_backend("hq_batch_repeat", [](Backend backend, const std::string& hint) {
        HqRig rig(fresh_place(backend, hint));
        auto batch = batch_of("store-001", mixed_events("store-001", 20));

        auto first = rig.hub->apply_batch("store-001", batch);
        INFO(first.message);
        REQUIRE(first.status == sdk::TransportStatus::ok);
        CHECK(first.applied_events == 20);
        CHECK(first.duplicate_events == 0);
        CHECK(first.acknowledged_sequence == 20);
        CHECK(first.acknowledged_event_ids.size() == 20);
        const std::string after_first = rig.projections();
        CHECK(rig.count("sync_hq_orders") == 4);
        CHECK(rig.count("sync_hq_z_reports") == 4);
        CHECK(rig.count("sync_hq_stock_movements") == 4);

        auto again = rig.hub->apply_batch("store-001", batch);
        REQUIRE(again.status == sdk::TransportStatus::ok);
        CHECK(again.applied_events == 0);
        CHECK(again.duplicate_events == 20);
        CHECK(again.acknowledged_sequence == 20);
        CHECK(again.acknowledged_event_ids == first.acknowledged_event_ids);
        CHECK(rig.projections() == after_first);

        auto ack = rig.hub->acknowledged_sequence("store-001");
        REQUIRE(ack.ok());
        CHECK(*ack == 20);
    });
}

TEST_CASE("hq batches: reordered and differently split batches give the same tables", "[sync][hq]") {
    for_each_backend("hq_batch_order", [](Backend backend, const std::string& hint) {
        const auto events = mixed_events("store-002", 60);
        HqRig in_order(fresh_place(backend, hint + "_a"));
        REQUIRE(in_order.hub->apply_batch("store-002", batch_of("store-002", events)).status ==
                sdk::TransportStatus::ok);

        HqRig shuffled(fresh_place(backend, hint + "_b"));
        std::vector<sdk::Value> mixed = events;
        std::mt19937 rng(42);
        std::shuffle(mixed.begin(), mixed.end(), rng);
        // Split into uneven batches, applied last first, each one twice.
        std::vector<std::vector<sdk::Value>> parts;
        for (std::size_t i = 0, size = 1; i < mixed.size(); i += size, size = size % 13 + 3)
            parts.emplace_back(mixed.begin() + i, mixed.begin() + std::min(mixed.size(), i + size));
        std::reverse(parts.begin(), parts.end());
        for (const auto& part : parts)
            for (int twice = 0; twice < 2; ++twice) {
                auto r = shuffled.hub->apply_batch("store-002", batch_of("store-002", part));
                INFO(r.message);
                REQUIRE(r.status == sdk::TransportStatus::ok);
            }
        // Batch ids differ; everything else is equal.
        CHECK(shuffled.projections() == in_order.projections());
        auto ack = shuffled.hub->acknowledged_sequence("store-002");
        REQUIRE(ack.ok());
        CHECK(*ack == 60);
    });
}

TEST_CASE("hq batches: acknowledged_sequence stops at a gap and moves when it is filled", "[sync][hq]") {
    for_each_backend("hq_batch_gap", [](Backend backend, const std::string& hint) {
        HqRig rig(fresh_place(backend, hint));
        auto events = mixed_events("store-003", 10);
        std::vector<sdk::Value> without_4;
        for (const auto& e : events)
            if (e["sequence"].as_int() != 4) without_4.push_back(e);
        auto r = rig.hub->apply_batch("store-003", batch_of("store-003", without_4));
        REQUIRE(r.status == sdk::TransportStatus::ok);
        CHECK(r.applied_events == 9);
        CHECK(r.acknowledged_sequence == 3);

        auto filled = rig.hub->apply_batch("store-003", batch_of("store-003", {events[3]}));
        REQUIRE(filled.status == sdk::TransportStatus::ok);
        CHECK(filled.applied_events == 1);
        CHECK(filled.acknowledged_sequence == 10);
    });
}

TEST_CASE("hq batches: an order's later event wins whatever the arrival order", "[sync][hq]") {
    for_each_backend("hq_batch_order_state", [](Backend backend, const std::string& hint) {
        HqRig rig(fresh_place(backend, hint));
        auto s = sale("store-004", 1, 5000);
        sdk::Value voided = sale_payload("store-004-order-1", 5000, 500);
        voided.set("state", "voided");
        auto v = event("store-004", 2, "void", "store-004-order-1", voided);
        REQUIRE(rig.hub->apply_batch("store-004", batch_of("store-004", {v})).status == sdk::TransportStatus::ok);
        REQUIRE(rig.hub->apply_batch("store-004", batch_of("store-004", {s})).status == sdk::TransportStatus::ok);
        CHECK(rig.dump("SELECT kind, source_sequence FROM sync_hq_orders") == R"([["void",2]])");
    });
}

TEST_CASE("hq batches: stock counted at two stores sums per store and never double counts", "[sync][hq]") {
    for_each_backend("hq_batch_stock", [](Backend backend, const std::string& hint) {
        HqRig rig(fresh_place(backend, hint));
        auto a = batch_of("store-a", {stock("store-a", 1, "APPLE", 3000), stock("store-a", 2, "APPLE", -1000)});
        auto b = batch_of("store-b", {stock("store-b", 1, "APPLE", 5000)});
        for (int i = 0; i < 2; ++i) {
            REQUIRE(rig.hub->apply_batch("store-a", a).status == sdk::TransportStatus::ok);
            REQUIRE(rig.hub->apply_batch("store-b", b).status == sdk::TransportStatus::ok);
        }
        CHECK(rig.dump("SELECT store_id, on_hand_milli FROM sync_hq_stock_levels ORDER BY store_id") ==
              R"([["store-a",2000],["store-b",5000]])");
        auto stores = rig.hub->stores();
        REQUIRE(stores.ok());
        REQUIRE(stores->size() == 2);
        CHECK((*stores)[0].events_received == 2);
        CHECK((*stores)[0].acknowledged_sequence == 2);
        CHECK((*stores)[0].first_push_utc_ms.has_value());
    });
}

TEST_CASE("hq batches: one big batch ends in the same tables as the same events one batch each", "[sync][hq]") {
    // HQ stores a batch's new events and projections in multi-row statements
    // (chunks of 200): rows written twice in one batch (an order sold then
    // voided, a session opened then closed, a movement sent again under another
    // event id) must end as they do event by event.
    for_each_backend("hq_batch_big", [](Backend backend, const std::string& hint) {
        auto events = mixed_events("store-big", 450);
        sdk::Value voided = sale_payload("store-big-order-2", 5000, 500);
        voided.set("state", "voided");
        events.push_back(event("store-big", 451, "void", "store-big-order-2", voided));
        auto again = stock("store-big", 452, "SKU-1", 7000);
        sdk::Value repeated = again["payload"];
        repeated.set("movement_id", "store-big-mv-5");  // the movement of event 5, sent again
        again.set("payload", repeated);
        events.push_back(again);

        HqRig whole(fresh_place(backend, hint + "_whole"));
        auto applied = whole.hub->apply_batch("store-big", batch_of("store-big", events));
        INFO(applied.message);
        REQUIRE(applied.status == sdk::TransportStatus::ok);
        CHECK(applied.applied_events == 452);
        CHECK(applied.acknowledged_sequence == 452);

        HqRig single(fresh_place(backend, hint + "_single"));
        for (const auto& e : events)
            REQUIRE(single.hub->apply_batch("store-big", batch_of("store-big", {e})).status ==
                    sdk::TransportStatus::ok);
        CHECK(whole.projections() == single.projections());
        CHECK(whole.dump("SELECT kind FROM sync_hq_orders WHERE order_id = 'store-big-order-2'") == R"([["void"]])");
        CHECK(whole.count("sync_hq_stock_movements", "movement_id = 'store-big-mv-5'") == 1);

        // The whole batch again: all duplicates, nothing changes.
        const std::string before = whole.projections();
        auto repeat = whole.hub->apply_batch("store-big", batch_of("store-big", events));
        REQUIRE(repeat.status == sdk::TransportStatus::ok);
        CHECK(repeat.applied_events == 0);
        CHECK(repeat.duplicate_events == 452);
        CHECK(whole.projections() == before);
        CHECK(whole.count("sync_hq_events") == 452);
    });
}

TEST_CASE("hq batches: concurrent pushes of the same events apply each once (PostgreSQL)", "[sync][hq][postgresql]") {
    HqRig rig(fresh_place(Backend::postgresql, "hq_batch_concurrent"));
    const auto events = mixed_events("store-c", 200);
    std::vector<std::thread> threads;
    std::atomic<int> ok{0};
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&, t] {
            for (int round = 0; round < 3; ++round) {
                std::vector<sdk::Value> part(events.begin() + (t * 37 + round * 11) % 150,
                                             events.begin() + std::min<std::size_t>(200, (t * 37 + round * 11) % 150 + 60));
                if (rig.hub->apply_batch("store-c", batch_of("store-c", part)).status == sdk::TransportStatus::ok)
                    ++ok;
            }
        });
    for (auto& th : threads) th.join();
    CHECK(ok == 12);
    REQUIRE(rig.hub->apply_batch("store-c", batch_of("store-c", events)).status == sdk::TransportStatus::ok);
    CHECK(rig.count("sync_hq_events") == 200);
    CHECK(rig.dump("SELECT events_received, acknowledged_sequence FROM sync_hq_stores") == "[[200,200]]");
}
