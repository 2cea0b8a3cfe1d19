// hq_sync's configuration, read from the plugin's validated config Value.
#pragma once

#include <cstdint>
#include <string>

#include "till/sdk/status.hpp"
#include "till/sdk/value.hpp"

namespace till::hq_sync {

struct Settings {
    std::string host = "127.0.0.1";
    int port = 8091;                 ///< 0 = any free port
    std::string tls_cert_file;       ///< absolute, or empty (plain HTTP)
    std::string tls_key_file;
    std::int64_t max_body_bytes = 64LL * 1024 * 1024;
    std::int64_t max_batch_events = 5000;
    int worker_threads = 8;
    /// 0: answer with Connection: close (a kept-alive idle connection would
    /// hold a worker thread until this timeout).
    std::int64_t keep_alive_timeout_ms = 0;
    int max_notify_connections = 4096;
    std::int64_t ping_interval_ms = 30000;

    bool tls() const noexcept { return !tls_cert_file.empty(); }
};

/// Reads `config` (defaults already filled by the kernel). Relative TLS file
/// paths are resolved against `data_dir`. Errors (code "invalid_config") name
/// the key: "hq_sync.listen: expected host:port, got \"x\"".
sdk::Result<Settings> read_settings(const sdk::Value& config, const std::string& data_dir);

}  // namespace till::hq_sync
