#include "memory_hub.hpp"

namespace till::test {

std::string MemoryHub::issue_token(const std::string& store_id) {
    std::lock_guard lock(mutex_);
    std::string token = "tok-" + store_id + "-" + std::to_string(++next_token_) + "-0123456789abcdef";
    tokens_[token] = store_id;
    return token;
}

void MemoryHub::add_token(const std::string& token, const std::string& store_id) {
    std::lock_guard lock(mutex_);
    tokens_[token] = store_id;
}

void MemoryHub::revoke(const std::string& token) {
    std::lock_guard lock(mutex_);
    revoked_.insert(token);
}

std::int64_t MemoryHub::add_change(const std::string& type, const std::string& entity_id, sdk::Value payload) {
    std::vector<RevisionHandler> handlers;
    std::int64_t revision = 0;
    {
        std::lock_guard lock(mutex_);
        revision = static_cast<std::int64_t>(changes_.size()) + 1;
        sdk::Value c = sdk::Value::map();
        c.set("revision", static_cast<long long>(revision));
        c.set("type", type);
        c.set("entity_id", entity_id);
        c.set("payload", std::move(payload));
        c.set("created_utc_ms", 1763770000000LL + revision);
        changes_.push_back(std::move(c));
        for (auto& [id, h] : handlers_) handlers.push_back(h);
    }
    for (auto& h : handlers) h(revision);
    return revision;
}

void MemoryHub::set_storage_down(bool down) {
    std::lock_guard lock(mutex_);
    storage_down_ = down;
}

void MemoryHub::set_max_batch_events(std::int64_t max_events) {
    std::lock_guard lock(mutex_);
    max_batch_events_ = max_events;
}

std::int64_t MemoryHub::events_held() const {
    std::lock_guard lock(mutex_);
    return static_cast<std::int64_t>(event_ids_.size());
}

std::int64_t MemoryHub::apply_calls() const {
    std::lock_guard lock(mutex_);
    return apply_calls_;
}

std::vector<std::string> MemoryHub::event_ids(const std::string& store_id) const {
    std::lock_guard lock(mutex_);
    std::vector<std::string> out;
    if (auto it = events_.find(store_id); it != events_.end())
        for (const auto& [seq, id] : it->second) out.push_back(id);
    return out;
}

std::int64_t MemoryHub::handler_count() const {
    std::lock_guard lock(mutex_);
    return static_cast<std::int64_t>(handlers_.size());
}

sdk::Result<std::string> MemoryHub::authenticate_store(std::string_view token) {
    std::lock_guard lock(mutex_);
    auto it = tokens_.find(token);
    if (it == tokens_.end() || revoked_.count(token)) return sdk::Error{"unauthorized", "unknown or revoked token"};
    return it->second;
}

sdk::HubApplyResult MemoryHub::apply_batch(const std::string& store_id, const sdk::SyncBatch& batch) {
    sdk::HubApplyResult r;
    std::lock_guard lock(mutex_);
    if (storage_down_) {
        r.status = sdk::TransportStatus::failed;
        r.message = "storage unavailable (test switch)";
        return r;
    }
    // Validate everything first (messages start with the JSON path, like the
    // kernel hub's): nothing is applied when one event is bad.
    if (static_cast<std::int64_t>(batch.events.size()) > max_batch_events_) {
        r.status = sdk::TransportStatus::rejected;
        r.message = "events: " + std::to_string(batch.events.size()) + " events in one batch, more than " +
                    std::to_string(max_batch_events_);
        return r;
    }
    for (std::size_t i = 0; i < batch.events.size(); ++i) {
        const auto& e = batch.events[i];
        const std::string at = "events[" + std::to_string(i) + "]";
        if (!e["event_id"].is_string() || e["event_id"].as_string().empty()) {
            r.status = sdk::TransportStatus::rejected;
            r.message = at + ".event_id: expected a non-empty string";
            return r;
        }
        if (e["node_id"].as_string() != store_id) {
            r.status = sdk::TransportStatus::rejected;
            r.message = at + ".node_id: \"" + e["node_id"].as_string() + "\" is not the store \"" + store_id + "\"";
            return r;
        }
        if (!e["sequence"].is_int() || e["sequence"].as_int() < 1) {
            r.status = sdk::TransportStatus::rejected;
            r.message = at + ".sequence: expected a positive integer";
            return r;
        }
    }
    ++apply_calls_;
    auto& held = events_[store_id];
    for (const auto& e : batch.events) {
        const std::string& id = e["event_id"].as_string();
        if (event_ids_.insert(id).second) {
            held[e["sequence"].as_int()] = id;
            ++r.applied_events;
        } else {
            ++r.duplicate_events;
        }
        r.acknowledged_event_ids.push_back(id);
    }
    std::int64_t s = 0;
    while (held.count(s + 1)) ++s;
    r.acknowledged_sequence = s;
    r.status = sdk::TransportStatus::ok;
    return r;
}

sdk::PullResult MemoryHub::changes_since(const std::string&, std::int64_t since_revision, std::int64_t max_changes) {
    sdk::PullResult r;
    std::lock_guard lock(mutex_);
    if (storage_down_) {
        r.status = sdk::TransportStatus::failed;
        r.message = "storage unavailable (test switch)";
        return r;
    }
    r.status = sdk::TransportStatus::ok;
    r.revision = since_revision;
    for (const auto& c : changes_) {
        if (c["revision"].as_int() <= since_revision) continue;
        if (static_cast<std::int64_t>(r.changes.size()) == max_changes) {
            r.more = true;
            break;
        }
        r.changes.push_back(c);
        r.revision = c["revision"].as_int();
    }
    return r;
}

sdk::Result<std::int64_t> MemoryHub::current_revision() {
    std::lock_guard lock(mutex_);
    if (storage_down_) return sdk::Error{"io_error", "storage unavailable (test switch)"};
    return static_cast<std::int64_t>(changes_.size());
}

sdk::Result<std::int64_t> MemoryHub::acknowledged_sequence(const std::string& store_id) {
    std::lock_guard lock(mutex_);
    std::int64_t s = 0;
    if (auto it = events_.find(store_id); it != events_.end())
        while (it->second.count(s + 1)) ++s;
    return s;
}

sdk::Result<std::string> MemoryHub::bundle_key(const std::string&) {
    return sdk::Error{"not_supported", "MemoryHub has no bundle keys"};
}

void MemoryHub::set_revision_handler(const std::string& plugin_id, RevisionHandler handler) {
    std::lock_guard lock(mutex_);
    if (handler) handlers_[plugin_id] = std::move(handler);
    else handlers_.erase(plugin_id);
}

}  // namespace till::test
