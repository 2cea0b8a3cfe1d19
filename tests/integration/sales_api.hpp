// Driving a tilld process's sales API over HTTP: the node config with the
// bundled plugins, JSON calls with a bearer token, logins, and a WebSocket
// reader that collects the event stream. Used by the cashier-day and the
// durability tests (test code: failures are Catch2 assertions).
#pragma once

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/WebSocket.h>

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "node_process.hpp"
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

/// Reads the event stream of a node on its own thread and keeps every event.
class EventRecorder {
public:
    EventRecorder(int port, const std::string& token) {
        session_ = std::make_unique<Poco::Net::HTTPClientSession>("127.0.0.1", static_cast<Poco::UInt16>(port));
        Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, "/api/v1/events?access_token=" + token,
                                       Poco::Net::HTTPMessage::HTTP_1_1);
        Poco::Net::HTTPResponse response;
        ws_ = std::make_unique<Poco::Net::WebSocket>(*session_, request, response);
        ws_->setReceiveTimeout(Poco::Timespan(0, 200 * 1000));
        reader_ = std::thread([this] { run(); });
    }
    ~EventRecorder() {
        stop_ = true;
        if (reader_.joinable()) reader_.join();
        try {
            ws_->shutdown();
        } catch (...) {
        }
    }
    EventRecorder(const EventRecorder&) = delete;
    EventRecorder& operator=(const EventRecorder&) = delete;

    std::vector<Value> events() const {
        std::lock_guard<std::mutex> lock(mutex_);
        return events_;
    }
    std::multiset<std::string> topics() const {
        std::multiset<std::string> out;
        for (const auto& e : events()) out.insert(e["topic"].as_string());
        return out;
    }
    /// Waits (bounded) until an event of `topic` has arrived.
    bool wait_for(const std::string& topic, int timeout_ms = 10000) const {
        auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
        while (std::chrono::steady_clock::now() < until) {
            if (topics().count(topic) > 0) return true;
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        return false;
    }

private:
    void run() {
        std::vector<char> buffer(1 << 20);
        while (!stop_) {
            int flags = 0;
            int n = 0;
            try {
                n = ws_->receiveFrame(buffer.data(), static_cast<int>(buffer.size()), flags);
            } catch (const Poco::TimeoutException&) {
                continue;
            } catch (...) {
                return;
            }
            if (n <= 0) return;  // closed by the node
            auto parsed = Value::parse_json(std::string(buffer.data(), static_cast<std::size_t>(n)));
            if (!parsed || (*parsed)["type"].as_string() != "event") continue;
            std::lock_guard<std::mutex> lock(mutex_);
            events_.push_back(std::move(*parsed));
        }
    }

    std::unique_ptr<Poco::Net::HTTPClientSession> session_;
    std::unique_ptr<Poco::Net::WebSocket> ws_;
    std::thread reader_;
    std::atomic<bool> stop_{false};
    mutable std::mutex mutex_;
    std::vector<Value> events_;
};

}  // namespace till::test::sales
