#include "sync/hq/revision_listener.hpp"

#include <fcntl.h>
#include <libpq-fe.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <mutex>
#include <thread>

#include "storage/database.hpp"
#include "storage/storage_url.hpp"
#include "sync/hq/change_feed.hpp"

namespace till::sync::hq {

namespace {

std::int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

}  // namespace

struct RevisionListener::Impl {
    ChangeFeed& feed;
    RevisionListenerSettings settings;
    std::shared_ptr<sdk::Logger> logger;
    Callback on_revision;

    Impl(ChangeFeed& f, RevisionListenerSettings s, std::shared_ptr<sdk::Logger> l, Callback cb)
        : feed(f), settings(std::move(s)), logger(std::move(l)), on_revision(std::move(cb)) {}

    int wake_pipe[2] = {-1, -1};
    std::thread thread;
    std::atomic<bool> stopping{false};
    std::atomic<bool> is_listening{false};
    std::int64_t last_reported = 0;  // thread only (set before start)
    PGconn* conn = nullptr;          // thread only

    void log(sdk::LogLevel level, const std::string& message) {
        if (logger) logger->log(level, message);
    }

    void drain_pipe() {
        char buf[64];
        while (::read(wake_pipe[0], buf, sizeof buf) > 0) {
        }
    }

    /// Reads the newest committed revision and reports it when newer.
    void check_now() {
        auto rev = feed.current_revision();
        if (!rev) {
            log(sdk::LogLevel::warn, "sync hub: cannot read the newest revision: " + rev.error().message);
            return;
        }
        report(*rev);
    }

    void report(std::int64_t revision) {
        if (revision <= last_reported) return;
        last_reported = revision;
        try {
            on_revision(revision);
        } catch (const std::exception& e) {
            log(sdk::LogLevel::error, std::string("sync hub: revision handler threw: ") + e.what());
        } catch (...) {
            log(sdk::LogLevel::error, "sync hub: revision handler threw");
        }
    }

    /// Waits up to `timeout_ms` for the pipe (and `fd` when >= 0). Returns
    /// true when `fd` is readable.
    bool wait(int fd, std::int64_t timeout_ms) {
        pollfd fds[2] = {{wake_pipe[0], POLLIN, 0}, {fd, POLLIN, 0}};
        const int n = fd >= 0 ? 2 : 1;
        const int r = ::poll(fds, n, static_cast<int>(std::max<std::int64_t>(0, timeout_ms)));
        if (r <= 0) return false;
        if (fds[0].revents) drain_pipe();
        return n == 2 && (fds[1].revents & (POLLIN | POLLERR | POLLHUP));
    }

    void disconnect() {
        if (conn) PQfinish(conn);
        conn = nullptr;
        is_listening = false;
    }

    bool connect() {
        // connect_timeout bounds how long a stop() may wait for a dead server.
        const std::string info = settings.postgres_conninfo.find("connect_timeout") == std::string::npos
                                     ? settings.postgres_conninfo + " connect_timeout=5"
                                     : settings.postgres_conninfo;
        conn = PQconnectdb(info.c_str());
        if (PQstatus(conn) != CONNECTION_OK) {
            log(sdk::LogLevel::warn, std::string("sync hub: LISTEN connection failed: ") + PQerrorMessage(conn));
            disconnect();
            return false;
        }
        PGresult* res = PQexec(conn, (std::string("LISTEN ") + kNotifyChannel).c_str());
        const bool ok = PQresultStatus(res) == PGRES_COMMAND_OK;
        if (!ok) log(sdk::LogLevel::warn, std::string("sync hub: LISTEN failed: ") + PQerrorMessage(conn));
        PQclear(res);
        if (!ok) {
            disconnect();
            return false;
        }
        is_listening = true;
        return true;
    }

    void run_sqlite() {
        while (!stopping) {
            check_now();
            wait(-1, settings.poll_ms);
        }
    }

    void run_postgres() {
        std::int64_t backoff_ms = settings.reconnect_initial_ms;
        while (!stopping) {
            if (!conn) {
                if (!connect()) {
                    wait(-1, backoff_ms);
                    backoff_ms = std::min(backoff_ms * 2, settings.reconnect_max_ms);
                    continue;
                }
                backoff_ms = settings.reconnect_initial_ms;
                check_now();  // what was committed while nobody listened
            }
            std::int64_t next_check = now_ms() + settings.postgres_check_ms;
            while (!stopping && conn) {
                const bool readable = wait(PQsocket(conn), next_check - now_ms());
                if (stopping) break;
                if (readable) {
                    if (!PQconsumeInput(conn)) {
                        log(sdk::LogLevel::warn,
                            std::string("sync hub: LISTEN connection lost: ") + PQerrorMessage(conn));
                        disconnect();
                        break;
                    }
                    std::int64_t newest = 0;
                    while (PGnotify* n = PQnotifies(conn)) {
                        newest = std::max<std::int64_t>(newest, std::strtoll(n->extra, nullptr, 10));
                        PQfreemem(n);
                    }
                    if (newest > 0) report(newest);
                }
                if (now_ms() >= next_check || !readable) {
                    // Timeout or a poke: read the newest revision ourselves.
                    check_now();
                    if (now_ms() >= next_check) next_check = now_ms() + settings.postgres_check_ms;
                }
                if (PQstatus(conn) != CONNECTION_OK) {
                    disconnect();
                    break;
                }
            }
        }
        disconnect();
    }
};

RevisionListener::RevisionListener(ChangeFeed& feed, RevisionListenerSettings settings,
                                   std::shared_ptr<sdk::Logger> logger, Callback on_revision)
    : impl_(std::make_unique<Impl>(feed, std::move(settings), std::move(logger), std::move(on_revision))) {}

RevisionListener::~RevisionListener() {
    stop();
    for (int fd : impl_->wake_pipe)
        if (fd >= 0) ::close(fd);
}

sdk::Status RevisionListener::start() {
    if (impl_->thread.joinable()) return {};
    auto rev = impl_->feed.current_revision();
    if (!rev) return rev.status();
    impl_->last_reported = *rev;
    if (impl_->wake_pipe[0] < 0 && ::pipe2(impl_->wake_pipe, O_NONBLOCK | O_CLOEXEC) != 0)
        return sdk::Status::failure("io_error", "sync hub: cannot create the listener's wake pipe");
    impl_->stopping = false;
    Impl* impl = impl_.get();
    impl_->thread = std::thread([impl] {
        if (impl->settings.postgres_conninfo.empty()) impl->run_sqlite();
        else impl->run_postgres();
    });
    return {};
}

void RevisionListener::stop() {
    if (!impl_->thread.joinable()) return;
    impl_->stopping = true;
    poke();
    impl_->thread.join();
}

void RevisionListener::poke() noexcept {
    if (impl_->wake_pipe[1] < 0) return;
    const char c = 1;
    [[maybe_unused]] auto n = ::write(impl_->wake_pipe[1], &c, 1);
}

bool RevisionListener::listening() const noexcept { return impl_->is_listening; }

sdk::Result<std::string> postgres_conninfo(const std::string& storage_url) {
    storage::StorageSettings s;
    s.url = storage_url;
    s.data_dir = "/";
    auto target = storage::detail::parse_storage_url(s);
    if (!target) return target.error();
    if (target->dialect != sdk::Dialect::postgresql)
        return sdk::Error{"invalid_argument", "not a PostgreSQL storage URL: " + target->description};
    return target->connection_string;
}

}  // namespace till::sync::hq
