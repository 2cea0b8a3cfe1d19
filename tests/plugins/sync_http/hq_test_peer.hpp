// A test-side HQ sync endpoint that follows wire format version 1 to the
// letter (docs/sync.md): POST /sync/v1/batches, GET /sync/v1/changes,
// GET /sync/v1/notify (WebSocket), bearer tokens, gzip both ways, problem+json
// errors. It keeps events by id (idempotent) and a list of master-data
// changes, over a real Poco HTTPServer on 127.0.0.1, optionally with TLS.
// This is the other end of the transport seam, not a part we ship: the real
// HQ endpoint is hq-plugins/hq_sync.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "till/sdk/value.hpp"

namespace till::test {

struct HqPeerOptions {
    std::string cert_file;  ///< both set: HTTPS / WSS
    std::string key_file;
    int port = 0;           ///< 0 = any free port
};

/// What the peer saw of the last request.
struct PeerRequest {
    std::string method;
    std::string uri;
    std::string authorization;
    std::string content_encoding;
    std::string accept_encoding;
    bool answered_gzip = false;
};

class HqTestPeer {
public:
    explicit HqTestPeer(HqPeerOptions options = {});
    ~HqTestPeer();
    HqTestPeer(const HqTestPeer&) = delete;
    HqTestPeer& operator=(const HqTestPeer&) = delete;

    int port() const;
    std::string url() const;  ///< http(s)://127.0.0.1:port

    void add_token(const std::string& token, const std::string& store_id);
    void revoke_token(const std::string& token);
    /// Appends a master-data change; returns its revision. Does not announce.
    std::int64_t add_change(const std::string& type, const std::string& entity_id, sdk::Value payload);
    /// Sends {"type":"revision","revision":N} to every connected WebSocket.
    void announce();
    /// Answers every push and pull with `status` and a problem whose detail
    /// is `detail` (0 = behave normally).
    void force_status(int status, std::string detail = {});

    /// Stops listening and closes every WebSocket; start() listens again on
    /// the same port.
    void stop();
    void start();

    std::vector<sdk::Value> events() const;  ///< held events, in arrival order
    int batches_received() const;
    PeerRequest last_request() const;
    /// The last request to one path ("/sync/v1/batches"): unaffected by the
    /// notify socket's reconnects racing the request under test.
    PeerRequest last_request(const std::string& path) const;
    int notify_clients() const;

    struct State;  ///< shared with the server's handlers

private:
    std::shared_ptr<State> state_;
};

}  // namespace till::test
