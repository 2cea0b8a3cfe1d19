// Evaluates upsell rules off the event bus thread: the bus handler offers
// the changed order (quick: a copy under a mutex), one worker thread takes
// them in arrival order and runs `work`. The queue is bounded and coalesces
// per order: while an order waits, a newer version of it replaces the queued
// one (so a burst of edits is evaluated once, on the latest cart); when the
// queue holds `capacity` distinct orders a new one is dropped and counted
// (its next change queues it again).
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "till/sdk/value.hpp"

namespace till::domain::upsell {

class SuggestionWorker {
public:
    /// Runs on the worker thread with the order JSON; must not throw.
    using Work = std::function<void(const sdk::Value& order)>;

    SuggestionWorker(std::size_t capacity, Work work);
    ~SuggestionWorker();  ///< stop()
    SuggestionWorker(const SuggestionWorker&) = delete;
    SuggestionWorker& operator=(const SuggestionWorker&) = delete;

    void start();
    /// Discards what is queued, waits for the running evaluation, joins.
    void stop();

    /// Queues `order` (keyed by its order_id, newest version kept). False
    /// when it was dropped: the queue is full, or the worker is stopped.
    bool offer(sdk::Value order);

    std::uint64_t dropped() const;
    /// Orders evaluated so far (for tests and diagnostics).
    std::uint64_t processed() const;

private:
    void run();

    const std::size_t capacity_;
    Work work_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<std::string> fifo_;                 // order ids, arrival order
    std::map<std::string, sdk::Value> pending_;    // order id → newest order JSON
    bool running_ = false;
    bool stopping_ = false;
    std::uint64_t dropped_ = 0;
    std::uint64_t processed_ = 0;
    std::thread thread_;
};

}  // namespace till::domain::upsell
