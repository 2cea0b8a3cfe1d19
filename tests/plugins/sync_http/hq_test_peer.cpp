#include "hq_test_peer.hpp"

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <Poco/DeflatingStream.h>
#include <Poco/Exception.h>
#include <Poco/InflatingStream.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/NetSSL.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/WebSocket.h>
#include <Poco/StreamCopier.h>
#include <Poco/ThreadPool.h>
#include <Poco/URI.h>

namespace till::test {

using Poco::Net::HTTPResponse;
using Poco::Net::HTTPServerRequest;
using Poco::Net::HTTPServerResponse;
using Poco::Net::WebSocket;

struct HqTestPeer::State {
    HqPeerOptions options;
    int port = 0;
    bool tls = false;
    mutable std::mutex mutex;
    std::map<std::string, std::string> tokens;  // token → store
    std::set<std::string> revoked;
    std::vector<sdk::Value> events;
    std::set<std::string> event_ids;
    std::map<std::string, std::int64_t> acked_sequence;  // store → S
    std::map<std::string, std::set<std::int64_t>> sequences;
    std::vector<sdk::Value> changes;
    int forced_status = 0;
    std::string forced_detail;
    int batches = 0;
    PeerRequest last;
    std::map<std::string, PeerRequest> last_by_path;  // by URI path
    std::set<std::shared_ptr<WebSocket>> sockets;
    std::atomic<bool> stopping{false};
    std::atomic<int> ws_active{0};

    Poco::Net::Context::Ptr context;
    std::unique_ptr<Poco::ThreadPool> pool;
    std::unique_ptr<Poco::Net::HTTPServer> server;

    std::int64_t revision() const { return changes.empty() ? 0 : changes.back()["revision"].as_int(); }
};

namespace {

std::string gzip(const std::string& data) {
    std::ostringstream out;
    Poco::DeflatingOutputStream z(out, Poco::DeflatingStreamBuf::STREAM_GZIP);
    z << data;
    z.close();
    return out.str();
}

void send(HTTPServerResponse& response, int status, const std::string& content_type, const std::string& body,
          bool gzip_ok, PeerRequest* seen) {
    response.setStatusAndReason(static_cast<HTTPResponse::HTTPStatus>(status));
    response.setContentType(content_type);
    std::string payload = body;
    if (gzip_ok) {
        payload = gzip(body);
        response.set("Content-Encoding", "gzip");
        if (seen) seen->answered_gzip = true;
    }
    response.setContentLength(static_cast<std::streamsize>(payload.size()));
    response.send() << payload;
}

void problem(HTTPServerResponse& response, int status, const std::string& title, const std::string& detail) {
    sdk::Value p = sdk::Value::map();
    p.set("title", title);
    p.set("detail", detail);
    p.set("status", status);
    send(response, status, "application/problem+json", p.to_json(), false, nullptr);
}

class PeerHandler final : public Poco::Net::HTTPRequestHandler {
public:
    explicit PeerHandler(std::shared_ptr<HqTestPeer::State> state) : state_(std::move(state)) {}

    void handleRequest(HTTPServerRequest& request, HTTPServerResponse& response) override {
        Poco::URI uri(request.getURI());
        const std::string path = uri.getPath();
        {
            std::lock_guard lock(state_->mutex);
            state_->last = {request.getMethod(), request.getURI(), request.get("Authorization", ""),
                            request.get("Content-Encoding", ""), request.get("Accept-Encoding", ""), false};
            state_->last_by_path[path] = state_->last;
        }
        auto store = authenticate(request, uri);
        if (path == "/sync/v1/notify") return notify(request, response, store);
        if (store.empty()) return problem(response, 401, "Unauthorized", "sync token unknown or revoked");
        {
            std::lock_guard lock(state_->mutex);
            if (state_->forced_status != 0)
                return problem(response, state_->forced_status, "Forced", state_->forced_detail);
        }
        if (path == "/sync/v1/batches" && request.getMethod() == "POST") return push(request, response, store);
        if (path == "/sync/v1/changes" && request.getMethod() == "GET") return pull(request, response, uri, store);
        problem(response, 404, "Not Found", "no route " + path);
    }

private:
    std::string authenticate(HTTPServerRequest& request, const Poco::URI& uri) {
        std::string token;
        const std::string auth = request.get("Authorization", "");
        if (auth.rfind("Bearer ", 0) == 0) token = auth.substr(7);
        for (const auto& [k, v] : uri.getQueryParameters())
            if (k == "token" && token.empty()) token = v;
        std::lock_guard lock(state_->mutex);
        if (state_->revoked.count(token)) return {};
        auto it = state_->tokens.find(token);
        return it == state_->tokens.end() ? std::string() : it->second;
    }

