#include "settings.hpp"

#include <charconv>
#include <filesystem>

namespace till::hq_sync {
namespace {

sdk::Error bad(const std::string& key, const std::string& what) {
    return {"invalid_config", "hq_sync." + key + ": " + what};
}

std::string resolve(const std::string& path, const std::string& data_dir) {
    if (path.empty()) return path;
    std::filesystem::path p(path);
    if (p.is_absolute() || data_dir.empty()) return path;
    return (std::filesystem::path(data_dir) / p).lexically_normal().string();
}

}  // namespace

sdk::Result<Settings> read_settings(const sdk::Value& config, const std::string& data_dir) {
    Settings s;
    const std::string listen = config["listen"].as_string(s.host + ":" + std::to_string(s.port));
    const auto colon = listen.rfind(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == listen.size())
        return bad("listen", "expected host:port, got \"" + listen + "\"");
    s.host = listen.substr(0, colon);
    if (s.host.size() > 2 && s.host.front() == '[' && s.host.back() == ']')
        s.host = s.host.substr(1, s.host.size() - 2);
    const std::string port_text = listen.substr(colon + 1);
    int port = -1;
    auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (ec != std::errc() || end != port_text.data() + port_text.size() || port < 0 || port > 65535)
        return bad("listen", "port must be 0..65535, got \"" + port_text + "\"");
    s.port = port;

    s.tls_cert_file = resolve(config["tls_cert_file"].as_string(), data_dir);
    s.tls_key_file = resolve(config["tls_key_file"].as_string(), data_dir);
    if (s.tls_cert_file.empty() != s.tls_key_file.empty())
        return bad(s.tls_cert_file.empty() ? "tls_cert_file" : "tls_key_file",
                   "give both tls_cert_file and tls_key_file (HTTPS) or neither (HTTP)");
    for (const auto* f : {&s.tls_cert_file, &s.tls_key_file})
        if (!f->empty() && !std::filesystem::is_regular_file(*f))
            return bad(f == &s.tls_cert_file ? "tls_cert_file" : "tls_key_file",
                       "no such file: " + *f);

    s.max_body_bytes = config["max_body_bytes"].as_int(s.max_body_bytes);
    s.max_batch_events = config["max_batch_events"].as_int(s.max_batch_events);
    s.worker_threads = static_cast<int>(config["worker_threads"].as_int(s.worker_threads));
    s.max_notify_connections =
        static_cast<int>(config["max_notify_connections"].as_int(s.max_notify_connections));
    s.ping_interval_ms = config["ping_interval_ms"].as_int(s.ping_interval_ms);
    s.keep_alive_timeout_ms = config["keep_alive_timeout_ms"].as_int(s.keep_alive_timeout_ms);
    if (s.keep_alive_timeout_ms < 0) return bad("keep_alive_timeout_ms", "must be >= 0");
    if (s.max_body_bytes < 1) return bad("max_body_bytes", "must be positive");
    if (s.max_batch_events < 1) return bad("max_batch_events", "must be positive");
    if (s.worker_threads < 1) return bad("worker_threads", "must be at least 1");
    if (s.max_notify_connections < 0) return bad("max_notify_connections", "must be >= 0");
    if (s.ping_interval_ms < 1) return bad("ping_interval_ms", "must be positive");
    return s;
}

}  // namespace till::hq_sync
