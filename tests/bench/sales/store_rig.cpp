#include "store_rig.hpp"

#include <filesystem>
#include <stdexcept>

#include "api/router.hpp"
#include "events/event_bus.hpp"
#include "log/log_manager.hpp"
#include "node/config_check.hpp"
#include "node/domain_services.hpp"
#include "node/system_clock.hpp"
#include "plugin_host/plugin_host.hpp"
#include "storage/database.hpp"
#include "storage/migrations.hpp"

namespace till::bench {

// Declared in construction order (as node::Node::Parts).
struct StoreRig::Parts {
    config::NodeConfig config;
    std::unique_ptr<log::LogManager> logs;
    node::SystemClock clock;
    std::unique_ptr<storage::Database> database;
    std::unique_ptr<events::EventBusImpl> bus;
    api::Router router;
    std::unique_ptr<plugin_host::PluginHost> plugins;
    std::unique_ptr<node::DomainServices> domain;
    sdk::NodeInfo info;
};

StoreRig::StoreRig() : parts_(std::make_unique<Parts>()) {}

StoreRig::~StoreRig() {
    if (parts_->plugins) parts_->plugins->stop();
}

const std::string& StoreRig::data_dir() const { return parts_->config.data_dir; }

std::unique_ptr<StoreRig> StoreRig::start(const std::string& config_path) {
    auto fail = [](const std::string& what, const std::string& message) {
        return std::runtime_error("in-process store: " + what + ": " + message);
    };
    auto checked = node::check_node_config(config_path, config::process_env());
    if (!checked.diagnostics.empty()) throw fail("config", checked.diagnostics.front().to_string());
    std::unique_ptr<StoreRig> rig(new StoreRig());
    Parts& p = *rig->parts_;
    p.config = std::move(checked.config);
    std::filesystem::create_directories(p.config.data_dir);

    log::LogSettings log_settings;
    log::parse_level(p.config.logging.level, log_settings.level);
    auto logs = log::LogManager::create(log_settings);
    if (!logs) throw fail("logs", logs.error().message);
    p.logs = std::move(*logs);
    p.info.node_id = p.config.node_id;
    p.info.role = p.config.role;
    p.info.data_dir = p.config.data_dir;
    p.info.kernel_version = "bench";

    storage::StorageSettings settings{p.config.storage.url, p.config.data_dir, p.config.storage.pool_size,
                                      p.config.storage.busy_timeout_ms};
    auto database = storage::Database::open(settings);
    if (!database) throw fail("storage", database.error().message);
    p.database = std::move(*database);
    if (auto s = storage::apply_migrations(*p.database, "kernel", storage::kernel_migrations()); !s.ok())
        throw fail("kernel migrations", s.message());
    p.bus = std::make_unique<events::EventBusImpl>(p.clock, p.logs->logger("kernel.events"));
    p.plugins = std::make_unique<plugin_host::PluginHost>(
        plugin_host::HostServices{p.info, *p.logs, p.clock, *p.database, *p.bus, p.router});
    p.plugins->adopt(std::move(checked.discovery));
    auto domain = node::DomainServices::start(
        node::DomainInputs{*p.database, *p.bus, p.clock, p.plugins->registry(), p.logs->logger("kernel.domain"),
                           p.info, p.config.sales, p.config.auth, p.config.rules, p.config.sync,
                           p.config.scanning, p.config.printing, p.config.storage.url,
                           p.logs->logger("kernel.sync")},
        p.router);
    if (!domain) throw fail("domain services", domain.error().message);
    p.domain = std::move(*domain);
    plugin_host::PluginSelection selection{p.config.plugins.enabled_given, p.config.plugins.enabled,
                                           p.config.plugins.disabled, p.config.plugins.required};
    if (auto s = p.plugins->start(checked.plugin_configs, selection); !s.ok()) throw fail("plugins", s.message());
    return rig;
}

ApiReply StoreRig::send(const std::string& method, const std::string& path, const std::string& body,
                        const std::string& token) {
    sdk::HttpRequest request;
    if (method == "GET") request.method = sdk::HttpMethod::get;
    else if (method == "POST") request.method = sdk::HttpMethod::post;
    else if (method == "PUT") request.method = sdk::HttpMethod::put;
    else if (method == "PATCH") request.method = sdk::HttpMethod::patch;
    else request.method = sdk::HttpMethod::del;
    request.path = path;
    request.body = body;
    request.headers["content-type"] = "application/json";
    if (!token.empty()) request.headers["authorization"] = "Bearer " + token;
    auto match = parts_->router.match(request.method, path);
    ApiReply reply;
    if (match.kind != api::Router::MatchKind::found) {
        reply.status = 404;
        return reply;
    }
    request.path_params = std::move(match.params);
    sdk::HttpResponse response = match.handler(request);
    reply.status = response.status;
    reply.body = std::move(response.body);
    if (auto parsed = sdk::Value::parse_json(reply.body)) reply.json = std::move(*parsed);
    return reply;
}

}  // namespace till::bench
