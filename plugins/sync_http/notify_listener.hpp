// sync_http: a thread holding a WebSocket to HQ's GET /sync/v1/notify and
// passing each announced revision to the transport's notify handler.
//
// Reconnects after any failure or close with exponential backoff and jitter
// (reconnect_backoff.hpp); answers pings; sends a ping after 30 s of silence
// and reconnects when HQ stays silent for 75 s (a half-open connection).
// stop() is bounded by about 250 ms plus the connect timeout.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include <till/sdk/logger.hpp>

#include "hq_endpoint.hpp"
#include "http_options.hpp"

namespace till::sync_http {

struct NotifyOptions {
    std::int64_t reconnect_initial_ms = 1000;
    std::int64_t reconnect_max_ms = 60000;
    std::int64_t connect_timeout_ms = 10000;
};

class NotifyListener {
public:
    using Handler = std::function<void(std::int64_t revision)>;

    NotifyListener(HqEndpoint endpoint, TokenSource token, NotifyOptions options, sdk::Logger& logger);
    ~NotifyListener();  ///< stops
    NotifyListener(const NotifyListener&) = delete;
    NotifyListener& operator=(const NotifyListener&) = delete;

    void start();
    void stop() noexcept;

    /// The handler gets every later announcement, and at once (from the
    /// listener's thread) the newest revision heard so far, if any. Returns
    /// after a call of the previous handler in flight has finished (unless
    /// called from inside the handler).
    void set_handler(Handler handler);

    bool connected() const noexcept { return connected_; }
    std::int64_t connections_made() const noexcept { return connections_made_; }
    /// Newest revision HQ announced; 0 before the first.
    std::int64_t last_revision() const noexcept { return last_revision_; }

private:
    void run();
    void session_once();
    void deliver(std::int64_t revision);
    bool wait_stop_for(std::int64_t ms);

    HqEndpoint endpoint_;
    TokenSource token_;
    NotifyOptions options_;
    sdk::Logger& logger_;
    std::thread thread_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    Handler handler_;
    bool redeliver_ = false;
    std::mutex deliver_mutex_;  ///< held while the handler runs
    std::atomic<std::thread::id> thread_id_{};
    std::atomic<bool> connected_{false};
    std::atomic<std::int64_t> connections_made_{0};
    std::atomic<std::int64_t> last_revision_{0};
};

}  // namespace till::sync_http
