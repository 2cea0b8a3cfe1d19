// A thread that runs one function every `interval_ms` until stopped: the
// payments resolver's clock. The function is never run twice at once; stop()
// wakes the wait at once and joins (a round in progress finishes first, so
// the function should check stopping() between slow steps).
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>

namespace till::domain::payments {

class PeriodicWorker {
public:
    PeriodicWorker() = default;
    ~PeriodicWorker() { stop(); }
    PeriodicWorker(const PeriodicWorker&) = delete;
    PeriodicWorker& operator=(const PeriodicWorker&) = delete;

    /// Starts the thread; the first round runs after one interval. False when
    /// already running.
    bool start(std::int64_t interval_ms, std::function<void()> round);
    /// Stops and joins; idempotent. Never call from inside the round.
    void stop();
    bool running() const;
    /// True while stop() is waiting for the thread: a round cuts its work short.
    bool stopping() const;

private:
    void run(std::int64_t interval_ms);

    mutable std::mutex mutex_;
    std::condition_variable wake_;
    bool stop_ = false;
    std::function<void()> round_;
    std::thread thread_;
};

}  // namespace till::domain::payments
