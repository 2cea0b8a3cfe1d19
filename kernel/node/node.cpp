#include "node/node.hpp"

#include <filesystem>

#include "api/http_server.hpp"
#include "api/router.hpp"
#include "domain/common/http_errors.hpp"
#include "events/event_bus.hpp"
#include "log/log_manager.hpp"
#include "node/config_check.hpp"
#include "node/domain_services.hpp"
#include "node/kernel_routes.hpp"
#include "node/system_clock.hpp"
#include "storage/database.hpp"
#include "storage/migrations.hpp"

#ifndef TILL_VERSION
#define TILL_VERSION "0.0.0"
#endif

namespace till::node {
namespace {

sdk::Error config_error(const std::vector<config::Diagnostic>& diagnostics) {
    std::string text;
    for (const auto& d : diagnostics) text += (text.empty() ? "" : "\n") + d.to_string();
    return sdk::Error{"invalid_config", text};
}

// A data dir belongs to one node: refuse to mix two nodes' data.
// A database belongs to one store (its sequence numbers and stamps are that
// store's), or to HQ, whose nodes share one PostgreSQL: a store never opens
// another's database, and no node opens one of the other role.
sdk::Status claim_identity(sdk::Storage& storage, const std::string& node_id, sdk::NodeRole role) {
    const std::string role_name = role == sdk::NodeRole::hq ? "hq" : "store";
    // Two HQ nodes may start at once: insert-or-keep, then read what won.
    auto inserted = storage.execute("INSERT INTO node_identity(key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING",
                                    {sdk::Value("role"), sdk::Value(role_name)});
    if (!inserted) return inserted.status();
    auto recorded_role = storage.query("SELECT value FROM node_identity WHERE key = ?", {sdk::Value("role")});
    if (!recorded_role) return recorded_role.status();
    if (recorded_role->rows.empty() || recorded_role->rows.front().front().as_string() != role_name) {
        const std::string other = recorded_role->rows.empty() ? "?" : recorded_role->rows.front().front().as_string();
        const std::string owner = other == "hq" ? "HQ" : other == "store" ? "a store" : "an unknown role";
        return sdk::Status::failure("identity_mismatch",
                                    "this database belongs to " + owner + ", but the config says node.role " + role_name);
    }
    if (role == sdk::NodeRole::hq) return {};  // HQ nodes share their database
    auto rows = storage.query("SELECT value FROM node_identity WHERE key = ?", {sdk::Value("node_id")});
    if (!rows) return rows.status();
    if (rows->rows.empty()) {
        auto inserted = storage.execute("INSERT INTO node_identity(key, value) VALUES (?, ?)",
                                        {sdk::Value("node_id"), sdk::Value(node_id)});
        return inserted.status();
    }
    const std::string& recorded = rows->rows.front().front().as_string();
    if (recorded != node_id) {
        return sdk::Status::failure("identity_mismatch", "this database belongs to node \"" + recorded +
                                                             "\", but the config says node.id \"" + node_id + "\"");
    }
    return {};
}

}  // namespace

const char* kernel_version() noexcept { return TILL_VERSION; }

// Declaration order is construction order; destruction runs in reverse, so
// the server goes first and the logs last.
struct Node::Parts {
    config::NodeConfig config;
    std::unique_ptr<log::LogManager> logs;
    std::shared_ptr<sdk::Logger> logger;
    SystemClock clock;
    std::unique_ptr<storage::Database> database;
    std::unique_ptr<events::EventBusImpl> bus;
    api::Router router;
    std::unique_ptr<plugin_host::PluginHost> plugins;
    std::unique_ptr<DomainServices> domain;
    std::unique_ptr<api::HttpServer> server;
    sdk::NodeInfo info;
    bool stopped = false;
};

Node::Node() : parts_(std::make_unique<Parts>()) {}

Node::~Node() { stop(); }

sdk::Result<std::unique_ptr<Node>> Node::start(const NodeOptions& options) {
    auto checked = check_node_config(options.config_path, options.env ? options.env : config::process_env());
    if (!checked.diagnostics.empty()) return config_error(checked.diagnostics);

    std::unique_ptr<Node> node(new Node());
    Parts& p = *node->parts_;
    p.clock.set_offset_ms(options.clock_offset_ms);
    p.config = std::move(checked.config);
    const auto& cfg = p.config;

    std::error_code ec;
    std::filesystem::create_directories(cfg.data_dir, ec);
    if (ec) return sdk::Error{"io_error", "cannot create data dir " + cfg.data_dir + ": " + ec.message()};

    log::LogSettings log_settings;
    log::parse_level(cfg.logging.level, log_settings.level);
    log_settings.format = cfg.logging.format == "json" ? log::LogFormat::json : log::LogFormat::text;
    log_settings.file = cfg.logging.file;
    auto logs = log::LogManager::create(log_settings);
    if (!logs) return logs.error();
    p.logs = std::move(*logs);
    p.logger = p.logs->logger("kernel");

    p.info.node_id = cfg.node_id;
    p.info.role = cfg.role;
    p.info.data_dir = cfg.data_dir;
    p.info.kernel_version = kernel_version();
    p.logger->info("starting node " + cfg.node_id + " (" + (cfg.role == sdk::NodeRole::hq ? "hq" : "store") +
                   ") from " + cfg.file);

    storage::StorageSettings storage_settings{cfg.storage.url, cfg.data_dir, cfg.storage.pool_size,
                                              cfg.storage.busy_timeout_ms};
    auto database = storage::Database::open(storage_settings);
    if (!database) return database.error();
    p.database = std::move(*database);
    p.logger->info("storage " + p.database->describe());
    if (auto migrated = storage::apply_migrations(*p.database, "kernel", storage::kernel_migrations());
        !migrated.ok())
        return migrated.error();
    if (auto claimed = claim_identity(*p.database, cfg.node_id, cfg.role); !claimed.ok()) return claimed.error();

    p.bus = std::make_unique<events::EventBusImpl>(p.clock, p.logs->logger("kernel.events"));

    NodeDescription description;
    description.info = p.info;
    description.storage = p.database->describe();
    description.storage_dialect = p.database->dialect() == sdk::Dialect::postgresql ? "postgresql" : "sqlite";
    description.started_utc_ms = p.clock.now_utc_ms();
    Node* self = node.get();
    description.plugins = [self] { return self->plugins(); };
    description.rules = [self] {
        return self->parts_->domain ? self->parts_->domain->rules_status()
                                    : sdk::Value(sdk::Value::Map{{"enabled", false}});
    };
    if (auto routes = add_kernel_routes(p.router, std::move(description)); !routes.ok()) return routes.error();

    p.plugins = std::make_unique<plugin_host::PluginHost>(
        plugin_host::HostServices{p.info, *p.logs, p.clock, *p.database, *p.bus, p.router});
    p.plugins->adopt(std::move(checked.discovery));

    // The sales core: before plugins start, so its routes keep their paths.
    auto domain = DomainServices::start(DomainInputs{*p.database, *p.bus, p.clock, p.plugins->registry(),
                                                     p.logs->logger("kernel.domain"), p.info, cfg.sales, cfg.auth,
                                                     cfg.rules, cfg.sync, cfg.scanning, cfg.printing,
                                                     cfg.storage.url,
                                                     p.logs->logger("kernel.sync")},
                                        p.router);
    if (!domain) return domain.error();
    p.domain = std::move(*domain);
    p.plugins->set_sync_hub(p.domain->sync_hub());  // HQ: hq_sync and sync_file reach the hub

    plugin_host::PluginSelection selection{cfg.plugins.enabled_given, cfg.plugins.enabled, cfg.plugins.disabled,
                                           cfg.plugins.required};
    if (auto started = p.plugins->start(checked.plugin_configs, selection); !started.ok()) {
        p.logger->log(sdk::LogLevel::critical, started.message());
        return started.error();
    }
    if (auto after = p.domain->start_after_plugins(); !after.ok()) return after.error();

    api::ServerSettings server_settings;
    server_settings.host = cfg.listen_host;
    server_settings.port = cfg.listen_port;
    server_settings.threads = cfg.http.threads;
    server_settings.max_body_bytes = cfg.http.max_body_bytes;
    server_settings.max_websockets = cfg.http.max_websockets;
    p.server = std::make_unique<api::HttpServer>(server_settings, p.router, *p.bus, p.logs->logger("kernel.http"));
    // The event stream carries sales: only for a logged-in user (browsers
    // cannot set headers on a WebSocket, so ?access_token= works too).
    domain::Authorizer& authorizer = p.domain->authorizer();
    p.server->set_event_stream_guard([&authorizer](const sdk::HttpRequest& request) {
        sdk::HttpRequest probe = request;
        if (auto token = request.query.find("access_token");
            token != request.query.end() && !probe.headers.count("authorization"))
            probe.headers["authorization"] = "Bearer " + token->second;
        auto who = authorizer.authenticate(probe);
        if (!who) return domain::to_problem(who.error());
        return sdk::HttpResponse::json(sdk::Value::map());
    });
    if (auto served = p.server->start(); !served.ok()) return served.error();
    p.logger->info("listening on " + node->base_url());
    p.bus->publish_from("kernel", "node.started", sdk::Value(sdk::Value::Map{{"node_id", cfg.node_id}}));
    return node;
}

int Node::port() const noexcept { return parts_->server ? parts_->server->port() : 0; }

std::string Node::base_url() const {
    std::string host = parts_->config.listen_host;
    if (host == "0.0.0.0" || host.empty()) host = "127.0.0.1";
    if (host.find(':') != std::string::npos) host = "[" + host + "]";
    return "http://" + host + ":" + std::to_string(port());
}

const sdk::NodeInfo& Node::info() const noexcept { return parts_->info; }

std::vector<plugin_host::PluginStatus> Node::plugins() const {
    return parts_->plugins ? parts_->plugins->statuses() : std::vector<plugin_host::PluginStatus>{};
}

std::vector<api::RouteInfo> Node::routes() const { return parts_->router.routes(); }

void Node::stop() {
    Parts& p = *parts_;
    if (p.stopped) return;
    p.stopped = true;
    if (p.logger) p.logger->info("stopping");
    if (p.server) p.server->stop();
    if (p.domain) p.domain->stop();  // sync engine, scanners, rules watcher, upsell worker
    if (p.plugins) p.plugins->stop();
    if (p.domain) p.domain->stop_after_plugins();  // HQ: the hub's revision listener
    if (p.logger) p.logger->info("stopped");
    if (p.logs) p.logs->flush();
}

}  // namespace till::node
