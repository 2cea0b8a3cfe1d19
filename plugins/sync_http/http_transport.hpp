// sync_http: the SyncTransport "http" — one HTTP(S) request per push or pull,
// statuses mapped as in docs/sync.md, never a retry of its own. Revision
// announcements come from a NotifyListener the plugin owns (optional).
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include <till/sdk/logger.hpp>
#include <till/sdk/sync_transport.hpp>

#include "hq_endpoint.hpp"
#include "http_options.hpp"

namespace till::sync_http {

class NotifyListener;

/// What one HTTP exchange gave (exposed for tests of the status mapping).
struct HttpExchange {
    int status = 0;
    std::string body;
    std::string content_encoding;
};

/// The documented mapping of an HTTP status code: 2xx ok; 401/403
/// unauthorised; 400/413/422 rejected; 5xx failed; other codes failed.
sdk::TransportStatus status_for_http(int http_status) noexcept;

class HttpTransport final : public sdk::SyncTransport {
public:
    /// Without `endpoint` (hq_url empty) every call answers failed.
    HttpTransport(std::optional<HqEndpoint> endpoint, TokenSource token, bool compress,
                  std::int64_t pull_max_changes, sdk::Logger& logger);
    ~HttpTransport() override;

    std::string id() const override { return "http"; }
    sdk::PushResult push(const sdk::SyncBatch& batch, std::int64_t timeout_ms) override;
    sdk::PullResult pull(std::int64_t since_revision, std::int64_t timeout_ms) override;
    void set_notify_handler(NotifyHandler handler) override;

    /// The plugin hands its listener over on start and takes it back on stop.
    void attach_listener(std::shared_ptr<NotifyListener> listener);
    std::shared_ptr<NotifyListener> detach_listener();

private:
    struct Outcome {
        sdk::TransportStatus status = sdk::TransportStatus::failed;
        HttpExchange exchange;
        std::string message;  ///< set when status != ok
    };
    Outcome exchange(const std::string& method, const std::string& path, const std::string& body,
                     bool gzip_body, std::int64_t timeout_ms);

    std::optional<HqEndpoint> endpoint_;
    TokenSource token_;
    bool compress_;
    std::int64_t pull_max_changes_;
    sdk::Logger& logger_;
    std::mutex mutex_;  ///< guards handler_ and listener_
    NotifyHandler handler_;
    std::shared_ptr<NotifyListener> listener_;
};

}  // namespace till::sync_http
