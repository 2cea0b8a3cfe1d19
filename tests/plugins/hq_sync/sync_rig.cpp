#include "sync_rig.hpp"

#include <dirent.h>

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/WebSocket.h>

#include <catch2/catch.hpp>

#include <cstdio>

#include "gzip_codec.hpp"

namespace till::test {

/// A UUID-shaped id, the same for the same (node, kind, n): event and batch
/// ids are UUIDv7 text on the wire (docs/sync.md).
std::string uuid_for(const std::string& node_id, int kind, std::int64_t n) {
    unsigned long long h = 1469598103934665603ULL;
    for (unsigned char c : node_id) h = (h ^ c) * 1099511628211ULL;
    char text[40];
    std::snprintf(text, sizeof text, "0190f5c2-%04llx-7%03llx-8%03x-%012llx", (h >> 16) & 0xffffULL, h & 0xfffULL,
                  kind & 0xfff, static_cast<unsigned long long>(n) & 0xffffffffffffULL);
    return text;
}

sdk::Value make_batch(const std::string& node_id, std::int64_t first, std::int64_t count) {
    sdk::Value events = sdk::Value::list();
    for (std::int64_t s = first; s < first + count; ++s) {
        sdk::Value e = sdk::Value::map();
        e.set("event_id", uuid_for(node_id, 1, s));
        e.set("node_id", node_id);
        e.set("sequence", static_cast<long long>(s));
        e.set("hlc", "001763770000000-00000-" + node_id);
        e.set("type", "sale");
        e.set("entity_id", "order-" + std::to_string(s));
        e.set("created_utc_ms", 1763770000000LL);
        sdk::Value payload = sdk::Value::map();
        payload.set("order_id", "order-" + std::to_string(s));
        payload.set("total_minor", 1250);
        e.set("payload", std::move(payload));
        events.push_back(std::move(e));
    }
    sdk::Value b = sdk::Value::map();
    b.set("schema", 1);
    b.set("batch_id", uuid_for(node_id, 2, first));
    b.set("node_id", node_id);
    b.set("events", std::move(events));
    return b;
}

SyncRig::SyncRig(hq_sync::Settings settings) {
    settings.host = "127.0.0.1";
    settings.port = 0;
    server = std::make_unique<hq_sync::SyncServer>(settings, hub, nullptr);
    auto st = server->start();
    INFO((st ? std::string() : st.message()));
    REQUIRE(st.ok());
    port = server->port();
    hub.set_revision_handler("hq_sync", [s = server.get()](std::int64_t r) { s->announce_revision(r); });
}

SyncRig::~SyncRig() {
    hub.set_revision_handler("hq_sync", {});
    server->stop();
}

HttpReply SyncRig::post_raw(const std::string& body, std::map<std::string, std::string> headers) {
    return http_call(port, "POST", "/sync/v1/batches", body, headers);
}

HttpReply SyncRig::push(const std::string& token, const sdk::Value& batch) {
    return post_raw(hq_sync::gzip(batch.to_json()),
                    {{"Authorization", "Bearer " + token}, {"Content-Encoding", "gzip"}});
}

HttpReply SyncRig::get(const std::string& path, std::map<std::string, std::string> headers) {
    return http_call(port, "GET", path, "", headers);
}

int thread_count() {
    int n = 0;
    if (DIR* d = ::opendir("/proc/self/task")) {
        while (dirent* e = ::readdir(d))
            if (e->d_name[0] != '.') ++n;
        ::closedir(d);
    }
    return n;
}

NotifyClient::NotifyClient(int port, const std::string& token, bool token_in_query, bool tls) {
    std::unique_ptr<Poco::Net::HTTPClientSession> session;
    if (tls) {
        Poco::Net::Context::Ptr ctx =
            new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "", Poco::Net::Context::VERIFY_NONE);
        session = std::make_unique<Poco::Net::HTTPSClientSession>("127.0.0.1", static_cast<Poco::UInt16>(port), ctx);
    } else {
        session = std::make_unique<Poco::Net::HTTPClientSession>("127.0.0.1", static_cast<Poco::UInt16>(port));
    }
    std::string path = "/sync/v1/notify";
    if (token_in_query) path += "?token=" + token;
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, path, Poco::Net::HTTPMessage::HTTP_1_1);
    if (!token_in_query) request.set("Authorization", "Bearer " + token);
    Poco::Net::HTTPResponse response;
    ws_ = std::make_unique<Poco::Net::WebSocket>(*session, request, response);
    ws_->setReceiveTimeout(Poco::Timespan(5, 0));
}