    void push(HTTPServerRequest& request, HTTPServerResponse& response, const std::string& store) {
        std::string raw;
        Poco::StreamCopier::copyToString(request.stream(), raw);
        std::string text = raw;
        if (request.get("Content-Encoding", "") == "gzip") {
            try {
                std::istringstream in(raw);
                Poco::InflatingInputStream z(in, Poco::InflatingStreamBuf::STREAM_GZIP);
                text.clear();
                Poco::StreamCopier::copyToString(z, text);
            } catch (const Poco::Exception& e) {
                return problem(response, 400, "Bad Request", "body is not valid gzip: " + e.displayText());
            }
        }
        auto parsed = sdk::Value::parse_json(text);
        if (!parsed) return problem(response, 400, "Bad Request", "body is not JSON: " + parsed.error().message);
        const sdk::Value& batch = *parsed;
        if (batch["schema"].as_int(-1) != 1) return problem(response, 422, "Unprocessable", "schema: expected 1");
        if (batch["node_id"].as_string() != store)
            return problem(response, 403, "Forbidden", "node_id is not this token's store");
        const auto& events = batch["events"].as_list();
        for (std::size_t i = 0; i < events.size(); ++i) {
            const auto& e = events[i];
            if (!e["event_id"].is_string() || e["sequence"].as_int(0) <= 0 || !e["hlc"].is_string())
                return problem(response, 422, "Unprocessable",
                               "events[" + std::to_string(i) + "]: event_id, sequence and hlc are required");
        }
        sdk::Value answer = sdk::Value::map();
        sdk::Value ids = sdk::Value::list();
        int applied = 0, duplicates = 0;
        std::int64_t acked = 0;
        {
            std::lock_guard lock(state_->mutex);
            ++state_->batches;
            auto& seqs = state_->sequences[store];
            for (const auto& e : events) {
                const std::string id = e["event_id"].as_string();
                if (state_->event_ids.insert(id).second) {
                    state_->events.push_back(e);
                    seqs.insert(e["sequence"].as_int());
                    ++applied;
                } else {
                    ++duplicates;
                }
                ids.push_back(id);
            }
            std::int64_t s = 0;
            while (seqs.count(s + 1)) ++s;
            state_->acked_sequence[store] = s;
            acked = s;
        }
        answer.set("acknowledged_event_ids", ids);
        answer.set("applied", applied);
        answer.set("duplicates", duplicates);
        answer.set("acknowledged_sequence", static_cast<long long>(acked));
        send(response, 200, "application/json", answer.to_json(), false, nullptr);
    }

