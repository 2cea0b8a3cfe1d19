// The worker between the event bus and the rules: coalesces per order
// (newest version wins), bounded (a full queue drops and counts), stops
// cleanly with work queued.
#include <catch2/catch.hpp>

#include <condition_variable>
#include <mutex>
#include <vector>

#include "domain/upsell/suggestion_worker.hpp"
#include "upsell_world.hpp"

using till::domain::upsell::SuggestionWorker;
using till::sdk::Value;

namespace {

Value order(const std::string& id, long long version) {
    Value v = Value::map();
    v.set("order_id", id);
    v.set("version", version);
    return v;
}

// Work that records what it saw and holds the worker until released.
struct Gate {
    std::mutex mutex;
    std::condition_variable cv;
    bool open = false;
    std::vector<std::string> seen;  // "id@version"
    void record(const Value& v) {
        std::unique_lock lock(mutex);
        seen.push_back(v["order_id"].as_string() + "@" + std::to_string(v["version"].as_int()));
        cv.wait(lock, [this] { return open; });
    }
    void release() {
        {
            std::lock_guard lock(mutex);
            open = true;
        }
        cv.notify_all();
    }
    std::vector<std::string> snapshot() {
        std::lock_guard lock(mutex);
        return seen;
    }
};

}  // namespace

TEST_CASE("the suggestion worker coalesces per order and drops on a full queue", "[upsell][worker]") {
    Gate gate;
    SuggestionWorker worker(2, [&](const Value& v) { gate.record(v); });
    CHECK_FALSE(worker.offer(order("A", 1)));  // not started
    worker.start();

    REQUIRE(worker.offer(order("A", 1)));
    // A is being worked on (held by the gate): the queue is empty again.
    REQUIRE(till::test::eventually([&] { return gate.snapshot().size() == 1; }));
    CHECK(worker.offer(order("B", 1)));
    CHECK(worker.offer(order("B", 3)));
    CHECK(worker.offer(order("B", 2)));  // older than the queued one: ignored
    CHECK(worker.offer(order("C", 1)));
    CHECK_FALSE(worker.offer(order("D", 1)));  // two orders wait already
    CHECK(worker.dropped() == 1);
    CHECK(worker.offer(Value::map()) == false);  // no order id

    gate.release();
    REQUIRE(till::test::eventually([&] { return worker.processed() == 3; }));
    CHECK(gate.snapshot() == std::vector<std::string>{"A@1", "B@3", "C@1"});
    worker.stop();
    CHECK_FALSE(worker.offer(order("E", 1)));
}

TEST_CASE("stopping the worker discards queued orders and joins", "[upsell][worker]") {
    Gate gate;
    auto worker = std::make_unique<SuggestionWorker>(8, [&](const Value& v) { gate.record(v); });
    worker->start();
    REQUIRE(worker->offer(order("A", 1)));
    REQUIRE(till::test::eventually([&] { return gate.snapshot().size() == 1; }));
    REQUIRE(worker->offer(order("B", 1)));
    gate.release();
    worker->stop();
    worker.reset();
    // B may or may not have run before stop(); nothing runs after it.
    CHECK(gate.snapshot().size() <= 2);
}
