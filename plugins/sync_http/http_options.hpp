// sync_http: the plugin's settings, read from its validated config, and the
// store's sync token (given inline or read from a file before each use).
#pragma once

#include <cstdint>
#include <string>

#include <till/sdk/status.hpp>
#include <till/sdk/value.hpp>

namespace till::sync_http {

struct HttpOptions {
    std::string hq_url;
    std::string token;
    std::string token_file;   ///< absolute once resolved; used when token is empty
    std::string ca_file;      ///< absolute once resolved; empty = system CAs
    bool verify_tls = true;
    bool notify = true;
    std::int64_t reconnect_initial_ms = 1000;
    std::int64_t reconnect_max_ms = 60000;
    bool compress = true;
    std::int64_t pull_max_changes = 1000;
};

/// Reads `config` (defaults are used for absent keys). Relative file paths
/// are resolved against `plugin_dir` (<data_dir>/plugins/sync_http).
/// Errors name the key, e.g. "sync_http.reconnect_max_ms: ...".
sdk::Result<HttpOptions> read_options(const sdk::Value& config, const std::string& plugin_dir);

/// Where the token comes from. current() re-reads token_file each time so a
/// replaced token takes effect at the next request.
class TokenSource {
public:
    TokenSource() = default;
    TokenSource(std::string token, std::string token_file)
        : token_(std::move(token)), token_file_(std::move(token_file)) {}
    /// Error "unauthorized" when there is no token at all, "io_error" when the
    /// file cannot be read.
    sdk::Result<std::string> current() const;

private:
    std::string token_;
    std::string token_file_;
};

}  // namespace till::sync_http
