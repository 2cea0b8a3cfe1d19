// Tells an HQ node about every new master-data revision committed by any HQ
// node on its database, on its own thread.
//
// PostgreSQL: a dedicated libpq connection runs LISTEN till_sync and waits
// for notifications (ChangeFeed::append sends one per revision at commit);
// the connection is re-opened with exponential backoff when it drops, and
// the newest revision is read again after each (re)connect and every
// `postgres_check_ms` so a notification lost while disconnected is not.
// SQLite (a single-node HQ, tests): reads the newest revision every
// `poll_ms`, and at once after poke().
//
// The callback gets each newer revision once, in increasing order (several
// revisions committed close together may be reported as only the newest).
// stop() is bounded: the thread waits on a self-pipe it is woken through.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "till/sdk/logger.hpp"
#include "till/sdk/status.hpp"

namespace till::sync::hq {

class ChangeFeed;

struct RevisionListenerSettings {
    std::string postgres_conninfo;          ///< libpq conninfo; "" = poll only (SQLite)
    std::int64_t poll_ms = 250;             ///< SQLite: how often the newest revision is read
    std::int64_t postgres_check_ms = 5000;  ///< PostgreSQL: safety-net read interval
    std::int64_t reconnect_initial_ms = 200;
    std::int64_t reconnect_max_ms = 10000;
};

class RevisionListener {
public:
    using Callback = std::function<void(std::int64_t revision)>;
    /// `feed` must outlive the listener. Nothing runs before start().
    RevisionListener(ChangeFeed& feed, RevisionListenerSettings settings, std::shared_ptr<sdk::Logger> logger,
                     Callback on_revision);
    ~RevisionListener();  ///< stops
    RevisionListener(const RevisionListener&) = delete;
    RevisionListener& operator=(const RevisionListener&) = delete;

    /// Reads the current revision (reported revisions are newer ones) and
    /// starts the thread. Fails when the database cannot be read.
    sdk::Status start();
    /// Stops and joins the thread; idempotent.
    void stop();
    /// Makes the thread read the newest revision now (after a local commit).
    void poke() noexcept;
    /// True while the LISTEN connection is up (PostgreSQL); false on SQLite.
    bool listening() const noexcept;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

/// The libpq conninfo of a `postgresql://` storage URL (data_dir unused);
/// error "invalid_argument" for another URL.
sdk::Result<std::string> postgres_conninfo(const std::string& storage_url);

}  // namespace till::sync::hq
