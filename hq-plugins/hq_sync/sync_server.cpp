#include "sync_server.hpp"

#include <Poco/Exception.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/String.h>
#include <Poco/ThreadPool.h>
#include <Poco/URI.h>

#include <atomic>
#include <istream>
#include <mutex>

#include "notify_hub.hpp"
#include "ws_frame.hpp"

namespace till::hq_sync {
namespace {

constexpr const char* kBatchesPath = "/sync/v1/batches";
constexpr const char* kChangesPath = "/sync/v1/changes";
constexpr const char* kNotifyPath = "/sync/v1/notify";
constexpr std::int64_t kDrainBytes = 16LL * 1024 * 1024;

void send(Poco::Net::HTTPServerResponse& out, const sdk::HttpResponse& r) {
    out.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(r.status));
    out.setContentType(r.content_type);
    for (const auto& [name, value] : r.headers) out.set(name, value);
    out.setContentLength64(static_cast<Poco::Int64>(r.body.size()));
    out.send().write(r.body.data(), static_cast<std::streamsize>(r.body.size()));
}

sdk::HttpRequest to_sdk(Poco::Net::HTTPServerRequest& in, const Poco::URI& uri) {
    sdk::HttpRequest r;
    r.method = in.getMethod() == "POST" ? sdk::HttpMethod::post : sdk::HttpMethod::get;
    r.path = uri.getPath();
    for (const auto& [name, value] : in) r.headers[Poco::toLower(name)] = value;
    for (const auto& [name, value] : uri.getQueryParameters()) r.query[name] = value;
    return r;
}

/// Reads at most max_bytes + 1 bytes of the body: more means "too large".
bool read_body(Poco::Net::HTTPServerRequest& in, std::int64_t max_bytes, std::string& body) {
    std::istream& stream = in.stream();
    char buf[65536];
    while (stream) {
        stream.read(buf, sizeof buf);
        body.append(buf, static_cast<std::size_t>(stream.gcount()));
        if (static_cast<std::int64_t>(body.size()) > max_bytes) return false;
    }
    return true;
}

/// Reads and drops up to `max_bytes` more of a body that is refused, so the
/// client has sent it all and reads our 413 instead of a broken pipe.
void drain_body(Poco::Net::HTTPServerRequest& in, std::int64_t max_bytes) {
    std::istream& stream = in.stream();
    char buf[65536];
    std::int64_t dropped = 0;
    while (stream && dropped < max_bytes) {
        stream.read(buf, sizeof buf);
        dropped += stream.gcount();
    }
}

class Handler final : public Poco::Net::HTTPRequestHandler {
public:
    using Fn = std::function<void(Poco::Net::HTTPServerRequest&, Poco::Net::HTTPServerResponse&)>;
    explicit Handler(const Fn& fn) : fn_(fn) {}
    void handleRequest(Poco::Net::HTTPServerRequest& in, Poco::Net::HTTPServerResponse& out) override { fn_(in, out); }

private:
    const Fn& fn_;
};

class Factory final : public Poco::Net::HTTPRequestHandlerFactory {
public:
    explicit Factory(Handler::Fn fn) : fn_(std::move(fn)) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
        return new Handler(fn_);
    }

private:
    Handler::Fn fn_;
};

}  // namespace

struct SyncServer::Impl {
    Impl(Settings s, sdk::SyncHub& h, std::shared_ptr<sdk::Logger> l)
        : settings(std::move(s)),
          hub(h),
          logger(std::move(l)),
          endpoints(hub, settings),
          notify(NotifyHubSettings{settings.max_notify_connections, settings.ping_interval_ms,
                                   [hub = &h](const std::string& token) {
                                       auto store = hub->authenticate_store(token);
                                       // Only a refused token closes the socket; a storage fault keeps it.
                                       return store.ok() || (store.error().code != "unauthorized" &&
                                                             store.error().code != "unauthorised");
                                   }},
                 logger) {}

    Settings settings;
    sdk::SyncHub& hub;
    std::shared_ptr<sdk::Logger> logger;
    SyncEndpoints endpoints;
    NotifyHub notify;
    std::unique_ptr<Poco::ThreadPool> pool;
    std::unique_ptr<Poco::Net::HTTPServer> server;
    bool ssl_initialised = false;
    std::atomic<int> bound_port{0};
    std::atomic<bool> running{false};
    std::mutex lifecycle_mutex;

    void warn(const std::string& m) {
        if (logger) logger->warn(m);
    }

