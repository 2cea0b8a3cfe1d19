#include "api/http_server.hpp"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/WebSocket.h>
#include <Poco/String.h>
#include <Poco/ThreadPool.h>
#include <Poco/URI.h>

#include <algorithm>
#include <functional>
#include <istream>
#include <mutex>
#include <optional>

#include "api/ws_hub.hpp"

namespace till::api {

namespace {

constexpr const char* kEventsPath = "/api/v1/events";

std::optional<sdk::HttpMethod> parse_method(const std::string& m) {
    if (m == "GET") return sdk::HttpMethod::get;
    if (m == "POST") return sdk::HttpMethod::post;
    if (m == "PUT") return sdk::HttpMethod::put;
    if (m == "PATCH") return sdk::HttpMethod::patch;
    if (m == "DELETE") return sdk::HttpMethod::del;
    return std::nullopt;
}

std::string join(const std::vector<std::string>& items, const char* sep) {
    std::string out;
    for (const auto& i : items) {
        if (!out.empty()) out += sep;
        out += i;
    }
    return out;
}

std::vector<std::string> split_topics(const std::string& text) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t comma = text.find(',', start);
        if (comma == std::string::npos) comma = text.size();
        std::string t = Poco::trim(text.substr(start, comma - start));
        if (!t.empty() && std::find(out.begin(), out.end(), t) == out.end()) out.push_back(t);
        start = comma + 1;
    }
    return out;
}

// Framing a proxy and this server could read differently (request
// smuggling) or that HTTP/1.1 forbids: refused before any routing.
std::optional<std::string> framing_problem(const Poco::Net::HTTPServerRequest& in) {
    int content_lengths = 0;
    int hosts = 0;
    for (const auto& [name, value] : in) {
        if (Poco::icompare(name, "content-length") == 0) {
            ++content_lengths;
            if (value.empty() || value.size() > 18 ||
                !std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; }))
                return "Content-Length must be a non-negative decimal number, got '" + value + "'";
        } else if (Poco::icompare(name, "host") == 0) {
            ++hosts;
        }
    }
    if (content_lengths > 1) return std::string("more than one Content-Length header");
    if (content_lengths == 1 && in.has("Transfer-Encoding"))
        return std::string("both Content-Length and Transfer-Encoding given");
    if (in.has("Transfer-Encoding") && Poco::icompare(in.get("Transfer-Encoding"), "chunked") != 0)
        return "unsupported Transfer-Encoding '" + in.get("Transfer-Encoding") + "'";
    if (in.getVersion() == Poco::Net::HTTPMessage::HTTP_1_1 && hosts != 1)
        return std::string("an HTTP/1.1 request needs exactly one Host header");
    return std::nullopt;
}

void send_response(Poco::Net::HTTPServerResponse& out, const sdk::HttpResponse& r) {
    int status = r.status;
    const std::string* body = &r.body;
    std::string content_type = r.content_type;
    sdk::HttpResponse fallback;
    if (status < 100 || status > 599) {
        fallback = sdk::HttpResponse::problem(500, "internal error",
                                              "the handler answered an invalid status code");
        status = 500;
        body = &fallback.body;
        content_type = fallback.content_type;
    }
    out.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
    if (&r.body == body) {
        for (const auto& [name, value] : r.headers) {
            if (Poco::icompare(name, "content-length") == 0 ||
                Poco::icompare(name, "content-type") == 0 ||
                Poco::icompare(name, "transfer-encoding") == 0)
                continue;
            out.set(name, value);
        }
    }
    if (!content_type.empty()) out.setContentType(content_type);
    out.setContentLength64(static_cast<Poco::Int64>(body->size()));
    out.sendBuffer(body->data(), body->size());
}

}  // namespace

struct HttpServer::Impl {
    Impl(ServerSettings s, Router& r, events::EventBusImpl& b, std::shared_ptr<sdk::Logger> l)
        : settings(std::move(s)), router(r), bus(b), logger(std::move(l)) {}

    ServerSettings settings;
    Router& router;
    events::EventBusImpl& bus;
    std::shared_ptr<sdk::Logger> logger;

