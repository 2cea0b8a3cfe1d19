// The engine's push side, one cycle at a time on the test's thread: batches
// in sequence order, acknowledgements marked, lost acks re-sent (and held
// once), backoff growth with jitter bounds, unauthorised, rejected batches,
// status transitions and the sync.status event.
#include <catch2/catch.hpp>

#include "sync/outbox.hpp"
#include "sync_rig.hpp"

using namespace till;
using sdk::TransportStatus;

namespace {

std::vector<std::int64_t> sequences(const sdk::SyncBatch& batch) {
    std::vector<std::int64_t> out;
    for (const auto& e : batch.events) out.push_back(e["sequence"].as_int());
    return out;
}

}  // namespace

TEST_CASE("push sends the oldest events in batches in sequence order and marks acks", "[sync][engine]") {
    test::SyncRig rig;
    rig.register_transport();
    rig.settings.batch_max_events = 10;
    auto& engine = rig.make_engine();
    auto ids = rig.sell(25);

    auto first = engine.run_push_cycle();
    CHECK(first.attempted);
    CHECK(first.status == TransportStatus::ok);
    CHECK(first.events == 10);
    CHECK(first.acked == 10);
    CHECK(first.more);  // a full batch: the next one at once
    CHECK(first.delay_ms == 0);
    auto second = engine.run_push_cycle();
    CHECK(second.more);
    auto third = engine.run_push_cycle();
    CHECK(third.events == 5);
    CHECK_FALSE(third.more);
    CHECK(third.delay_ms == rig.settings.push_interval_ms);
    auto idle = engine.run_push_cycle();
    CHECK_FALSE(idle.attempted);

    auto batches = rig.transport->batches();
    REQUIRE(batches.size() == 3);
    CHECK(sequences(batches[0]) == std::vector<std::int64_t>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
    CHECK(sequences(batches[2]) == std::vector<std::int64_t>{21, 22, 23, 24, 25});
    CHECK(batches[0].node_id == "store-test");
    CHECK(batches[0].batch_id != batches[1].batch_id);
    CHECK(batches[0].events[0]["entity_id"].as_string() == ids[0]);
    CHECK(batches[0].events[0]["payload"]["total_minor"].as_int() == 100);

    auto status = engine.status();
    CHECK(status.state == "connected");
    CHECK(status.queue_depth == 0);
    CHECK(status.acknowledged_sequence == 25);
    CHECK(status.pushed_total == 25);
    CHECK(status.last_push_utc_ms == rig.f.clock().now_utc_ms());
    CHECK(status.last_error.empty());
}

TEST_CASE("events whose acks were lost are sent again and held once", "[sync][engine]") {
    test::SyncRig rig;
    rig.register_transport();
    auto& engine = rig.make_engine();
    rig.sell(6);
    rig.transport->lose_last_acks(2);
    auto first = engine.run_push_cycle();
    CHECK(first.acked == 4);
    CHECK(first.more);  // not all acknowledged: try the rest at once
    rig.transport->lose_last_acks(0);
    auto second = engine.run_push_cycle();
    CHECK(second.events == 2);
    CHECK(second.acked == 2);
    auto batches = rig.transport->batches();
    REQUIRE(batches.size() == 2);
    CHECK(sequences(batches[1]) == std::vector<std::int64_t>{5, 6});
    CHECK(rig.transport->held().size() == 6);
    CHECK(engine.status().queue_depth == 0);
}

TEST_CASE("an ok answer that acknowledges nothing counts as a failure", "[sync][engine]") {
    test::SyncRig rig;
    rig.register_transport();
    auto& engine = rig.make_engine();
    rig.sell(2);
    rig.transport->lose_last_acks(5);
    auto out = engine.run_push_cycle();
    CHECK(out.status == TransportStatus::failed);
    auto status = engine.status();
    CHECK(status.state == "backing_off");
    CHECK(status.queue_depth == 2);
    CHECK_THAT(status.last_error, Catch::Contains("acknowledged none of the 2 events"));
}

TEST_CASE("failures back off exponentially with jitter inside the cap, success resets", "[sync][engine]") {
    test::SyncRig rig;
    rig.register_transport();
    rig.settings.backoff_initial_ms = 1000;
    rig.settings.backoff_max_ms = 8000;
    // Caps are always reached with the draw "cap": pin it to show the growth.
    std::int64_t pinned = 0;
    rig.random = [&pinned] { return static_cast<std::uint64_t>(pinned); };
    auto& engine = rig.make_engine();
    rig.sell(3);
    rig.transport->set_mode(TransportStatus::offline, "connection refused");
    std::vector<std::int64_t> caps = {1000, 2000, 4000, 8000, 8000, 8000};
    for (std::size_t i = 0; i < caps.size(); ++i) {
        pinned = caps[i];
        auto out = engine.run_push_cycle();
        CHECK(out.status == TransportStatus::offline);
        CHECK(out.delay_ms == caps[i]);
    }
    auto status = engine.status();
    CHECK(status.state == "offline");
    CHECK(status.last_error == "connection refused");
    CHECK(status.queue_depth == 3);
    CHECK(status.next_attempt_utc_ms >= rig.f.clock().now_utc_ms());
    CHECK(status.next_attempt_utc_ms <= rig.f.clock().now_utc_ms() + 8000);

    rig.transport->set_mode(TransportStatus::ok);
    auto ok = engine.run_push_cycle();
    CHECK(ok.acked == 3);
    CHECK(engine.status().state == "connected");
    CHECK(engine.status().last_error.empty());
    rig.sell(1);
    rig.transport->set_mode(TransportStatus::offline, "connection refused");
    pinned = 1000;
    auto again = engine.run_push_cycle();
    CHECK(again.delay_ms == 1000);  // the failure count started over: cap 1000 again
}

TEST_CASE("jitter is drawn from the whole window", "[sync][engine]") {
    test::SyncRig rig;
    rig.register_transport();
    rig.settings.backoff_initial_ms = 1000;
    rig.settings.backoff_max_ms = 1000;
    std::uint64_t next = 0;
    rig.random = [&next] { return next; };
    auto& engine = rig.make_engine();
    rig.sell(1);
    rig.transport->set_mode(TransportStatus::failed, "HQ answered 503");
    next = 0;
    CHECK(engine.run_push_cycle().delay_ms == 0);
    next = 1000;
    CHECK(engine.run_push_cycle().delay_ms == 1000);
    next = 1500;
    CHECK(engine.run_push_cycle().delay_ms == 499);
    CHECK(engine.status().state == "backing_off");
}

TEST_CASE("an unauthorised store keeps its events and retries every backoff_max_ms", "[sync][engine]") {
    test::SyncRig rig;
    rig.register_transport();
    rig.settings.backoff_max_ms = 45000;
    auto& engine = rig.make_engine();
    rig.sell(4);
    rig.transport->set_mode(TransportStatus::unauthorised, "HQ refused the sync token (401)");
    auto out = engine.run_push_cycle();
    CHECK(out.status == TransportStatus::unauthorised);
    CHECK(out.delay_ms == 45000);
    CHECK(engine.run_push_cycle().delay_ms == 45000);
    auto status = engine.status();
    CHECK(status.state == "unauthorised");
    CHECK(status.queue_depth == 4);
    CHECK(status.last_error == "HQ refused the sync token (401)");

    // A new token: it resumes from where it stopped.
    rig.transport->set_mode(TransportStatus::ok);
    CHECK(engine.run_push_cycle().acked == 4);
    CHECK(engine.status().state == "connected");
    CHECK(rig.transport->held().size() == 4);
}

TEST_CASE("a rejected batch is kept and the next batch is smaller", "[sync][engine]") {
    test::SyncRig rig;
    rig.register_transport();
    rig.settings.batch_max_events = 8;
    auto& engine = rig.make_engine();
    rig.sell(8);
    rig.transport->set_mode(TransportStatus::rejected, "body over the limit (413)");
    CHECK(engine.run_push_cycle().events == 8);
    CHECK(engine.run_push_cycle().events == 4);
    CHECK(engine.run_push_cycle().events == 2);
    CHECK(engine.run_push_cycle().events == 1);
    CHECK(engine.run_push_cycle().events == 1);
    CHECK(engine.status().state == "backing_off");
    CHECK(engine.status().last_error == "body over the limit (413)");
    CHECK(engine.status().queue_depth == 8);
    rig.transport->set_mode(TransportStatus::ok);
    // Batches grow back after successes.
    CHECK(engine.run_push_cycle().events == 1);
    CHECK(engine.run_push_cycle().events == 2);
    CHECK(engine.run_push_cycle().events == 4);
    CHECK(engine.run_push_cycle().events == 1);
    CHECK(engine.status().queue_depth == 0);
}

TEST_CASE("a missing transport plugin shows offline with a reason and the outbox stays", "[sync][engine]") {
    test::SyncRig rig;  // transport not registered
    auto& engine = rig.make_engine();
    rig.sell(2);
    auto out = engine.run_push_cycle();
    CHECK_FALSE(out.attempted);
    auto status = engine.status();
    CHECK(status.state == "offline");
    CHECK_THAT(status.last_error, Catch::Contains("sync transport \"test\" is not available"));
    CHECK(status.queue_depth == 2);
    // The plugin appears later: the next attempt finds it.
    rig.register_transport();
    CHECK(engine.run_push_cycle().acked == 2);
    CHECK(engine.status().state == "connected");
}

TEST_CASE("state changes are published as sync.status events", "[sync][engine]") {
    test::SyncRig rig;
    rig.register_transport();
    auto& engine = rig.make_engine();
    rig.sell(1);
    rig.transport->set_mode(TransportStatus::offline, "down");
    engine.run_push_cycle();
    rig.transport->set_mode(TransportStatus::ok);
    engine.run_push_cycle();
    std::vector<std::string> states;
    for (const auto& e : rig.f.events())
        if (e.topic == "sync.status") states.push_back(e.payload["state"].as_string());
    CHECK(states == std::vector<std::string>{"offline", "connected"});
    auto last = rig.f.last_event("sync.status");
    CHECK(last.payload["queue_depth"].as_int() == 0);
    CHECK(last.payload["pushed_total"].as_int() == 1);
}

TEST_CASE("a disabled engine reports disabled and keeps the outbox", "[sync][engine]") {
    test::SyncRig rig(false);
    rig.register_transport();
    auto& engine = rig.make_engine(true);
    rig.sell(3);
    auto status = engine.status();
    CHECK_FALSE(status.enabled);
    CHECK(status.state == "disabled");
    CHECK(status.queue_depth == 3);
    CHECK(status.next_attempt_utc_ms == 0);
    CHECK(engine.push_now().queue_depth == 3);
    CHECK(rig.transport->batches().empty());
}

TEST_CASE("a long offline stretch catches up fully: every event once, in order", "[sync][engine]") {
    test::SyncRig rig;
    rig.register_transport();
    rig.settings.batch_max_events = 250;
    auto& engine = rig.make_engine();
    rig.transport->set_mode(TransportStatus::offline, "no link");
    // 3,000 sales while offline (written in a few large transactions to keep the test quick).
    for (int chunk = 0; chunk < 6; ++chunk) {
        auto s = rig.f.db().transaction([&](sdk::SqlExecutor& tx) -> sdk::Status {
            for (int i = 0; i < 500; ++i) {
                sdk::Value payload = sdk::Value::map();
                payload.set("total_minor", 100);
                if (auto a = rig.log->append(tx, {"sale", "o-" + std::to_string(chunk * 500 + i), payload, false});
                    !a.ok())
                    return a;
            }
            return {};
        });
        REQUIRE(s.ok());
        engine.run_push_cycle();  // still offline: nothing leaves
    }
    CHECK(engine.status().queue_depth == 3000);
    CHECK(rig.transport->held().empty());

    rig.transport->set_mode(TransportStatus::ok);
    int cycles = 0;
    for (; cycles < 100 && engine.status().queue_depth > 0; ++cycles) {
        rig.transport->lose_last_acks(cycles % 3 == 1 ? 40 : 0);  // some answers lost on the way
        engine.run_push_cycle();
    }
    CHECK(engine.status().queue_depth == 0);
    CHECK(engine.status().acknowledged_sequence == 3000);
    auto held = rig.transport->held();
    REQUIRE(held.size() == 3000);
    for (std::size_t i = 0; i < held.size(); ++i) REQUIRE(held[i]["sequence"].as_int() == static_cast<std::int64_t>(i + 1));
    std::int64_t total_minor = 0;
    for (const auto& e : held) total_minor += e["payload"]["total_minor"].as_int();
    CHECK(total_minor == 300000);
}
