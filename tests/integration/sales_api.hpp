// Driving a tilld process's sales API over HTTP: the node config with the
// bundled plugins, JSON calls with a bearer token and logins (the event
// stream reader is support/event_recorder.hpp). Used by the cashier-day and the
// durability tests (test code: failures are Catch2 assertions).
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "node_process.hpp"
#include "support/event_recorder.hpp"
#include "support/http_client.hpp"
#include "till/sdk/value.hpp"

namespace till::test::sales {

using sdk::Value;

/// A store node on SQLite in <dir>/data with the bundled sales plugins from
/// the build tree; fast PIN hashing (the minimum the schema allows).
inline std::string sales_config(const std::string& extra = {}) {
    return std::string("node:\n  id: sales-node\n  role: store\n  data_dir: data\n  listen: 127.0.0.1:0\n"
                       "plugins:\n  dirs: [\"") +
           TILL_BUILD_PLUGIN_DIR +
           "\"]\n  enabled: [order_retail, order_quickservice, payment_cash, printer_file]\n"
           "  required: [order_retail, payment_cash]\n"
           "auth:\n  pin_kdf_iterations: 1000\n  token_ttl_s: 3600\n" +
           extra;
}

struct Reply {
    int status = 0;
    std::string body;
    Value json;  ///< null when the body is not JSON
};

/// One HTTP call; `body` null sends no body. Throws (via http_call) when the
/// node cannot be reached.
inline Reply call(int port, const std::string& token, const std::string& method, const std::string& path,
                  const Value& body = Value(), const std::string& override_token = {}) {
    std::map<std::string, std::string> headers{{"Content-Type", "application/json"}};
    if (!token.empty()) headers["Authorization"] = "Bearer " + token;
    if (!override_token.empty()) headers["X-Till-Override"] = override_token;
    auto reply = http_call(port, method, path, body.is_null() ? std::string() : body.to_json(), headers);
    Reply out;
    out.status = reply.status;
    out.body = reply.body;
    if (auto parsed = Value::parse_json(reply.body)) out.json = std::move(*parsed);
    return out;
}

/// Parses a JSON literal written in the test (must be valid).
inline Value json(const std::string& text) {
    auto parsed = Value::parse_json(text);
    if (!parsed) throw std::runtime_error("bad JSON in test: " + parsed.error().message + ": " + text);
    return *parsed;
}

/// PIN login at a terminal; "" when refused.
inline std::string login(int port, const std::string& user_name, const std::string& pin,
                         const std::string& terminal_id) {
    Value body = Value::map();
    body.set("user_name", user_name);
    body.set("pin", pin);
    body.set("terminal_id", terminal_id);
    auto r = call(port, {}, "POST", "/api/v1/auth/login", body);
    return r.status == 200 ? r.json["token"].as_string() : std::string();
}

}  // namespace till::test::sales
