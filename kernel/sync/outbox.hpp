// The store's outbox and sync bookkeeping in the node's database (module
// "sync" migrations):
//
//   sync_state  one row (id = 1): last_sequence, the HLC high-water mark
//               (hlc_wall_ms, hlc_counter), the pull cursor (pull_revision),
//               last_push_utc_ms, last_pull_utc_ms.
//   sync_outbox one row per upstream event: sequence (PK, 1, 2, ... with no
//               gaps, in commit order), event_id (UUIDv7, unique), type,
//               entity_id, hlc, created_utc_ms, payload (JSON text),
//               high_priority, acked_utc_ms (NULL until HQ acknowledged it).
//
// Functions over an sdk::SqlExecutor so callers choose the transaction.
// Errors are storage errors (as the executor reports them).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/common/replication.hpp"
#include "sync/hlc.hpp"
#include "till/sdk/status.hpp"
#include "till/sdk/storage.hpp"
#include "till/sdk/value.hpp"

namespace till::sync {

/// The migrations of module "sync" (SQLite and PostgreSQL).
const std::vector<sdk::Migration>& store_sync_migrations();
/// Applies them (idempotent).
sdk::Status migrate_store_sync(sdk::Storage& storage);

struct OutboxEvent {
    std::int64_t sequence = 0;
    std::string event_id;
    std::string type;
    std::string entity_id;
    std::string hlc;
    std::int64_t created_utc_ms = 0;
    sdk::Value payload;
    bool high_priority = false;

    /// The event object of wire format 1 (docs/sync.md).
    sdk::Value to_wire(const std::string& node_id) const;
};

/// Appends `change` as the next event: takes the next sequence and HLC stamp
/// from sync_state (updating it first, so concurrent writers serialise on
/// that row) and inserts the outbox row, all in `tx`.
sdk::Result<OutboxEvent> outbox_append(sdk::SqlExecutor& tx, const domain::ReplicatedChange& change,
                                       const std::string& node_id, const std::string& event_id,
                                       std::int64_t now_utc_ms);

/// At most `limit` unacknowledged events, lowest sequence first.
sdk::Result<std::vector<OutboxEvent>> outbox_pending(sdk::SqlExecutor& db, std::int64_t limit);

/// Marks the events with these ids acknowledged at `now_utc_ms` (ids not in
/// the outbox or already acknowledged are ignored). Returns how many rows
/// changed.
sdk::Result<std::int64_t> outbox_mark_acked(sdk::SqlExecutor& tx, const std::vector<std::string>& event_ids,
                                            std::int64_t now_utc_ms);

/// Deletes acknowledged events acknowledged before `before_utc_ms`.
sdk::Result<std::int64_t> outbox_prune(sdk::SqlExecutor& tx, std::int64_t before_utc_ms);

struct SyncState {
    std::int64_t last_sequence = 0;
    HlcStamp hlc;
    std::int64_t pull_revision = 0;
    std::int64_t last_push_utc_ms = 0;  ///< 0: never
    std::int64_t last_pull_utc_ms = 0;  ///< 0: never
};
sdk::Result<SyncState> read_sync_state(sdk::SqlExecutor& db);
sdk::Status write_last_push(sdk::SqlExecutor& tx, std::int64_t now_utc_ms);
sdk::Status write_pull_cursor(sdk::SqlExecutor& tx, std::int64_t revision, std::int64_t now_utc_ms);

struct OutboxStats {
    std::int64_t queue_depth = 0;                       ///< unacknowledged events
    std::optional<std::int64_t> oldest_unsent_utc_ms;   ///< created_utc_ms of the first one in the queue
    std::int64_t last_sequence = 0;
    /// Highest S with every event 1..S acknowledged.
    std::int64_t acknowledged_sequence = 0;
};
sdk::Result<OutboxStats> outbox_stats(sdk::SqlExecutor& db);

}  // namespace till::sync
