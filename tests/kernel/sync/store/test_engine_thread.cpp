// The engine on its own thread: a high-priority commit is pushed at once, a
// revision announced by the transport is pulled at once, push_now/pull_now
// wait for their cycle, stop is bounded and drops the notify handler. The
// clock is manual, so the intervals (30 s / 60 s) never fire by themselves:
// only the wakes explain what happens.
#include <catch2/catch.hpp>

#include <chrono>
#include <functional>
#include <thread>

#include "sync_rig.hpp"

using namespace till;
using test::SyncRig;

namespace {

bool eventually(const std::function<bool()>& condition, int timeout_ms = 10000) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    for (int i = 0; i < 10000 && std::chrono::steady_clock::now() < deadline; ++i) {
        if (condition()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return condition();
}

}  // namespace

TEST_CASE("a high-priority commit wakes the pusher at once", "[sync][thread]") {
    SyncRig rig;
    rig.register_transport();
    auto& engine = rig.make_engine(true);
    rig.log->set_wake([&engine] { engine.push_soon(); });
    // The first cycles at start: nothing to push, an empty pull.
    REQUIRE(eventually([&] { return rig.transport->pull_sinces().size() == 1; }));

    rig.sell(3);  // ordinary sales wait for the interval...
    auto z = rig.f.db().transaction([&](sdk::SqlExecutor& tx) {
        return rig.log->append(tx, {"z_report", "z-1", sdk::Value::map(), true});
    });
    REQUIRE(z.ok());
    rig.log->committed_high_priority();  // ...the Z report does not, and takes them along
    REQUIRE(eventually([&] { return rig.transport->held().size() == 4; }));
    CHECK(rig.transport->held().back()["type"].as_string() == "z_report");
    REQUIRE(eventually([&] { return engine.status().queue_depth == 0; }));
    rig.log->set_wake({});
}

TEST_CASE("a revision announced by HQ is pulled at once", "[sync][thread]") {
    SyncRig rig;
    rig.register_transport();
    auto& engine = rig.make_engine(true);
    REQUIRE(eventually([&] { return rig.transport->pull_sinces().size() == 1; }));
    REQUIRE(rig.transport->has_notify_handler());
    rig.transport->set_changes({SyncRig::change(1, "item", "A", "Apple")}, 10);
    rig.transport->announce(0);  // not newer than the cursor: nothing
    rig.transport->announce(1);
    REQUIRE(eventually([&] { return engine.status().pull_revision == 1; }));
    CHECK(rig.items->rows(rig.f.db()).at("A") == "Apple");
}

TEST_CASE("push_now and pull_now wait for their cycle and answer the status", "[sync][thread]") {
    SyncRig rig;
    rig.register_transport();
    auto& engine = rig.make_engine(true);
    REQUIRE(eventually([&] { return rig.transport->pull_sinces().size() == 1; }));
    rig.sell(2);
    auto pushed = engine.push_now();
    CHECK(pushed.queue_depth == 0);
    CHECK(pushed.pushed_total == 2);
    CHECK(pushed.state == "connected");
    rig.transport->set_changes({SyncRig::change(4, "item", "D", "Date")}, 10);
    auto pulled = engine.pull_now();
    CHECK(pulled.pull_revision == 4);
}

TEST_CASE("push_now goes even while a failed push is backing off", "[sync][thread]") {
    SyncRig rig;
    rig.register_transport();
    rig.settings.backoff_initial_ms = 600000;
    rig.settings.backoff_max_ms = 600000;
    rig.random = [] { return std::uint64_t{600000}; };
    rig.sell(1);
    rig.transport->set_mode(sdk::TransportStatus::offline, "down");
    auto& engine = rig.make_engine(true);
    REQUIRE(eventually([&] { return engine.status().state == "offline"; }));
    rig.transport->set_mode(sdk::TransportStatus::ok);
    auto status = engine.push_now();
    CHECK(status.queue_depth == 0);
}

TEST_CASE("stop is bounded and drops the notify handler", "[sync][thread]") {
    SyncRig rig;
    rig.register_transport();
    auto& engine = rig.make_engine(true);
    REQUIRE(eventually([&] { return rig.transport->has_notify_handler(); }));
    const auto started = std::chrono::steady_clock::now();
    engine.stop();
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(5));
    CHECK_FALSE(rig.transport->has_notify_handler());
    engine.stop();  // idempotent
}
