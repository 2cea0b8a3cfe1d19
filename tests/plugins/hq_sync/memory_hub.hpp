// MemoryHub: a SyncHub kept in memory, for testing hq_sync's HTTP/WebSocket
// layer without the kernel's PostgreSQL hub (kernel/sync/hq). A real class
// with real behaviour: tokens that can be revoked, batches applied once per
// event id, a change feed with revisions and handlers, and a switch that
// makes storage "fail" (503).
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "till/sdk/sync_hub.hpp"

namespace till::test {

class MemoryHub final : public sdk::SyncHub {
public:
    /// Issues a token for `store_id` and returns it.
    std::string issue_token(const std::string& store_id);
    /// Registers a token chosen by the caller (benchmarks) for `store_id`.
    void add_token(const std::string& token, const std::string& store_id);
    void revoke(const std::string& token);
    /// Appends one master-data change; returns its revision and calls every
    /// revision handler (on this thread).
    std::int64_t add_change(const std::string& type, const std::string& entity_id, sdk::Value payload);
    /// While true, apply_batch / changes_since / current_revision fail like a storage fault.
    void set_storage_down(bool down);
    /// The hub's own event limit (the kernel's sync.hq_max_batch_events).
    void set_max_batch_events(std::int64_t max_events);

    std::int64_t events_held() const;                        ///< distinct events applied
    std::int64_t apply_calls() const;                        ///< apply_batch calls that reached storage
    std::vector<std::string> event_ids(const std::string& store_id) const;
    std::int64_t handler_count() const;

    sdk::Result<std::string> authenticate_store(std::string_view token) override;
    sdk::HubApplyResult apply_batch(const std::string& store_id, const sdk::SyncBatch& batch) override;
    sdk::PullResult changes_since(const std::string& store_id, std::int64_t since_revision,
                                  std::int64_t max_changes) override;
    sdk::Result<std::int64_t> current_revision() override;
    sdk::Result<std::int64_t> acknowledged_sequence(const std::string& store_id) override;
    sdk::Result<std::string> bundle_key(const std::string& store_id) override;
    void set_revision_handler(const std::string& plugin_id, RevisionHandler handler) override;

private:
    mutable std::mutex mutex_;
    std::map<std::string, std::string, std::less<>> tokens_;  // token -> store
    std::set<std::string, std::less<>> revoked_;
    std::map<std::string, std::map<std::int64_t, std::string>> events_;  // store -> sequence -> event id
    std::set<std::string> event_ids_;
    std::vector<sdk::Value> changes_;
    std::map<std::string, RevisionHandler> handlers_;
    bool storage_down_ = false;
    std::int64_t max_batch_events_ = 1000000;
    std::int64_t apply_calls_ = 0;
    int next_token_ = 0;
};

}  // namespace till::test