    void pull(HTTPServerRequest& request, HTTPServerResponse& response, const Poco::URI& uri,
              const std::string& store) {
        std::int64_t since = -1, limit = 1000;
        try {
            for (const auto& [k, v] : uri.getQueryParameters()) {
                if (k == "since") since = std::stoll(v);
                if (k == "limit") limit = std::stoll(v);
            }
        } catch (const std::exception&) {
            return problem(response, 400, "Bad Request", "since and limit must be integers");
        }
        if (since < 0) return problem(response, 400, "Bad Request", "since: required, an integer >= 0");
        sdk::Value answer = sdk::Value::map();
        sdk::Value list = sdk::Value::list();
        std::int64_t newest = since;
        bool more = false;
        {
            std::lock_guard lock(state_->mutex);
            for (const auto& c : state_->changes) {
                if (c["revision"].as_int() <= since) continue;
                if (static_cast<std::int64_t>(list.size()) >= limit) {
                    more = true;
                    break;
                }
                list.push_back(c);
                newest = c["revision"].as_int();
            }
            answer.set("acknowledged_sequence", static_cast<long long>(state_->acked_sequence[store]));
        }
        answer.set("schema", 1);
        answer.set("revision", static_cast<long long>(newest));
        answer.set("more", more);
        answer.set("changes", list);
        const bool gz = request.get("Accept-Encoding", "").find("gzip") != std::string::npos;
        PeerRequest* seen = nullptr;
        {
            std::lock_guard lock(state_->mutex);
            seen = &state_->last;
            if (gz) seen->answered_gzip = true;
            if (gz) state_->last_by_path[uri.getPath()].answered_gzip = true;
        }
        send(response, 200, "application/json", answer.to_json(), gz, nullptr);
    }

    void notify(HTTPServerRequest& request, HTTPServerResponse& response, const std::string& store) {
        if (store.empty()) return problem(response, 401, "Unauthorized", "sync token unknown or revoked");
        std::shared_ptr<WebSocket> ws;
        try {
            ws = std::make_shared<WebSocket>(request, response);
        } catch (const Poco::Exception& e) {
            return;
        }
        ++state_->ws_active;
        {
            std::lock_guard lock(state_->mutex);
            const std::string hello =
                "{\"type\":\"revision\",\"revision\":" + std::to_string(state_->revision()) + "}";
            try {
                ws->sendFrame(hello.data(), static_cast<int>(hello.size()), WebSocket::FRAME_TEXT);
            } catch (const Poco::Exception&) {
                // The store went away (or stop() aborted it) before the hello:
                // leave no socket behind (notify_clients() must drop to 0).
                --state_->ws_active;
                return;
            }
            state_->sockets.insert(ws);
        }
        char buffer[1024];
        ws->setReceiveTimeout(Poco::Timespan(0, 100000));
        while (!state_->stopping) {
            try {
                int flags = 0;
                const int n = ws->receiveFrame(buffer, sizeof buffer, flags);
                const int op = flags & WebSocket::FRAME_OP_BITMASK;
                if ((n == 0 && flags == 0) || op == WebSocket::FRAME_OP_CLOSE) break;
                if (op == WebSocket::FRAME_OP_PING) {
                    std::lock_guard lock(state_->mutex);
                    ws->sendFrame(buffer, n,
                                  static_cast<int>(WebSocket::FRAME_FLAG_FIN) |
                                      static_cast<int>(WebSocket::FRAME_OP_PONG));
                }
            } catch (const Poco::TimeoutException&) {
            } catch (const Poco::Exception&) {
                break;
            }
        }
        {
            std::lock_guard lock(state_->mutex);
            state_->sockets.erase(ws);
        }
        try {
            ws->shutdown();
        } catch (const Poco::Exception&) {
        }
        --state_->ws_active;
    }

    std::shared_ptr<HqTestPeer::State> state_;
};

class PeerFactory final : public Poco::Net::HTTPRequestHandlerFactory {
public:
    explicit PeerFactory(std::shared_ptr<HqTestPeer::State> state) : state_(std::move(state)) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(const HTTPServerRequest&) override {
        return new PeerHandler(state_);
    }

private:
    std::shared_ptr<HqTestPeer::State> state_;
};

}  // namespace

HqTestPeer::HqTestPeer(HqPeerOptions options) : state_(std::make_shared<State>()) {
    state_->options = std::move(options);
    state_->tls = !state_->options.cert_file.empty();
    state_->port = state_->options.port;
    if (state_->tls) {
        Poco::Net::initializeSSL();
        state_->context = new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, state_->options.key_file,
                                                 state_->options.cert_file, "", Poco::Net::Context::VERIFY_NONE);
    }
    start();
}

