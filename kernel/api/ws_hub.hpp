// The WebSocket side of /api/v1/events: one thread polls every upgraded socket
// (non-blocking, own framing), so idle sockets cost no request worker and no
// thread each. Events reach it through one bus subscription; each socket has
// a bounded queue, and a client that falls behind past it is closed with 1008
// while publishers never wait on a socket.
//
// Limits that keep one client from starving the others or the memory:
// - Per poll round a socket is read for at most 128 KiB and at most 256 of its
//   frames are handled; the rest waits for the next round, so every socket is
//   served in each round and stop() is seen within one round.
// - Its input buffer never holds more than max_message_bytes + 128 KiB (plus a
//   frame header): when full, the hub stops reading it until frames are handled.
// - A client frame, or a fragmented message, larger than max_message_bytes is
//   closed with 1009; the rest of its bytes are read and dropped.
// - Replies (pongs, errors, "subscribed") and events waiting in a socket's
//   write buffer are bounded by max_pending_out_bytes: a client that keeps
//   sending without reading what it is sent is closed with 1008 (the close
//   waits 2 s for the peer, then the socket is dropped).
// - A close that times out while our bytes are still unsent (the peer is not
//   reading) ends with a TCP reset, so the kernel does not keep them either.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "events/event_bus.hpp"
#include "till/sdk/logger.hpp"
#include "till/sdk/status.hpp"

namespace Poco::Net {
class WebSocket;
}

namespace till::api {

struct WebSocketHubSettings {
    int max_sockets = 1024;
    std::size_t max_queued_events = 1000;  ///< per socket, before 1008
    std::size_t max_message_bytes = 65536;  ///< client frames larger than this close with 1009
    /// Unsent bytes (replies and events) per socket before it is closed with 1008.
    std::size_t max_pending_out_bytes = 1024 * 1024;
};

class WebSocketHub {
public:
    WebSocketHub(WebSocketHubSettings settings, events::EventBusImpl& bus,
                 std::shared_ptr<sdk::Logger> logger);
    ~WebSocketHub();  ///< stops if running
    WebSocketHub(const WebSocketHub&) = delete;
    WebSocketHub& operator=(const WebSocketHub&) = delete;

    /// Starts the hub thread and subscribes to the bus.
    sdk::Status start();
    /// Takes one of max_sockets slots; false when all are taken (answer 503).
    bool try_reserve();
    /// Gives back a slot taken by try_reserve() that adopt() will not use.
    void release_reservation();
    /// Takes over an upgraded socket (uses the reserved slot), sends the hello
    /// message and starts forwarding events whose topic matches `topics`.
    /// Safe from any thread; a hub that is stopping closes it with 1001.
    void adopt(std::unique_ptr<Poco::Net::WebSocket> socket, std::vector<std::string> topics);
    /// Sends close 1001 to every socket, waits briefly for the peers, closes
    /// them and joins the thread. Idempotent.
    void stop();
    /// Sockets open or reserved.
    int socket_count() const noexcept;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace till::api
