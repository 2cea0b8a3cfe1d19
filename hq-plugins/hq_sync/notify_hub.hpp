// The WebSockets of /sync/v1/notify: after the upgrade (done on a worker
// thread) each socket is handed to this hub, where ONE thread polls all of
// them (non-blocking, own framing). 1,000 idle stores cost no worker thread
// and a few hundred bytes each.
//
// What a store is sent: {"type":"revision","revision":N} once on connect (the
// newest revision then) and again whenever a newer revision is broadcast.
// Revisions are coalesced per socket: a store that is slow to read gets the
// newest one when it catches up, never a backlog, so memory per socket stays
// bounded. Pings from the store are answered with pongs; the hub pings each
// socket every ping_interval_ms; as often, an auditor thread checks that each
// socket's token is still live (a revoked token's socket is closed with
// 1008); text or binary frames from a store are read
// and ignored (frames over 4 KiB close it with 1009).
//
// Works the same over TLS: sockets are driven through Poco's socket impl, so a
// SecureStreamSocket does its own record layer.
//
// Threading: adopt(), broadcast(), counts and stop() are safe from any thread.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "till/sdk/logger.hpp"
#include "till/sdk/status.hpp"

namespace Poco::Net {
class StreamSocket;
}

namespace till::hq_sync {

struct NotifyHubSettings {
    int max_connections = 4096;
    std::int64_t ping_interval_ms = 30000;
    /// Asked every ping_interval_ms, on the hub's own auditor thread (never
    /// the socket thread), for each token that has open sockets: false (token
    /// revoked or unknown) closes them with 1008. A storage fault must answer
    /// true (the sockets stay). Empty: never asked, no auditor thread.
    std::function<bool(const std::string& token)> still_authorised;
};

class NotifyHub {
public:
    NotifyHub(NotifyHubSettings settings, std::shared_ptr<sdk::Logger> logger);
    ~NotifyHub();  ///< stops if running
    NotifyHub(const NotifyHub&) = delete;
    NotifyHub& operator=(const NotifyHub&) = delete;

    sdk::Status start();
    /// Takes one of max_connections slots; false when all are taken (answer 503).
    bool try_reserve();
    /// Gives back a slot taken by try_reserve() that adopt() will not use.
    void release_reservation();
    /// Takes over an upgraded socket (uses the reserved slot) belonging to
    /// `store_id`, opened with `token`, and sends it max(current_revision,
    /// newest broadcast).
    void adopt(Poco::Net::StreamSocket socket, std::string store_id, std::string token,
               std::int64_t current_revision);
    /// Announces `revision` to every socket (older or equal ones are ignored).
    void broadcast(std::int64_t revision);
    /// Closes every socket with 1001 (bounded wait) and joins the thread. Idempotent.
    void stop();

    int connection_count() const noexcept;  ///< open or reserved
    int store_count() const;                ///< distinct stores with an open socket
    std::int64_t newest_revision() const noexcept;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace till::hq_sync
