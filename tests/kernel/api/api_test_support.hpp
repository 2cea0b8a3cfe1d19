// Shared bits for the api/events tests: a logger that keeps its lines, a
// clock, bounded waiting and a small HTTP/WebSocket client over Poco.
#pragma once

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/WebSocket.h>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "api/http_server.hpp"
#include "api/router.hpp"
#include "events/event_bus.hpp"
#include "till/sdk/clock.hpp"
#include "till/sdk/logger.hpp"
#include "till/sdk/value.hpp"

namespace till::test {

/// A log sink that keeps every record in memory.
class MemoryLogger final : public sdk::Logger {
public:
    void log(sdk::LogLevel, std::string_view message) noexcept override {
        std::lock_guard lock(mutex_);
        lines_.emplace_back(message);
    }
    bool enabled(sdk::LogLevel) const noexcept override { return true; }
    bool contains(const std::string& a, const std::string& b = {}) const {
        std::lock_guard lock(mutex_);
        for (const auto& l : lines_)
            if (l.find(a) != std::string::npos && l.find(b) != std::string::npos) return true;
        return false;
    }

private:
    mutable std::mutex mutex_;
    std::vector<std::string> lines_;
};

class SystemClock final : public sdk::Clock {
public:
    std::int64_t now_utc_ms() const noexcept override {
        using namespace std::chrono;
        return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
    }
    std::int64_t monotonic_ms() const noexcept override {
        using namespace std::chrono;
        return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
    }
};

/// Polls `condition` up to `timeout_ms`; true as soon as it holds.
inline bool wait_until(const std::function<bool()>& condition, int timeout_ms = 5000) {
    const auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    while (std::chrono::steady_clock::now() < end) {
        if (condition()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    return condition();
}

struct HttpReply {
    int status = 0;
    std::string content_type;
    std::string body;
    std::map<std::string, std::string> headers;  ///< as received
    sdk::Value json() const {
        auto r = sdk::Value::parse_json(body);
        return r ? r.value() : sdk::Value();
    }
};

inline HttpReply http(int port, const std::string& method, const std::string& target,
                      const std::string& body = {}, const std::string& content_type = {}) {
    Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port));
    session.setTimeout(Poco::Timespan(10, 0));
    Poco::Net::HTTPRequest request(method, target, Poco::Net::HTTPMessage::HTTP_1_1);
    if (!content_type.empty()) request.setContentType(content_type);
    if (!body.empty() || method == "POST" || method == "PUT") request.setContentLength(body.size());
    session.sendRequest(request) << body;
    Poco::Net::HTTPResponse response;
    std::istream& in = session.receiveResponse(response);
    HttpReply reply;
    reply.status = response.getStatus();
    reply.content_type = response.getContentType();
    for (const auto& [k, v] : response) reply.headers[k] = v;
    reply.body.assign(std::istreambuf_iterator<char>(in), {});
    return reply;
}

/// An event-stream client: connects to /api/v1/events + `query`.
struct WsClient {
    std::unique_ptr<Poco::Net::HTTPClientSession> session;
    std::unique_ptr<Poco::Net::WebSocket> socket;

    explicit WsClient(int port, const std::string& query = {}) {
        session = std::make_unique<Poco::Net::HTTPClientSession>(
            "127.0.0.1", static_cast<Poco::UInt16>(port));
        Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET,
                                       "/api/v1/events" + query, Poco::Net::HTTPMessage::HTTP_1_1);
        Poco::Net::HTTPResponse response;
        socket = std::make_unique<Poco::Net::WebSocket>(*session, request, response);
        socket->setReceiveTimeout(Poco::Timespan(10, 0));
    }

    void send_text(const std::string& text) {
        socket->sendFrame(text.data(), static_cast<int>(text.size()),
                          Poco::Net::WebSocket::FRAME_TEXT);
    }

    struct Frame {
        int opcode = 0;
        std::string payload;
        int close_code() const {
            if (payload.size() < 2) return 0;
            return (static_cast<unsigned char>(payload[0]) << 8) |
                   static_cast<unsigned char>(payload[1]);
        }
    };
    /// Next frame; opcode -1 when the connection ended.
    Frame receive() {
        Poco::Buffer<char> buf(0);
        int flags = 0;
        Frame f;
        int n = socket->receiveFrame(buf, flags);
        if (n == 0 && flags == 0) {
            f.opcode = -1;
            return f;
        }
        f.opcode = flags & Poco::Net::WebSocket::FRAME_OP_BITMASK;
        f.payload.assign(buf.begin(), buf.size());
        return f;
    }
    /// Next text message as a Value (null when the next frame is not text).
    sdk::Value receive_json() {
        Frame f = receive();
        if (f.opcode != Poco::Net::WebSocket::FRAME_OP_TEXT) return sdk::Value();
        auto r = sdk::Value::parse_json(f.payload);
        return r ? r.value() : sdk::Value();
    }
};

/// A running HttpServer on 127.0.0.1:0 with its bus and router, for the
/// event-stream tests; `GET /api/v1/health` answers {"status":"ok"}.
struct ServerNode {
    SystemClock clock;
    std::shared_ptr<MemoryLogger> logger = std::make_shared<MemoryLogger>();
    events::EventBusImpl bus{clock, logger};
    api::Router router;
    std::unique_ptr<api::HttpServer> server;

    explicit ServerNode(api::ServerSettings settings = {}) {
        REQUIRE(router.add(sdk::HttpMethod::get, "/api/v1/health",
                           [](const sdk::HttpRequest&) {
                               sdk::Value v = sdk::Value::map();
                               v.set("status", "ok");
                               return sdk::HttpResponse::json(v);
                           },
                           "kernel"));
        server = std::make_unique<api::HttpServer>(settings, router, bus, logger);
        REQUIRE(server->start().ok());
    }
    int port() const { return server->port(); }
};

}  // namespace till::test
