// A test-side sdk::SyncHub: what an HQ kernel offers sync_file, with real
// behaviour (tokens, idempotence by event id, acknowledged sequence, a list
// of master-data changes, revision handlers) kept in memory, and a switch
// that makes apply_batch fail as a storage fault would. The real hub is
// kernel/sync/hq (HqHub).
#pragma once

#include <map>
#include <mutex>
#include <set>

#include "till/sdk/sync_hub.hpp"

namespace till::test {

class TestHub final : public sdk::SyncHub {
public:
    void issue(const std::string& store_id, const std::string& token);
    std::int64_t add_change(const std::string& type, const std::string& entity_id, sdk::Value payload);
    /// Calls every revision handler with the newest revision.
    void announce();
    void set_failing(bool failing);
    std::vector<sdk::Value> events() const;
    int apply_calls() const;

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
    std::map<std::string, std::string> tokens_;  // store → token
    std::vector<sdk::Value> events_;
    std::set<std::string> event_ids_;
    std::map<std::string, std::set<std::int64_t>> sequences_;
    std::vector<sdk::Value> changes_;
    std::map<std::string, RevisionHandler> handlers_;
    bool failing_ = false;
    int apply_calls_ = 0;
};

/// Lowercase hex SHA-256, computed independently of the plugin (Poco).
std::string test_sha256_hex(const std::string& data);

}  // namespace till::test