HqTestPeer::~HqTestPeer() {
    stop();
    if (state_->tls) Poco::Net::uninitializeSSL();
}

void HqTestPeer::start() {
    if (state_->server) return;
    state_->stopping = false;
    const Poco::Net::SocketAddress address("127.0.0.1", static_cast<Poco::UInt16>(state_->port));
    std::unique_ptr<Poco::Net::ServerSocket> socket;
    if (state_->tls)
        socket = std::make_unique<Poco::Net::SecureServerSocket>(address, 64, state_->context);
    else
        socket = std::make_unique<Poco::Net::ServerSocket>(address, 64);
    state_->port = socket->address().port();
    auto params = new Poco::Net::HTTPServerParams;
    params->setMaxThreads(16);
    params->setKeepAlive(false);
    state_->pool = std::make_unique<Poco::ThreadPool>(2, 16);
    state_->server = std::make_unique<Poco::Net::HTTPServer>(new PeerFactory(state_), *state_->pool, *socket, params);
    state_->server->start();
}

void HqTestPeer::stop() {
    if (!state_->server) return;
    state_->stopping = true;
    state_->server->stopAll(true);
    for (int i = 0; i < 200 && state_->ws_active > 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    state_->pool->joinAll();
    state_->server.reset();
    state_->pool.reset();
}

int HqTestPeer::port() const { return state_->port; }

std::string HqTestPeer::url() const {
    return std::string(state_->tls ? "https" : "http") + "://127.0.0.1:" + std::to_string(state_->port);
}

void HqTestPeer::add_token(const std::string& token, const std::string& store_id) {
    std::lock_guard lock(state_->mutex);
    state_->tokens[token] = store_id;
}

void HqTestPeer::revoke_token(const std::string& token) {
    std::lock_guard lock(state_->mutex);
    state_->revoked.insert(token);
}

std::int64_t HqTestPeer::add_change(const std::string& type, const std::string& entity_id, sdk::Value payload) {
    std::lock_guard lock(state_->mutex);
    sdk::Value c = sdk::Value::map();
    const std::int64_t revision = state_->revision() + 1;
    c.set("revision", static_cast<long long>(revision));
    c.set("type", type);
    c.set("entity_id", entity_id);
    c.set("payload", std::move(payload));
    c.set("created_utc_ms", 1768471200000LL);
    state_->changes.push_back(std::move(c));
    return revision;
}

void HqTestPeer::announce() {
    std::lock_guard lock(state_->mutex);
    const std::string text = "{\"type\":\"revision\",\"revision\":" + std::to_string(state_->revision()) + "}";
    for (const auto& ws : state_->sockets) {
        try {
            ws->sendFrame(text.data(), static_cast<int>(text.size()), WebSocket::FRAME_TEXT);
        } catch (const Poco::Exception&) {
        }
    }
}

void HqTestPeer::force_status(int status, std::string detail) {
    std::lock_guard lock(state_->mutex);
    state_->forced_status = status;
    state_->forced_detail = std::move(detail);
}

std::vector<sdk::Value> HqTestPeer::events() const {
    std::lock_guard lock(state_->mutex);
    return state_->events;
}

int HqTestPeer::batches_received() const {
    std::lock_guard lock(state_->mutex);
    return state_->batches;
}

PeerRequest HqTestPeer::last_request() const {
    std::lock_guard lock(state_->mutex);
    return state_->last;
}

PeerRequest HqTestPeer::last_request(const std::string& path) const {
    std::lock_guard lock(state_->mutex);
    auto it = state_->last_by_path.find(path);
    return it == state_->last_by_path.end() ? PeerRequest{} : it->second;
}

int HqTestPeer::notify_clients() const {
    std::lock_guard lock(state_->mutex);
    return static_cast<int>(state_->sockets.size());
}

}  // namespace till::test
