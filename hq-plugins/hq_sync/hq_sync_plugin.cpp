// hq_sync: the HQ end of store sync over HTTP(S). Loads on an HQ node only
// (Host::sync_hub() is null on a store); the kernel's SyncHub does the work,
// this plugin carries bytes (sync_server.hpp) and announces revisions.
#include <memory>
#include <mutex>

#include "settings.hpp"
#include "sync_server.hpp"
#include "till/sdk/host.hpp"
#include "till/sdk/plugin.hpp"

namespace till::hq_sync {

class HqSyncPlugin final : public sdk::Plugin {
public:
    sdk::Status on_register(sdk::Registrar& registrar) override {
        // The node's router: counts only (anonymous plugin routes are a known limit).
        return registrar.add_route(sdk::HttpMethod::get, "/api/v1/hq-sync/status",
                                   [state = state_](const sdk::HttpRequest&) {
                                       std::lock_guard lock(state->mutex);
                                       if (!state->server) {
                                           sdk::Value v = sdk::Value::map();
                                           v.set("running", false);
                                           return sdk::HttpResponse::json(v);
                                       }
                                       return sdk::HttpResponse::json(state->server->status());
                                   });
    }

    sdk::Status on_start(sdk::Host& host) override {
        sdk::SyncHub* hub = host.sync_hub();
        if (!hub)
            return sdk::Status::failure("unsupported",
                                        "hq_sync runs on an HQ node only (node.role: hq); this node is a store — "
                                        "stores use sync_http to reach HQ");
        auto settings = read_settings(host.config(), host.node().data_dir);
        if (!settings) return settings.status();
        // The plugin's logger lives as long as the Host, which outlives the server.
        std::shared_ptr<sdk::Logger> logger(&host.logger(), [](sdk::Logger*) {});
        auto server = std::make_shared<SyncServer>(*settings, *hub, logger);
        if (auto st = server->start(); !st) return st;
        {
            std::lock_guard lock(state_->mutex);
            state_->server = server;
        }
        hub_ = hub;
        plugin_id_ = host.plugin_id();
        hub_->set_revision_handler(plugin_id_, [weak = std::weak_ptr<SyncServer>(server)](std::int64_t revision) {
            if (auto s = weak.lock()) s->announce_revision(revision);
        });
        host.logger().info("hq_sync listening on " + settings->host + ":" + std::to_string(server->port()) +
                           (settings->tls() ? " (https)" : " (http)"));
        return {};
    }

    void on_stop() noexcept override {
        if (hub_) hub_->set_revision_handler(plugin_id_, {});
        hub_ = nullptr;
        std::shared_ptr<SyncServer> server;
        {
            std::lock_guard lock(state_->mutex);
            server.swap(state_->server);
        }
        if (server) server->stop();
    }

private:
    struct State {
        std::mutex mutex;
        std::shared_ptr<SyncServer> server;
    };
    std::shared_ptr<State> state_ = std::make_shared<State>();
    sdk::SyncHub* hub_ = nullptr;
    std::string plugin_id_;
};

}  // namespace till::hq_sync

TILL_PLUGIN(till::hq_sync::HqSyncPlugin, "hq_sync", "0.1.0")