    void handle(Poco::Net::HTTPServerRequest& in, Poco::Net::HTTPServerResponse& out) {
        try {
            const Poco::URI uri(in.getURI());
            const std::string path = uri.getPath();
            const std::string& method = in.getMethod();
            const char* allowed = nullptr;
            if (path == kBatchesPath) allowed = "POST";
            else if (path == kChangesPath || path == kNotifyPath) allowed = "GET";
            if (!allowed) {
                send(out, sdk::HttpResponse::problem(404, "not found",
                                                     "no sync route " + path + " (routes: POST " + kBatchesPath +
                                                         ", GET " + kChangesPath + ", GET " + kNotifyPath + ")"));
                return;
            }
            if (method != allowed) {
                auto r = sdk::HttpResponse::problem(405, "method not allowed", path + " accepts " + allowed + " only");
                r.headers["Allow"] = allowed;
                send(out, r);
                return;
            }
            sdk::HttpRequest request = to_sdk(in, uri);
            if (path == kNotifyPath) return upgrade(in, out, request);
            Caller caller = endpoints.authenticate(request, false);
            if (!caller.ok) {
                // Read (and drop) a pushed body first: answering and closing
                // with it unread resets the connection, and the store would
                // see "offline" instead of this 401.
                if (!in.hasContentLength() || in.getContentLength64() <= kDrainBytes) drain_body(in, kDrainBytes);
                out.setKeepAlive(false);
                send(out, caller.refusal);
                return;
            }
            if (path == kChangesPath) {
                send(out, endpoints.pull(caller.store_id, request));
                return;
            }
            // A body over the limit is refused; up to kDrainBytes of it are
            // read first so the store gets the 413 rather than a reset.
            const bool declared_too_large =
                in.hasContentLength() && in.getContentLength64() > settings.max_body_bytes;
            if (declared_too_large || !read_body(in, settings.max_body_bytes, request.body)) {
                request.body.clear();
                if (!declared_too_large || in.getContentLength64() <= settings.max_body_bytes + kDrainBytes)
                    drain_body(in, kDrainBytes);
                endpoints.stats().batches_refused.fetch_add(1);
                out.setKeepAlive(false);
                send(out, endpoints.body_too_large());
                return;
            }
            send(out, endpoints.push(caller.store_id, request));
        } catch (const Poco::Exception& e) {
            warn("sync request failed: " + e.displayText());
            if (!out.sent()) {
                try {
                    out.setKeepAlive(false);
                    send(out, sdk::HttpResponse::problem(400, "bad request", e.message()));
                } catch (...) {
                }
            }
        } catch (const std::exception& e) {
            warn(std::string("sync request failed: ") + e.what());
            if (!out.sent()) {
                try {
                    send(out, sdk::HttpResponse::problem(500, "internal error", "the request could not be completed"));
                } catch (...) {
                }
            }
        }
    }

    void upgrade(Poco::Net::HTTPServerRequest& in, Poco::Net::HTTPServerResponse& out,
                 const sdk::HttpRequest& request) {
        if (Poco::icompare(in.get("Upgrade", ""), "websocket") != 0) {
            send(out, sdk::HttpResponse::problem(400, "websocket required",
                                                 std::string(kNotifyPath) +
                                                     " is a WebSocket endpoint: send Upgrade: websocket"));
            return;
        }
        Caller caller = endpoints.authenticate(request, true);
        if (!caller.ok) {
            send(out, caller.refusal);
            return;
        }
        const std::string key = in.get("Sec-WebSocket-Key", "");
        if (key.empty() || in.get("Sec-WebSocket-Version", "") != "13") {
            auto r = sdk::HttpResponse::problem(400, "bad websocket handshake",
                                                "expected Sec-WebSocket-Key and Sec-WebSocket-Version: 13");
            r.headers["Sec-WebSocket-Version"] = "13";
            send(out, r);
            return;
        }
        if (!notify.try_reserve()) {
            auto r = sdk::HttpResponse::problem(
                503, "too many stores connected",
                "this HQ node already holds " + std::to_string(settings.max_notify_connections) +
                    " notify connections (max_notify_connections); stores fall back to polling");
            r.headers["Retry-After"] = "30";
            send(out, r);
            return;
        }
        auto revision = hub.current_revision();
        try {
            out.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_SWITCHING_PROTOCOLS);
            out.set("Upgrade", "websocket");
            out.set("Connection", "Upgrade");
            out.set("Sec-WebSocket-Accept", ws::accept_key(key));
            out.setContentLength(Poco::Net::HTTPMessage::UNKNOWN_CONTENT_LENGTH);
            out.send().flush();
            Poco::Net::StreamSocket socket = static_cast<Poco::Net::HTTPServerRequestImpl&>(in).detachSocket();
            notify.adopt(std::move(socket), caller.store_id, caller.token, revision ? *revision : 0);
        } catch (...) {
            notify.release_reservation();
            throw;
        }
    }
};

SyncServer::SyncServer(Settings settings, sdk::SyncHub& hub, std::shared_ptr<sdk::Logger> logger)
    : impl_(std::make_unique<Impl>(std::move(settings), hub, std::move(logger))) {}

