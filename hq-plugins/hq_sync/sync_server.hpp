// hq_sync's own listener: a Poco HTTPServer (HTTPS when a certificate is
// configured) with a bounded worker pool for pushes and pulls, and the
// notify WebSockets handed to a NotifyHub after the upgrade.
//
// Routes (wire format v1): POST /sync/v1/batches, GET /sync/v1/changes,
// GET /sync/v1/notify (WebSocket). Anything else: 404 / 405 problem+json.
//
// Threads: 1 acceptor + at most settings.worker_threads workers + 1 notify
// thread, whatever the number of connected stores.
#pragma once

#include <cstdint>
#include <memory>

#include "settings.hpp"
#include "sync_endpoints.hpp"
#include "till/sdk/logger.hpp"
#include "till/sdk/status.hpp"
#include "till/sdk/sync_hub.hpp"
#include "till/sdk/value.hpp"

namespace till::hq_sync {

class SyncServer {
public:
    /// `hub` and `logger` must outlive the server.
    SyncServer(Settings settings, sdk::SyncHub& hub, std::shared_ptr<sdk::Logger> logger);
    ~SyncServer();  ///< stops if running
    SyncServer(const SyncServer&) = delete;
    SyncServer& operator=(const SyncServer&) = delete;

    /// Binds, starts the workers and the notify thread. Error "io_error" when
    /// the address is taken, "invalid_config" for an unusable certificate.
    sdk::Status start();
    /// Stops accepting, closes the notify sockets (1001), joins every thread.
    /// Bounded: requests in progress get up to a few seconds. Idempotent.
    void stop();

    /// Announces a new master-data revision to every connected store.
    void announce_revision(std::int64_t revision);

    int port() const noexcept;  ///< the bound port (after start)
    /// Counts for GET /api/v1/hq-sync/status: no tokens, no store secrets.
    sdk::Value status() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace till::hq_sync
