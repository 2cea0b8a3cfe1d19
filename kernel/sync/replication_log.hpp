// The node's domain::ReplicationLog (domain/common/replication.hpp): where the
// domain modules' changes go, by the node's role and the change's direction
// (sync/directions.hpp).
//
// Store: upstream changes (sales, refunds, ...) and customers become outbox
// events (sync/outbox.hpp) in the caller's transaction, whether sync is
// enabled or not (a store always keeps its outbox); master-data changes are
// not recorded (HQ is their master). With `sync.enabled` and without
// `sync.allow_local_master_data`, master data may not be edited here.
// HQ: master-data changes and customers go to the change feed through the
// function given at construction (the HQ hub's ChangeFeed::append); upstream
// changes made on HQ itself are not recorded.
//
// Threading: append() runs on the caller's thread inside its transaction;
// everything here is safe from several threads.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "domain/common/ids.hpp"
#include "domain/common/replication.hpp"
#include "till/sdk/clock.hpp"
#include "till/sdk/host.hpp"

namespace till::sync {

struct ReplicationSettings {
    sdk::NodeRole role = sdk::NodeRole::store;
    std::string node_id;
    bool sync_enabled = false;             ///< config sync.enabled
    bool allow_local_master_data = false;  ///< config sync.allow_local_master_data
};

/// Reads the validated `sync:` config section (defaults filled in).
ReplicationSettings replication_settings_from(const sdk::Value& sync_section, sdk::NodeRole role,
                                              std::string node_id);

/// HQ: appends a change to the change feed in the caller's transaction.
using FeedAppend = std::function<sdk::Status(sdk::SqlExecutor& tx, const domain::ReplicatedChange& change)>;

class SyncReplicationLog final : public domain::ReplicationLog {
public:
    /// `feed` is required on HQ and ignored on a store. `clock` must outlive
    /// this object.
    SyncReplicationLog(ReplicationSettings settings, const sdk::Clock& clock, FeedAppend feed = {});
    ~SyncReplicationLog() override;

    /// Store: applies the "sync" migrations (outbox, state). Call once before
    /// the domain writes anything. HQ: nothing.
    sdk::Status start(sdk::Storage& storage);

    /// Store: outbox row (unknown types are refused with "invalid_argument",
    /// a storage fault with its error). HQ: change feed for master data and
    /// customers. A failure must fail the caller's transaction.
    sdk::Status append(sdk::SqlExecutor& tx, const domain::ReplicatedChange& change) override;
    sdk::Status may_edit_master_data(std::string_view type) const override;
    /// Calls the wake function (the sync engine's push_soon).
    void committed_high_priority() override;

    /// What committed_high_priority() calls; empty to remove. Set by the
    /// node after the engine exists, cleared before it goes away.
    void set_wake(std::function<void()> wake);

    const ReplicationSettings& settings() const noexcept { return settings_; }

private:
    ReplicationSettings settings_;
    const sdk::Clock& clock_;
    FeedAppend feed_;
    domain::IdGenerator ids_;
    mutable std::mutex wake_mutex_;
    std::function<void()> wake_;
};

}  // namespace till::sync