SyncServer::~SyncServer() { stop(); }

sdk::Status SyncServer::start() {
    std::lock_guard life(impl_->lifecycle_mutex);
    if (impl_->server) return sdk::Status::failure("invalid_state", "the sync server is already running");
    const auto& s = impl_->settings;
    const std::string where = s.host + ":" + std::to_string(s.port);
    std::unique_ptr<Poco::Net::ServerSocket> socket;
    try {
        if (s.tls()) {
            Poco::Net::initializeSSL();
            impl_->ssl_initialised = true;
            Poco::Net::Context::Ptr context;
            try {
                context = new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, s.tls_key_file, s.tls_cert_file,
                                                 "", Poco::Net::Context::VERIFY_NONE);
            } catch (const Poco::Exception& e) {
                return sdk::Status::failure("invalid_config", "hq_sync: cannot use tls_cert_file " + s.tls_cert_file +
                                                                  " / tls_key_file " + s.tls_key_file + ": " +
                                                                  e.displayText());
            }
            socket = std::make_unique<Poco::Net::SecureServerSocket>(context);
        } else {
            socket = std::make_unique<Poco::Net::ServerSocket>();
        }
        socket->bind(Poco::Net::SocketAddress(s.host, static_cast<Poco::UInt16>(s.port)), /*reuseAddress=*/true,
                     /*reusePort=*/false);
        socket->listen(1024);  // many stores reconnect at once after an HQ restart
    } catch (const Poco::Exception& e) {
        return sdk::Status::failure("io_error", "hq_sync cannot listen on " + where + ": " + e.displayText());
    }
    if (auto st = impl_->notify.start(); !st) return st;
    try {
        auto params = new Poco::Net::HTTPServerParams;
        params->setMaxThreads(s.worker_threads);
        params->setMaxQueued(1024);
        // Poco holds a worker thread for each kept-alive connection while it
        // idles: by default answer and close, so 8 workers serve 1,000 stores.
        params->setKeepAlive(s.keep_alive_timeout_ms > 0);
        if (s.keep_alive_timeout_ms > 0)
            params->setKeepAliveTimeout(Poco::Timespan(s.keep_alive_timeout_ms * 1000));
        params->setTimeout(Poco::Timespan(60, 0));
        params->setServerName("till-hq-sync");
        impl_->pool = std::make_unique<Poco::ThreadPool>("hq-sync", 1, s.worker_threads);
        impl_->server = std::make_unique<Poco::Net::HTTPServer>(
            new Factory([impl = impl_.get()](auto& in, auto& out) { impl->handle(in, out); }), *impl_->pool,
            *socket, params);
        impl_->bound_port = socket->address().port();
        impl_->server->start();
        impl_->running = true;
    } catch (const Poco::Exception& e) {
        impl_->server.reset();
        impl_->pool.reset();
        impl_->notify.stop();
        return sdk::Status::failure("io_error", "hq_sync cannot start its server on " + where + ": " + e.displayText());
    }
    return {};
}

void SyncServer::stop() {
    std::lock_guard life(impl_->lifecycle_mutex);
    impl_->running = false;
    if (impl_->server) {
        try {
            impl_->server->stopAll(true);
        } catch (...) {
        }
        impl_->pool->joinAll();
        impl_->server.reset();
        impl_->pool.reset();
    }
    impl_->notify.stop();
    if (impl_->ssl_initialised) {
        Poco::Net::uninitializeSSL();
        impl_->ssl_initialised = false;
    }
}

void SyncServer::announce_revision(std::int64_t revision) { impl_->notify.broadcast(revision); }

int SyncServer::port() const noexcept { return impl_->bound_port.load(); }

sdk::Value SyncServer::status() const {
    const auto& s = impl_->settings;
    auto& st = impl_->endpoints.stats();
    sdk::Value v = sdk::Value::map();
    v.set("running", impl_->running.load());
    v.set("listen", s.host + ":" + std::to_string(impl_->bound_port.load()));
    v.set("tls", s.tls());
    v.set("worker_threads", s.worker_threads);
    v.set("connected_stores", impl_->notify.store_count());
    v.set("notify_connections", impl_->notify.connection_count());
    v.set("max_notify_connections", s.max_notify_connections);
    v.set("announced_revision", static_cast<long long>(impl_->notify.newest_revision()));
    v.set("batches_accepted", static_cast<long long>(st.batches_accepted.load()));
    v.set("batches_refused", static_cast<long long>(st.batches_refused.load()));
    v.set("events_applied", static_cast<long long>(st.events_applied.load()));
    v.set("events_duplicate", static_cast<long long>(st.events_duplicate.load()));
    v.set("pulls", static_cast<long long>(st.pulls.load()));
    v.set("unauthorised", static_cast<long long>(st.unauthorised.load()));
    return v;
}

}  // namespace till::hq_sync
