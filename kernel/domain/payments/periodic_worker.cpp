#include "domain/payments/periodic_worker.hpp"

#include <chrono>

namespace till::domain::payments {

bool PeriodicWorker::start(std::int64_t interval_ms, std::function<void()> round) {
    std::lock_guard lock(mutex_);
    if (thread_.joinable()) return false;
    stop_ = false;
    round_ = std::move(round);
    thread_ = std::thread([this, interval_ms] { run(interval_ms); });
    return true;
}

void PeriodicWorker::stop() {
    std::thread joining;
    {
        std::lock_guard lock(mutex_);
        if (!thread_.joinable()) return;
        stop_ = true;
        joining = std::move(thread_);
    }
    wake_.notify_all();
    joining.join();
    std::lock_guard lock(mutex_);
    stop_ = false;  // the round is over: direct calls of the round run in full again
}

bool PeriodicWorker::running() const {
    std::lock_guard lock(mutex_);
    return thread_.joinable();
}

bool PeriodicWorker::stopping() const {
    std::lock_guard lock(mutex_);
    return stop_;
}

void PeriodicWorker::run(std::int64_t interval_ms) {
    const auto interval = std::chrono::milliseconds(interval_ms > 0 ? interval_ms : 1);
    for (;;) {
        {
            std::unique_lock lock(mutex_);
            if (wake_.wait_for(lock, interval, [&] { return stop_; })) return;
        }
        round_();
    }
}

}  // namespace till::domain::payments
