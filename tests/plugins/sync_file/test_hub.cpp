#include "test_hub.hpp"

#include <Poco/DigestEngine.h>
#include <Poco/SHA2Engine.h>

namespace till::test {

std::string test_sha256_hex(const std::string& data) {
    Poco::SHA2Engine engine(Poco::SHA2Engine::SHA_256);
    engine.update(data);
    return Poco::DigestEngine::digestToHex(engine.digest());
}

void TestHub::issue(const std::string& store_id, const std::string& token) {
    std::lock_guard lock(mutex_);
    tokens_[store_id] = token;
}

std::int64_t TestHub::add_change(const std::string& type, const std::string& entity_id, sdk::Value payload) {
    std::lock_guard lock(mutex_);
    sdk::Value c = sdk::Value::map();
    const auto revision = static_cast<long long>(changes_.size() + 1);
    c.set("revision", revision);
    c.set("type", type);
    c.set("entity_id", entity_id);
    c.set("payload", std::move(payload));
    c.set("created_utc_ms", 1768471200000LL);
    changes_.push_back(std::move(c));
    return revision;
}

void TestHub::announce() {
    std::map<std::string, RevisionHandler> handlers;
    std::int64_t revision = 0;
    {
        std::lock_guard lock(mutex_);
        handlers = handlers_;
        revision = static_cast<std::int64_t>(changes_.size());
    }
    for (auto& [id, h] : handlers) h(revision);
}

void TestHub::set_failing(bool failing) {
    std::lock_guard lock(mutex_);
    failing_ = failing;
}

std::vector<sdk::Value> TestHub::events() const {
    std::lock_guard lock(mutex_);
    return events_;
}

int TestHub::apply_calls() const {
    std::lock_guard lock(mutex_);
    return apply_calls_;
}

sdk::Result<std::string> TestHub::authenticate_store(std::string_view token) {
    std::lock_guard lock(mutex_);
    for (const auto& [store, t] : tokens_)
        if (t == token) return store;
    return sdk::Error{"unauthorized", "unknown token"};
}

sdk::HubApplyResult TestHub::apply_batch(const std::string& store_id, const sdk::SyncBatch& batch) {
    std::lock_guard lock(mutex_);
    ++apply_calls_;
    sdk::HubApplyResult r;
    if (failing_) {
        r.status = sdk::TransportStatus::failed;
        r.message = "storage unavailable";
        return r;
    }
    if (batch.node_id != store_id) {
        r.status = sdk::TransportStatus::rejected;
        r.message = "node_id: not the store";
        return r;
    }
    for (std::size_t i = 0; i < batch.events.size(); ++i)
        if (batch.events[i]["sequence"].as_int(0) <= 0) {
            r.status = sdk::TransportStatus::rejected;
            r.message = "events[" + std::to_string(i) + "].sequence: expected a positive integer";
            return r;
        }
    auto& seqs = sequences_[store_id];
    for (const auto& e : batch.events) {
        const auto id = e["event_id"].as_string();
        if (event_ids_.insert(id).second) {
            events_.push_back(e);
            seqs.insert(e["sequence"].as_int());
            ++r.applied_events;
        } else {
            ++r.duplicate_events;
        }
        r.acknowledged_event_ids.push_back(id);
    }
    std::int64_t s = 0;
    while (seqs.count(s + 1)) ++s;
    r.acknowledged_sequence = s;
    r.status = sdk::TransportStatus::ok;
    return r;
}

sdk::PullResult TestHub::changes_since(const std::string&, std::int64_t since_revision, std::int64_t max_changes) {
    std::lock_guard lock(mutex_);
    sdk::PullResult r;
    r.status = sdk::TransportStatus::ok;
    r.revision = since_revision;
    for (const auto& c : changes_) {
        if (c["revision"].as_int() <= since_revision) continue;
        if (static_cast<std::int64_t>(r.changes.size()) >= max_changes) {
            r.more = true;
            break;
        }
        r.changes.push_back(c);
        r.revision = c["revision"].as_int();
    }
    return r;
}

sdk::Result<std::int64_t> TestHub::current_revision() {
    std::lock_guard lock(mutex_);
    return static_cast<std::int64_t>(changes_.size());
}

sdk::Result<std::int64_t> TestHub::acknowledged_sequence(const std::string& store_id) {
    std::lock_guard lock(mutex_);
    std::int64_t s = 0;
    auto& seqs = sequences_[store_id];
    while (seqs.count(s + 1)) ++s;
    return s;
}

sdk::Result<std::string> TestHub::bundle_key(const std::string& store_id) {
    std::lock_guard lock(mutex_);
    auto it = tokens_.find(store_id);
    if (it == tokens_.end()) return sdk::Error{"unauthorized", "store " + store_id + " has no token"};
    return test_sha256_hex(it->second);
}

void TestHub::set_revision_handler(const std::string& plugin_id, RevisionHandler handler) {
    std::lock_guard lock(mutex_);
    if (handler)
        handlers_[plugin_id] = std::move(handler);
    else
        handlers_.erase(plugin_id);
}

}  // namespace till::test
