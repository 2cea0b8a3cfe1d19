// The store's sync engine (docs/sync.md, "Store side"): pushes the outbox to
// HQ and pulls master data from it through a SyncTransport plugin, on its own
// thread.
//
// Push: batches of at most batch_max_events unacknowledged events, lowest
// sequence first; every push_interval_ms, at once after a high-priority
// commit (push_soon) and while a full batch was just acknowledged (catch-up).
// Acknowledged ids are marked in one transaction. After a failure: full-jitter
// exponential backoff (sync/backoff.hpp); a rejected batch (4xx) halves the
// next batch (down to one event) so one oversized batch cannot block the
// queue; unauthorised retries every backoff_max_ms. Events are never dropped.
//
// Pull: every pull_interval_ms and at once when the transport announces a
// revision newer than the cursor. One page is applied through the
// ApplierRegistry in **one** transaction together with the new cursor; an
// applier error leaves both unchanged (last_error says which change). A
// change of a type no applier handles is skipped and counted. `more` pulls
// the next page at once. after_commit runs per applier after the commit.
//
// Threading: start()/stop() from the owner's thread; push_soon, push_now,
// pull_now, status and on_revision_announced from any thread. The
// run_*_cycle functions are what the thread runs; tests call them directly
// on an engine that was not started.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "sync/applier_registry.hpp"
#include "sync/backoff.hpp"
#include "sync/sync_status.hpp"
#include "till/sdk/clock.hpp"
#include "till/sdk/events.hpp"
#include "till/sdk/host.hpp"
#include "till/sdk/logger.hpp"
#include "till/sdk/storage.hpp"
#include "till/sdk/sync_transport.hpp"

namespace till::sync {

/// The `sync:` config section, as the engine uses it.
struct SyncSettings {
    bool enabled = false;
    std::string transport = "http";
    std::int64_t push_interval_ms = 30000;
    std::int64_t pull_interval_ms = 60000;
    std::int64_t batch_max_events = 500;
    std::int64_t request_timeout_ms = 15000;
    std::int64_t backoff_initial_ms = 1000;
    std::int64_t backoff_max_ms = 300000;
};

/// From the validated `sync:` section (defaults filled in by the schema).
SyncSettings sync_settings_from(const sdk::Value& sync_section);

struct SyncEngineDeps {
    sdk::Storage& storage;  ///< with the "sync" migrations applied (SyncReplicationLog::start)
    sdk::EventBus& events;
    const sdk::Clock& clock;
    const sdk::Registry& registry;  ///< where the transport plugin is looked up
    const ApplierRegistry& appliers;
    std::shared_ptr<sdk::Logger> logger;
    std::string node_id;
    RandomSource random = {};  ///< jitter; empty = default_random_source()
};

/// What one push or pull cycle did (for tests and logs).
struct CycleOutcome {
    bool attempted = false;  ///< false: nothing to push, or no transport
    sdk::TransportStatus status = sdk::TransportStatus::ok;
    std::int64_t events = 0;    ///< push: events in the batch; pull: changes applied
    std::int64_t acked = 0;     ///< push: events newly marked acknowledged
    bool more = false;          ///< another cycle is due at once
    std::int64_t delay_ms = 0;  ///< wait before the next cycle of this kind
};

class SyncEngine {
public:
    SyncEngine(SyncEngineDeps deps, SyncSettings settings);
    ~SyncEngine();  ///< stop()
    SyncEngine(const SyncEngine&) = delete;
    SyncEngine& operator=(const SyncEngine&) = delete;

    /// Reads the cursor and, when enabled, looks up the transport (missing:
    /// state "offline", last_error naming it; looked up again at each
    /// attempt) and starts the thread. Fails only on a storage fault.
    sdk::Status start();
    /// Bounded: waits for a transport call in flight (request_timeout_ms at
    /// most), joins the thread, drops the notify handler and the transport.
    /// Call before the plugins stop. Idempotent.
    void stop();

    /// Push at the next chance unless a failed push is backing off (a
    /// high-priority commit: domain::ReplicationLog::committed_high_priority).
    void push_soon();
    /// Push now (even while backing off) and wait, bounded, for that push to
    /// finish; returns the status after it. Without a running thread: the
    /// status as it is.
    SyncStatus push_now();
    /// Same for a pull.
    SyncStatus pull_now();
    /// A revision announced by HQ (the transport's notify handler): pull at
    /// once when it is newer than the cursor.
    void on_revision_announced(std::int64_t revision);

    SyncStatus status() const;
    const SyncSettings& settings() const noexcept { return settings_; }

    /// One push attempt on the caller's thread (see the header comment).
    CycleOutcome run_push_cycle();
    /// One pull page on the caller's thread.
    CycleOutcome run_pull_cycle();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
    SyncSettings settings_;
};

}  // namespace till::sync