    std::mutex lifecycle_mutex;
    std::unique_ptr<Poco::ThreadPool> pool;
    std::unique_ptr<Poco::Net::HTTPServer> server;
    std::unique_ptr<WebSocketHub> hub;
    HttpServer::StreamGuard stream_guard;
    int bound_port = 0;

    void log_error(const std::string& m) {
        if (logger) logger->error(m);
    }

    void handle(Poco::Net::HTTPServerRequest& in, Poco::Net::HTTPServerResponse& out);
    void handle_events(Poco::Net::HTTPServerRequest& in, Poco::Net::HTTPServerResponse& out,
                       const std::map<std::string, std::string>& query);
    // Reads the body into `body`; false (and a response in `problem`) when too big.
    bool read_body(Poco::Net::HTTPServerRequest& in, std::string& body,
                   sdk::HttpResponse& problem, bool& must_close);
};

namespace {

using HandleFn = std::function<void(Poco::Net::HTTPServerRequest&, Poco::Net::HTTPServerResponse&)>;

class RequestHandler final : public Poco::Net::HTTPRequestHandler {
public:
    explicit RequestHandler(const HandleFn& fn) : fn_(fn) {}
    void handleRequest(Poco::Net::HTTPServerRequest& in,
                       Poco::Net::HTTPServerResponse& out) override {
        fn_(in, out);
    }

private:
    const HandleFn& fn_;
};

class HandlerFactory final : public Poco::Net::HTTPRequestHandlerFactory {
public:
    explicit HandlerFactory(HandleFn fn) : fn_(std::move(fn)) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(
        const Poco::Net::HTTPServerRequest&) override {
        return new RequestHandler(fn_);
    }

private:
    HandleFn fn_;
};

}  // namespace

bool HttpServer::Impl::read_body(Poco::Net::HTTPServerRequest& in, std::string& body,
                                 sdk::HttpResponse& problem, bool& must_close) {
    const std::int64_t limit = settings.max_body_bytes;
    auto too_big = [&] {
        problem = sdk::HttpResponse::problem(
            413, "payload too large",
            "the request body exceeds the limit of " + std::to_string(limit) + " bytes");
        must_close = true;  // the rest of the body is left unread
        return false;
    };
    if (in.hasContentLength() && in.getContentLength64() > limit) return too_big();
    if (!in.hasContentLength() && !in.getChunkedTransferEncoding()) return true;
    std::istream& stream = in.stream();
    const std::size_t cap = static_cast<std::size_t>(limit) + 1;  // read at most limit + 1
    char buf[8192];
    while (body.size() < cap && stream) {
        stream.read(buf, static_cast<std::streamsize>(std::min(sizeof buf, cap - body.size())));
        body.append(buf, static_cast<std::size_t>(stream.gcount()));
        if (stream.gcount() == 0) break;
    }
    if (static_cast<std::int64_t>(body.size()) > limit) return too_big();
    return true;
}

