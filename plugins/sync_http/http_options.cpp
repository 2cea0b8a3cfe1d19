#include "http_options.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace till::sync_http {

namespace {

std::string resolve(const std::string& path, const std::string& base) {
    if (path.empty()) return path;
    namespace fs = std::filesystem;
    fs::path p(path);
    if (p.is_relative()) p = fs::path(base) / p;
    return p.lexically_normal().string();
}

std::string trim(const std::string& s) {
    const char* ws = " \t\r\n";
    const auto first = s.find_first_not_of(ws);
    if (first == std::string::npos) return {};
    return s.substr(first, s.find_last_not_of(ws) - first + 1);
}

}  // namespace

sdk::Result<HttpOptions> read_options(const sdk::Value& config, const std::string& plugin_dir) {
    HttpOptions o;
    o.hq_url = trim(config["hq_url"].as_string(""));
    o.token = trim(config["token"].as_string(""));
    o.token_file = resolve(config["token_file"].as_string(""), plugin_dir);
    o.ca_file = resolve(config["ca_file"].as_string(""), plugin_dir);
    o.verify_tls = config["verify_tls"].as_bool(true);
    o.notify = config["notify"].as_bool(true);
    o.reconnect_initial_ms = config["reconnect_initial_ms"].as_int(o.reconnect_initial_ms);
    o.reconnect_max_ms = config["reconnect_max_ms"].as_int(o.reconnect_max_ms);
    o.compress = config["compress"].as_bool(true);
    o.pull_max_changes = config["pull_max_changes"].as_int(o.pull_max_changes);
    if (o.reconnect_initial_ms <= 0)
        return sdk::Error{"invalid_argument", "sync_http.reconnect_initial_ms: must be positive"};
    if (o.reconnect_max_ms < o.reconnect_initial_ms)
        return sdk::Error{"invalid_argument",
                          "sync_http.reconnect_max_ms: must be at least reconnect_initial_ms (" +
                              std::to_string(o.reconnect_initial_ms) + ")"};
    if (o.pull_max_changes <= 0)
        return sdk::Error{"invalid_argument", "sync_http.pull_max_changes: must be positive"};
    return o;
}

sdk::Result<std::string> TokenSource::current() const {
    if (!token_.empty()) return token_;
    if (token_file_.empty())
        return sdk::Error{"unauthorized", "no sync token configured (set sync_http.token or sync_http.token_file)"};
    std::error_code ec;
    if (!std::filesystem::exists(token_file_, ec))
        return sdk::Error{"unauthorized", "sync token file " + token_file_ + " not found"};
    std::ifstream in(token_file_, std::ios::binary);
    if (!in) return sdk::Error{"io_error", "cannot read sync token file " + token_file_};
    std::ostringstream text;
    text << in.rdbuf();
    std::string token = trim(text.str());
    if (token.empty()) return sdk::Error{"unauthorized", "sync token file " + token_file_ + " is empty"};
    return token;
}

}  // namespace till::sync_http