NotifyClient::~NotifyClient() {
    try {
        ws_->close();
    } catch (...) {
    }
}

std::int64_t NotifyClient::next_revision(int timeout_ms) {
    ws_->setReceiveTimeout(Poco::Timespan(static_cast<long>(timeout_ms) * 1000));
    char buf[1024];
    for (int frames = 0; frames < 100; ++frames) {
        int flags = 0;
        int n = 0;
        try {
            n = ws_->receiveFrame(buf, sizeof buf, flags);
        } catch (const Poco::TimeoutException&) {
            return -1;
        }
        const int op = flags & Poco::Net::WebSocket::FRAME_OP_BITMASK;
        if (op == Poco::Net::WebSocket::FRAME_OP_PING) {
            ws_->sendFrame(buf, n, static_cast<int>(Poco::Net::WebSocket::FRAME_FLAG_FIN) | static_cast<int>(Poco::Net::WebSocket::FRAME_OP_PONG));
            continue;
        }
        if (op == Poco::Net::WebSocket::FRAME_OP_CLOSE || n <= 0) return -1;
        if (op != Poco::Net::WebSocket::FRAME_OP_TEXT) continue;
        auto v = sdk::Value::parse_json(std::string(buf, static_cast<std::size_t>(n)));
        REQUIRE(v.ok());
        REQUIRE((*v)["type"].as_string() == "revision");
        return (*v)["revision"].as_int(-1);
    }
    return -1;
}

std::string NotifyClient::ping(const std::string& payload, int timeout_ms) {
    ws_->sendFrame(payload.data(), static_cast<int>(payload.size()),
                   static_cast<int>(Poco::Net::WebSocket::FRAME_FLAG_FIN) | static_cast<int>(Poco::Net::WebSocket::FRAME_OP_PING));
    ws_->setReceiveTimeout(Poco::Timespan(static_cast<long>(timeout_ms) * 1000));
    char buf[256];
    for (int frames = 0; frames < 100; ++frames) {
        int flags = 0;
        int n = 0;
        try {
            n = ws_->receiveFrame(buf, sizeof buf, flags);
        } catch (const Poco::TimeoutException&) {
            return {};
        }
        if ((flags & Poco::Net::WebSocket::FRAME_OP_BITMASK) == Poco::Net::WebSocket::FRAME_OP_PONG)
            return std::string(buf, static_cast<std::size_t>(n));
        if (n <= 0) return {};
    }
    return {};
}

int NotifyClient::wait_close(int timeout_ms) {
    ws_->setReceiveTimeout(Poco::Timespan(static_cast<long>(timeout_ms) * 1000));
    char buf[256];
    for (int frames = 0; frames < 100; ++frames) {
        int flags = 0;
        int n = 0;
        try {
            n = ws_->receiveFrame(buf, sizeof buf, flags);
        } catch (const Poco::TimeoutException&) {
            return -1;
        } catch (const Poco::Exception&) {
            return -1;
        }
        if ((flags & Poco::Net::WebSocket::FRAME_OP_BITMASK) == Poco::Net::WebSocket::FRAME_OP_CLOSE)
            return n >= 2 ? ((static_cast<unsigned char>(buf[0]) << 8) | static_cast<unsigned char>(buf[1])) : 1005;
        if (n == 0 && flags == 0) return -1;
    }
    return -1;
}

}  // namespace till::test
