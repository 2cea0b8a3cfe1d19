// Till SDK — the HQ side of sync, as the kernel of an HQ node offers it to
// the plugins that receive stores' events (hq_sync over HTTP, sync_file's
// bundle import).
//
// The kernel owns what must be right: store tokens, applying a batch in one
// transaction idempotently by event id, the master-data change feed and its
// revisions. A plugin only carries bytes to and from it and checks who is
// calling with authenticate_store().
//
// Available from Host::sync_hub() on an HQ node (nullptr on a store).
// Threading: every method is safe to call from several threads at once.
// Introduced in SDK ABI 1.1.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "till/sdk/status.hpp"
#include "till/sdk/sync_transport.hpp"

namespace till::sdk {

/// What HQ did with one batch from one store.
struct HubApplyResult {
    /// ok: the batch is applied (or was already known) and committed.
    /// rejected: the batch is malformed (nothing applied; see message).
    /// failed: HQ could not apply it now (storage fault; retry later).
    TransportStatus status = TransportStatus::failed;
    /// Every event id of the batch that HQ now holds (new or seen before).
    std::vector<std::string> acknowledged_event_ids;
    std::int64_t applied_events = 0;    ///< new in this batch
    std::int64_t duplicate_events = 0;  ///< already held: acknowledged, not re-applied
    /// The highest sequence S such that HQ holds every event 1..S of this
    /// store (after this batch).
    std::int64_t acknowledged_sequence = 0;
    /// rejected: what is wrong and where, e.g.
    /// "events[3].sequence: expected a positive integer".
    std::string message;
};

class SyncHub {
public:
    virtual ~SyncHub();

    /// The store a bearer sync token belongs to. Error "unauthorized" when the
    /// token is unknown or revoked (`tillctl hq token issue|revoke`).
    virtual Result<std::string> authenticate_store(std::string_view token) = 0;

    /// Applies `batch` from `store_id` (already authenticated; batch.node_id
    /// must equal it) in one transaction: each event at most once (by
    /// event_id), master-data kinds the store may send (customers) merged by
    /// the deployment's conflict policies. Registers the store on first
    /// contact and records what it last sent.
    virtual HubApplyResult apply_batch(const std::string& store_id, const SyncBatch& batch) = 0;

    /// Master-data changes with revision > since_revision, oldest first, at
    /// most max_changes (`more` says whether others follow). Records the
    /// store's pull cursor.
    virtual PullResult changes_since(const std::string& store_id, std::int64_t since_revision,
                                     std::int64_t max_changes) = 0;

    /// The newest committed master-data revision (0 when none yet).
    virtual Result<std::int64_t> current_revision() = 0;

    /// HQ's acknowledged sequence for a store (see HubApplyResult).
    virtual Result<std::int64_t> acknowledged_sequence(const std::string& store_id) = 0;

    /// Key for signing and checking file bundles exchanged with `store_id`:
    /// lowercase hex SHA-256 of the store's current token (the store computes
    /// the same from its token). Error "unauthorized" when it has none.
    virtual Result<std::string> bundle_key(const std::string& store_id) = 0;

    /// Called, on a kernel thread, with each new revision committed by any
    /// HQ node on this database (PostgreSQL LISTEN/NOTIFY). One handler per
    /// plugin; an empty function removes it (do so in on_stop).
    using RevisionHandler = std::function<void(std::int64_t revision)>;
    virtual void set_revision_handler(const std::string& plugin_id, RevisionHandler handler) = 0;
};

}  // namespace till::sdk
