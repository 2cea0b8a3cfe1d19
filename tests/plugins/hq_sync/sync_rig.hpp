// A running hq_sync server (the plugin's own SyncServer, compiled into the
// test) on 127.0.0.1:0 over a MemoryHub, plus what the tests send to it:
// batches, pulls and notify WebSocket clients over real sockets.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "memory_hub.hpp"
#include "settings.hpp"
#include "support/http_client.hpp"
#include "sync_server.hpp"
#include "till/sdk/value.hpp"

namespace Poco::Net {
class WebSocket;
}

namespace till::test {

/// A batch of `count` events from `node_id`, sequences first..first+count-1.
sdk::Value make_batch(const std::string& node_id, std::int64_t first, std::int64_t count);
/// The event id make_batch gives sequence `n` of `node_id` (kind 1; kind 2: batch ids).
std::string uuid_for(const std::string& node_id, int kind, std::int64_t n);

struct SyncRig {
    explicit SyncRig(hq_sync::Settings settings = {});
    ~SyncRig();

    /// POST /sync/v1/batches with `body` as is and the given extra headers.
    HttpReply post_raw(const std::string& body, std::map<std::string, std::string> headers);
    /// POST of a batch, gzip-compressed, with the bearer `token`.
    HttpReply push(const std::string& token, const sdk::Value& batch);
    HttpReply get(const std::string& path, std::map<std::string, std::string> headers = {});

    MemoryHub hub;
    std::unique_ptr<hq_sync::SyncServer> server;
    int port = 0;
};

/// Threads of this process right now (/proc/self/task).
int thread_count();

/// A store's notify WebSocket (plain or TLS), blocking with a timeout.
class NotifyClient {
public:
    /// Connects to /sync/v1/notify (token in the Authorization header, or in
    /// ?token= when `token_in_query`). Throws on a failed handshake (test code).
    NotifyClient(int port, const std::string& token, bool token_in_query = false, bool tls = false);
    ~NotifyClient();
    /// The next revision announced, or -1 when none arrives within timeout_ms
    /// (pongs and pings are skipped; a ping is answered).
    std::int64_t next_revision(int timeout_ms);
    /// Sends a ping with `payload`; returns the payload of the pong, "" on timeout.
    std::string ping(const std::string& payload, int timeout_ms);
    /// The close code received, or -1 (waits up to timeout_ms).
    int wait_close(int timeout_ms);

private:
    std::unique_ptr<Poco::Net::WebSocket> ws_;
};

}  // namespace till::test
