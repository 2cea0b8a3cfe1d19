// sync_http: where HQ is (scheme, host, port, path prefix) and how to open a
// session to it — plain HTTP, or HTTPS with a TLS context built from the
// plugin's ca_file / verify_tls. Immutable after create(); cheap to copy and
// safe to share between threads (each caller opens its own session).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include <till/sdk/status.hpp>

namespace Poco::Net {
class HTTPClientSession;
}

namespace till::sync_http {

struct TlsOptions {
    std::string ca_file;  ///< PEM; empty = the system's CAs
    bool verify = true;   ///< false: no certificate or host name check
};

class HqEndpoint {
public:
    /// `url` is http://host[:port][/prefix] or https://...; TLS settings
    /// matter for https only. Requires Poco::Net::initializeSSL() to have
    /// been called (the plugin does it in on_start). Errors: "invalid_argument"
    /// for a bad URL, "io_error" for an unreadable CA file.
    static sdk::Result<HqEndpoint> create(const std::string& url, const TlsOptions& tls);

    /// A new session with connect/send/receive timeouts of `timeout_ms`.
    std::unique_ptr<Poco::Net::HTTPClientSession> open_session(std::int64_t timeout_ms) const;
    /// The request path for `route` (e.g. "/sync/v1/batches") under the prefix.
    std::string path(std::string_view route) const;
    bool tls() const noexcept;
    /// "https://host:port" for messages.
    std::string describe() const;

private:
    struct Impl;
    std::shared_ptr<const Impl> impl_;
};

}  // namespace till::sync_http
