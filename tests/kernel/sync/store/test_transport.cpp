#include "test_transport.hpp"

#include <algorithm>

namespace till::test {

sdk::PushResult TestTransport::push(const sdk::SyncBatch& batch, std::int64_t) {
    std::lock_guard lock(mutex_);
    batches_.push_back(batch);
    sdk::PushResult result;
    result.status = mode_;
    result.message = message_;
    if (mode_ != sdk::TransportStatus::ok) return result;
    const std::size_t keep = batch.events.size() > lose_acks_ ? batch.events.size() - lose_acks_ : 0;
    for (std::size_t i = 0; i < batch.events.size(); ++i) {
        const std::string id = batch.events[i]["event_id"].as_string();
        if (held_ids_.insert(id).second) held_.push_back(batch.events[i]);
        if (i < keep) result.acknowledged_event_ids.push_back(id);
    }
    return result;
}

sdk::PullResult TestTransport::pull(std::int64_t since_revision, std::int64_t) {
    std::lock_guard lock(mutex_);
    pull_sinces_.push_back(since_revision);
    sdk::PullResult result;
    result.status = mode_;
    result.message = message_;
    if (mode_ != sdk::TransportStatus::ok) return result;
    result.revision = since_revision;
    for (const auto& c : changes_) {
        // A change with a broken revision is served as it is (the engine must refuse it).
        if (c["revision"].is_int() && c["revision"].as_int() <= since_revision) continue;
        if (result.changes.size() == page_size_) {
            result.more = true;
            break;
        }
        result.changes.push_back(c);
        result.revision = std::max(result.revision, c["revision"].as_int(0));
    }
    return result;
}

void TestTransport::set_notify_handler(NotifyHandler handler) {
    std::lock_guard lock(mutex_);
    handler_ = std::move(handler);
}

void TestTransport::set_mode(sdk::TransportStatus mode, std::string message) {
    std::lock_guard lock(mutex_);
    mode_ = mode;
    message_ = std::move(message);
}

void TestTransport::lose_last_acks(std::size_t count) {
    std::lock_guard lock(mutex_);
    lose_acks_ = count;
}

void TestTransport::set_changes(std::vector<sdk::Value> changes, std::size_t page_size) {
    std::lock_guard lock(mutex_);
    changes_ = std::move(changes);
    page_size_ = page_size;
}

void TestTransport::announce(std::int64_t revision) {
    NotifyHandler handler;
    {
        std::lock_guard lock(mutex_);
        handler = handler_;
    }
    if (handler) handler(revision);
}

bool TestTransport::has_notify_handler() const {
    std::lock_guard lock(mutex_);
    return static_cast<bool>(handler_);
}

std::vector<sdk::SyncBatch> TestTransport::batches() const {
    std::lock_guard lock(mutex_);
    return batches_;
}

std::vector<sdk::Value> TestTransport::held() const {
    std::lock_guard lock(mutex_);
    return held_;
}

std::vector<std::int64_t> TestTransport::pull_sinces() const {
    std::lock_guard lock(mutex_);
    return pull_sinces_;
}

}  // namespace till::test
