#include "domain/upsell/suggestion_worker.hpp"

namespace till::domain::upsell {

SuggestionWorker::SuggestionWorker(std::size_t capacity, Work work)
    : capacity_(capacity == 0 ? 1 : capacity), work_(std::move(work)) {}

SuggestionWorker::~SuggestionWorker() { stop(); }

void SuggestionWorker::start() {
    std::lock_guard lock(mutex_);
    if (running_ || stopping_) return;
    running_ = true;
    thread_ = std::thread([this] { run(); });
}

void SuggestionWorker::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        fifo_.clear();
        pending_.clear();
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
}

bool SuggestionWorker::offer(sdk::Value order) {
    std::string id = order["order_id"].as_string();
    if (id.empty()) return false;
    {
        std::lock_guard lock(mutex_);
        if (stopping_ || !running_) return false;
        auto it = pending_.find(id);
        if (it != pending_.end()) {
            // Coalesce: keep the newest version (events of one order arrive
            // in order, but be safe against a stale one).
            if (order["version"].as_int() >= it->second["version"].as_int()) it->second = std::move(order);
            return true;
        }
        if (pending_.size() >= capacity_) {
            ++dropped_;
            return false;
        }
        pending_.emplace(id, std::move(order));
        fifo_.push_back(std::move(id));
    }
    wake_.notify_one();
    return true;
}

std::uint64_t SuggestionWorker::dropped() const {
    std::lock_guard lock(mutex_);
    return dropped_;
}

std::uint64_t SuggestionWorker::processed() const {
    std::lock_guard lock(mutex_);
    return processed_;
}

void SuggestionWorker::run() {
    std::unique_lock lock(mutex_);
    for (;;) {
        wake_.wait(lock, [this] { return stopping_ || !fifo_.empty(); });
        if (stopping_) return;
        std::string id = std::move(fifo_.front());
        fifo_.pop_front();
        auto node = pending_.extract(id);
        if (node.empty()) continue;
        lock.unlock();
        work_(node.mapped());
        lock.lock();
        ++processed_;
    }
}

}  // namespace till::domain::upsell
