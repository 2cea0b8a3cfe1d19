// HqHub: the HQ side of sync, the sdk::SyncHub an HQ node's kernel offers its
// plugins (hq_sync over HTTP, sync_file's bundle import) through
// Host::sync_hub().
//
// apply_batch: the whole batch is validated first (batch_validation.hpp;
// rejected with a JSON path, nothing applied), then applied in ONE
// transaction: each event inserted into sync_hq_events at most once (by
// event_id; a repeated event is acknowledged, not applied again; a sequence
// already held under another event id is rejected), the new ones projected
// into the report tables in sequence order, customers merged by the
// "customer" ReplicaApplier (the customers module, which applies the
// deployment's conflict policy) and the merged record appended to the change
// feed; the store's row in sync_hq_stores is updated (and locked for the
// transaction, so pushes of one store never interleave, on any HQ node).
//
// Rejection messages start with the JSON path: "node_id: ..." or
// "events[i].node_id: ..." when the batch is not the store's (HTTP 403),
// "events: N events in one batch, more than ..." when over
// sync.hq_max_batch_events (413), anything else is a 422.
//
// Revisions: the RevisionListener (PostgreSQL LISTEN/NOTIFY across HQ nodes;
// polling on SQLite) calls every handler set with set_revision_handler.
//
// Ownership: the caller owns storage, clock, appliers and feed, which must
// outlive the hub. Threading: every method is safe from several threads;
// revision handlers run on the listener's thread, one after the other.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sync/applier_registry.hpp"
#include "sync/hq/batch_validation.hpp"
#include "sync/hq/change_feed.hpp"
#include "sync/hq/hq_settings.hpp"
#include "sync/hq/store_registry.hpp"
#include "sync/hq/token_store.hpp"
#include "till/sdk/clock.hpp"
#include "till/sdk/logger.hpp"
#include "till/sdk/storage.hpp"
#include "till/sdk/sync_hub.hpp"

namespace till::sync::hq {

struct HqHubParts {
    sdk::Storage& storage;
    const sdk::Clock& clock;
    std::shared_ptr<sdk::Logger> logger;
    const ApplierRegistry& appliers;  ///< "customer" is used; others ignored here
    ChangeFeed& feed;
    HqSettings settings;
    /// libpq conninfo for LISTEN (postgres_conninfo(storage url)); "" on SQLite.
    std::string postgres_conninfo;
};

class HqHub final : public sdk::SyncHub {
public:
    explicit HqHub(HqHubParts parts);
    ~HqHub() override;  ///< stops the listener
    HqHub(const HqHub&) = delete;
    HqHub& operator=(const HqHub&) = delete;

    /// Applies the "sync.hq" migrations and starts the revision listener.
    /// Call before the domain writes master data and before plugins start.
    sdk::Status start();
    /// Stops the listener (bounded). Call after the plugins stopped.
    void stop();

    // sdk::SyncHub
    sdk::Result<std::string> authenticate_store(std::string_view token) override;
    sdk::HubApplyResult apply_batch(const std::string& store_id, const sdk::SyncBatch& batch) override;
    sdk::PullResult changes_since(const std::string& store_id, std::int64_t since_revision,
                                  std::int64_t max_changes) override;
    sdk::Result<std::int64_t> current_revision() override;
    sdk::Result<std::int64_t> acknowledged_sequence(const std::string& store_id) override;
    sdk::Result<std::string> bundle_key(const std::string& store_id) override;
    void set_revision_handler(const std::string& plugin_id, RevisionHandler handler) override;

    TokenStore& tokens() noexcept;
    sdk::Result<std::vector<StoreInfo>> stores();
    const HqSettings& settings() const noexcept;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace till::sync::hq
