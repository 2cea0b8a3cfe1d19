#include "script/rule_watcher.hpp"

#include <chrono>

namespace till::script {

RuleWatcher::RuleWatcher(std::string deployment_dir, std::int64_t interval_ms, OnChange on_change)
    : dir_(std::move(deployment_dir)), interval_ms_(interval_ms < 10 ? 10 : interval_ms),
      on_change_(std::move(on_change)) {}

RuleWatcher::~RuleWatcher() { stop(); }

void RuleWatcher::start(std::uint64_t known_hash) {
    stop();
    {
        std::lock_guard lock(mutex_);
        stopping_ = false;
        last_hash_ = known_hash;
        last_error_.clear();
    }
    thread_ = std::thread([this] { run(); });
}

void RuleWatcher::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void RuleWatcher::run() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        wake_.wait_for(lock, std::chrono::milliseconds(interval_ms_), [this] { return stopping_; });
        if (stopping_) break;
        lock.unlock();
        // Files are read whole and hashed on every poll: a deployment is a
        // few dozen small files, and content hashes catch edits that keep
        // the size and land within the file system's mtime granularity.
        auto snapshot = read_deployment(dir_);
        lock.lock();
        if (stopping_) break;
        if (!snapshot) {
            if (snapshot.error().message != last_error_) {
                last_error_ = snapshot.error().message;
                lock.unlock();
                on_change_(std::move(snapshot));
                lock.lock();
            }
            continue;
        }
        last_error_.clear();
        if (snapshot->hash == last_hash_) continue;
        last_hash_ = snapshot->hash;
        lock.unlock();
        on_change_(std::move(snapshot));
        lock.lock();
    }
}

}  // namespace till::script
