// sync_http: the plugin glue. Registers the transport "http" at registration
// (so the sync engine finds it), and on start reads the config, sets up TLS
// and starts the notification WebSocket.
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include <Poco/Net/NetSSL.h>

#include <till/sdk/host.hpp>
#include <till/sdk/plugin.hpp>

#include "hq_endpoint.hpp"
#include "http_options.hpp"
#include "http_transport.hpp"
#include "notify_listener.hpp"

namespace {

using namespace till::sdk;
using namespace till::sync_http;

constexpr const char* kPluginId = "sync_http";

/// Forwards to the real transport, which exists only once on_start has read
/// the config and the node's data folder; answers failed before that.
class TransportSlot final : public SyncTransport {
public:
    std::string id() const override { return "http"; }
    PushResult push(const SyncBatch& batch, std::int64_t timeout_ms) override {
        auto t = get();
        if (!t) return {TransportStatus::failed, {}, "sync_http is not started"};
        return t->push(batch, timeout_ms);
    }
    PullResult pull(std::int64_t since_revision, std::int64_t timeout_ms) override {
        auto t = get();
        if (!t) return {TransportStatus::failed, since_revision, false, {}, "sync_http is not started"};
        return t->pull(since_revision, timeout_ms);
    }
    void set_notify_handler(NotifyHandler handler) override {
        std::shared_ptr<HttpTransport> t;
        {
            std::lock_guard lock(mutex_);
            pending_handler_ = handler;
            t = transport_;
        }
        if (t) t->set_notify_handler(std::move(handler));
    }
    void install(std::shared_ptr<HttpTransport> transport) {
        NotifyHandler handler;
        {
            std::lock_guard lock(mutex_);
            transport_ = transport;
            handler = pending_handler_;
        }
        if (transport && handler) transport->set_notify_handler(std::move(handler));
    }
    std::shared_ptr<HttpTransport> get() {
        std::lock_guard lock(mutex_);
        return transport_;
    }

private:
    std::mutex mutex_;
    std::shared_ptr<HttpTransport> transport_;
    NotifyHandler pending_handler_;
};

class SyncHttpPlugin final : public Plugin {
public:
    Status on_register(Registrar& registrar) override {
        slot_ = std::make_shared<TransportSlot>();
        return registrar.add_sync_transport(slot_);
    }

    Status on_start(Host& host) override {
        namespace fs = std::filesystem;
        const std::string plugin_dir = (fs::path(host.node().data_dir) / "plugins" / kPluginId).string();
        std::error_code ec;
        fs::create_directories(plugin_dir, ec);  // where a relative token_file / ca_file lives
        if (ec) return Status::failure("io_error", "cannot create " + plugin_dir + ": " + ec.message());
        auto options = read_options(host.config(), plugin_dir);
        if (!options) return options.status();

        Poco::Net::initializeSSL();
        ssl_initialised_ = true;

        std::optional<HqEndpoint> endpoint;
        if (!options->hq_url.empty()) {
            auto created = HqEndpoint::create(options->hq_url, {options->ca_file, options->verify_tls});
            if (!created) return created.status();
            endpoint = std::move(*created);
        } else {
            host.logger().warn("sync_http.hq_url is empty: the http transport answers \"not configured\"");
        }
        TokenSource token(options->token, options->token_file);
        auto transport = std::make_shared<HttpTransport>(endpoint, token, options->compress,
                                                         options->pull_max_changes, host.logger());
        if (endpoint && options->notify && host.sync_hub() == nullptr) {
            NotifyOptions notify{options->reconnect_initial_ms, options->reconnect_max_ms, 10000};
            auto listener = std::make_shared<NotifyListener>(*endpoint, token, notify, host.logger());
            transport->attach_listener(listener);
            listener->start();
        }
        slot_->install(transport);
        if (endpoint) host.logger().info("sync transport http: HQ at " + endpoint->describe());
        return {};
    }

    void on_stop() noexcept override {
        if (slot_) {
            if (auto transport = slot_->get()) {
                if (auto listener = transport->detach_listener()) listener->stop();
            }
            slot_->install(nullptr);
        }
        if (ssl_initialised_) {
            Poco::Net::uninitializeSSL();
            ssl_initialised_ = false;
        }
    }

private:
    std::shared_ptr<TransportSlot> slot_;
    bool ssl_initialised_ = false;
};

}  // namespace

TILL_PLUGIN(SyncHttpPlugin, "sync_http", "0.1.0")
