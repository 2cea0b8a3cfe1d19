// The node's HTTP server (Poco HTTPServer) serving the Router's routes, plus
// the WebSocket event stream at /api/v1/events. WebSockets are handed to a
// hub with a bounded number of threads, off the request worker pool.
// Poco stays out of this header.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "api/router.hpp"
#include "events/event_bus.hpp"
#include "till/sdk/logger.hpp"
#include "till/sdk/status.hpp"

namespace till::api {

struct ServerSettings {
    std::string host = "127.0.0.1";
    int port = 0;                   ///< 0 = any free port; see HttpServer::port()
    int threads = 8;                ///< request workers
    std::int64_t max_body_bytes = 1048576;
    int max_websockets = 1024;
};

class HttpServer {
public:
    HttpServer(ServerSettings settings, Router& router, events::EventBusImpl& bus,
               std::shared_ptr<sdk::Logger> logger);
    ~HttpServer();  ///< stops if running
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    /// Who may open the event stream: called with the upgrade request
    /// (headers, and the query where browsers put `access_token`); a failure
    /// answers its problem (401/403) instead of upgrading. Unset = anyone.
    /// Set before start().
    using StreamGuard = std::function<sdk::HttpResponse(const sdk::HttpRequest&)>;
    void set_event_stream_guard(StreamGuard guard);
    /// Binds and starts serving. Fails (not throws) when the address is taken.
    sdk::Status start();
    /// The bound port (after start()).
    int port() const noexcept;
    /// Stops accepting, closes WebSockets (close frame 1001), waits for
    /// running requests to finish. Idempotent.
    void stop();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace till::api