void HttpServer::Impl::handle(Poco::Net::HTTPServerRequest& in,
                              Poco::Net::HTTPServerResponse& out) {
    std::string owner;
    std::string route_name;
    try {
        sdk::HttpRequest request;
        const std::string& target = in.getURI();
        const auto qpos = target.find('?');
        std::string raw_path = target.substr(0, std::min(qpos, target.find('#')));
        if (raw_path.empty() || raw_path.front() != '/') {
            out.setKeepAlive(false);
            send_response(out, sdk::HttpResponse::problem(
                                   400, "bad request",
                                   "the request target must be an absolute path, got '" +
                                       target + "'"));
            return;
        }
        if (qpos != std::string::npos) {
            std::string raw_query = target.substr(qpos + 1);
            raw_query = raw_query.substr(0, raw_query.find('#'));
            try {
                Poco::URI uri;
                uri.setRawQuery(raw_query);
                for (auto& [k, v] : uri.getQueryParameters()) request.query[k] = v;
            } catch (const Poco::Exception& e) {
                send_response(out, sdk::HttpResponse::problem(
                                       400, "bad request",
                                       "malformed query string: " + e.displayText()));
                return;
            }
        }
        if (auto problem = framing_problem(in)) {
            out.setKeepAlive(false);
            send_response(out, sdk::HttpResponse::problem(400, "bad request", *problem));
            return;
        }
        request.path = raw_path;
        for (const auto& [name, value] : in) request.headers[Poco::toLower(name)] = value;

        const auto method = parse_method(in.getMethod());
        if (raw_path == kEventsPath) {
            if (method == sdk::HttpMethod::get) {
                if (stream_guard) {
                    sdk::HttpResponse refused = stream_guard(request);
                    if (refused.status != 200) {
                        send_response(out, refused);
                        return;
                    }
                }
                handle_events(in, out, request.query);
            } else {
                out.set("Allow", "GET");
                send_response(out, sdk::HttpResponse::problem(
                                       405, "method not allowed",
                                       in.getMethod() + " is not allowed on " + raw_path));
            }
            return;
        }

        Router::Match match = router.match(method.value_or(sdk::HttpMethod::get), raw_path);
        if (match.kind == Router::MatchKind::not_found) {
            send_response(out, sdk::HttpResponse::problem(404, "not found",
                                                          "no route for " + raw_path));
            return;
        }
        if (!method || match.kind == Router::MatchKind::method_not_allowed) {
            out.set("Allow", join(match.allowed_methods, ", "));
            send_response(out, sdk::HttpResponse::problem(
                                   405, "method not allowed",
                                   in.getMethod() + " is not allowed on " + raw_path +
                                       "; allowed: " + join(match.allowed_methods, ", ")));
            return;
        }
        sdk::HttpResponse problem;
        bool must_close = false;
        if (!read_body(in, request.body, problem, must_close)) {
            if (must_close) out.setKeepAlive(false);
            send_response(out, problem);
            return;
        }
        request.method = *method;
        request.path_params = std::move(match.params);
        owner = match.owner;
        route_name = in.getMethod() + " " + raw_path;
        sdk::HttpResponse response;
        try {
            response = match.handler(request);
        } catch (const std::exception& e) {
            log_error("route " + route_name + " of '" + owner + "' threw: " + e.what());
            response = sdk::HttpResponse::problem(500, "internal error",
                                                  "the request could not be completed");
        } catch (...) {
            log_error("route " + route_name + " of '" + owner +
                      "' threw: unknown exception");
            response = sdk::HttpResponse::problem(500, "internal error",
                                                  "the request could not be completed");
        }
        send_response(out, response);
    } catch (const Poco::Exception& e) {
        // Reading the request or writing the answer failed (peer gone, bad framing).
        log_error("http request failed" + (owner.empty() ? "" : " (route of '" + owner + "')") +
                  ": " + e.displayText());
        if (!out.sent()) {
            try {
                out.setKeepAlive(false);
                send_response(out, sdk::HttpResponse::problem(400, "bad request", e.message()));
            } catch (...) {
            }
        }
    } catch (const std::exception& e) {
        log_error(std::string("http request failed: ") + e.what());
        if (!out.sent()) {
            try {
                send_response(out, sdk::HttpResponse::problem(500, "internal error",
                                                              "the request could not be completed"));
            } catch (...) {
            }
        }
    }
}

void HttpServer::Impl::handle_events(Poco::Net::HTTPServerRequest& in,
                                     Poco::Net::HTTPServerResponse& out,
                                     const std::map<std::string, std::string>& query) {
    const std::string upgrade = in.get("Upgrade", "");
    if (Poco::icompare(upgrade, "websocket") != 0) {
        send_response(out, sdk::HttpResponse::problem(
                               400, "websocket required",
                               std::string(kEventsPath) +
                                   " is a WebSocket endpoint: send Upgrade: websocket"));
        return;
    }
    if (!hub || !hub->try_reserve()) {
        send_response(out, sdk::HttpResponse::problem(
                               503, "too many websockets",
                               "the node already serves " +
                                   std::to_string(settings.max_websockets) +
                                   " event streams; try again later"));
        return;
    }
    std::vector<std::string> topics;
    if (auto it = query.find("topics"); it != query.end()) topics = split_topics(it->second);
    if (topics.empty()) topics.push_back("*");
    std::unique_ptr<Poco::Net::WebSocket> socket;
    try {
        socket = std::make_unique<Poco::Net::WebSocket>(in, out);
    } catch (const Poco::Exception& e) {
        hub->release_reservation();
        if (!out.sent())
            send_response(out, sdk::HttpResponse::problem(400, "bad websocket handshake",
                                                          e.message()));
        return;
    }
    hub->adopt(std::move(socket), std::move(topics));
}

void HttpServer::set_event_stream_guard(StreamGuard guard) { impl_->stream_guard = std::move(guard); }

HttpServer::HttpServer(ServerSettings settings, Router& router, events::EventBusImpl& bus,
                       std::shared_ptr<sdk::Logger> logger)
    : impl_(std::make_unique<Impl>(std::move(settings), router, bus, std::move(logger))) {}

HttpServer::~HttpServer() { stop(); }

sdk::Status HttpServer::start() {
    std::lock_guard life(impl_->lifecycle_mutex);
    if (impl_->server) return sdk::Status::failure("invalid_state", "the server is already running");
    const auto& s = impl_->settings;
    if (s.threads < 1 || s.max_body_bytes < 0 || s.max_websockets < 0 || s.port < 0 ||
        s.port > 65535)
        return sdk::Status::failure("invalid_argument",
                                    "server settings: threads must be >= 1, port 0..65535, "
                                    "max_body_bytes and max_websockets >= 0");
    const std::string where = s.host + ":" + std::to_string(s.port);
    Poco::Net::ServerSocket socket;
    try {
        socket.bind(Poco::Net::SocketAddress(s.host, static_cast<Poco::UInt16>(s.port)),
                    /*reuseAddress=*/true, /*reusePort=*/false);
        socket.listen(128);
    } catch (const Poco::Exception& e) {
        return sdk::Status::failure("io_error", "cannot listen on " + where + ": " +
                                                    e.displayText());
    }
    try {
        WebSocketHubSettings hub_settings;
        hub_settings.max_sockets = s.max_websockets;
        auto hub = std::make_unique<WebSocketHub>(hub_settings, impl_->bus, impl_->logger);
        if (auto st = hub->start(); !st) return st;

        auto params = new Poco::Net::HTTPServerParams;
        params->setMaxThreads(s.threads);
        params->setMaxQueued(256);
        params->setKeepAlive(true);
        params->setKeepAliveTimeout(Poco::Timespan(5, 0));
        params->setTimeout(Poco::Timespan(30, 0));
        params->setServerName("tilld");
        auto pool = std::make_unique<Poco::ThreadPool>("till-http", 1, s.threads);
        auto server = std::make_unique<Poco::Net::HTTPServer>(new HandlerFactory([impl = impl_.get()](auto& in, auto& out) { impl->handle(in, out); }), *pool,
                                                              socket, params);
        impl_->hub = std::move(hub);
        impl_->pool = std::move(pool);
        impl_->bound_port = socket.address().port();
        server->start();
        impl_->server = std::move(server);
    } catch (const Poco::Exception& e) {
        impl_->hub.reset();
        impl_->pool.reset();
        return sdk::Status::failure("io_error", "cannot start the HTTP server on " + where +
                                                    ": " + e.displayText());
    }
    if (impl_->logger)
        impl_->logger->info("http server listening on " + s.host + ":" +
                            std::to_string(impl_->bound_port));
    return {};
}

int HttpServer::port() const noexcept { return impl_->bound_port; }

void HttpServer::stop() {
    std::lock_guard life(impl_->lifecycle_mutex);
    if (!impl_->server) return;
    // Stop accepting; idle keep-alive connections are shut, running requests
    // finish their answer first (Poco waits for each connection's request).
    impl_->server->stopAll(false);
    impl_->hub->stop();  // close 1001, bounded wait for the peers
    impl_->pool->joinAll();
    impl_->server.reset();
    impl_->hub.reset();
    impl_->pool.reset();
}

}  // namespace till::api
