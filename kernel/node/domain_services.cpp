#include "node/domain_services.hpp"

#include "domain/audit/audit_trail.hpp"
#include "domain/catalog/catalog_service.hpp"
#include "domain/common/context.hpp"
#include "domain/customers/customer_service.hpp"
#include "domain/common/settlement.hpp"
#include "domain/inventory/inventory_service.hpp"
#include "domain/orders/order_service.hpp"
#include "domain/payments/payment_service.hpp"
#include "domain/people/people_service.hpp"
#include "domain/printing/print_service.hpp"
#include "domain/printing/printing_settings.hpp"
#include "domain/registers/register_service.hpp"
#include "domain/transfers/transfer_service.hpp"
#include "domain/scanning/scan_service.hpp"
#include "domain/upsell/rules_options.hpp"
#include "domain/upsell/upsell_service.hpp"
#include "script/rules_engine.hpp"
#include "sync/applier_registry.hpp"
#include "sync/default_policy.hpp"
#include "sync/hq/change_feed.hpp"
#include "sync/hq/hq_hub.hpp"
#include "sync/hq/hq_routes.hpp"
#include "sync/hq/revision_listener.hpp"
#include "sync/replication_log.hpp"
#include "sync/sync_engine.hpp"
#include "sync/sync_routes.hpp"

namespace till::node {
namespace {

// Orders and payments need the registers' lookup, registers need the
// totals of orders and payments: the cycle is closed after all three exist.
class RegisterLookupForwarder final : public domain::RegisterLookup {
public:
    domain::RegisterLookup* target = nullptr;
    sdk::Result<std::optional<std::string>> open_session(sdk::SqlExecutor& tx,
                                                         const std::string& register_id) override {
        if (!target) return sdk::Error{"unavailable", "registers are not started yet"};
        return target->open_session(tx, register_id);
    }
};

}  // namespace

struct DomainServices::Parts {
    domain::SalesSettings sales;
    domain::AuthSettings auth;
    std::unique_ptr<domain::IdGenerator> ids;
    // Sync: appliers and policy first (the hub refers to them), HQ's feed and
    // hub, then the replication log every module appends to.
    sync::ApplierRegistry appliers;
    std::unique_ptr<domain::ConflictPolicy> policy;
    std::unique_ptr<sync::hq::ChangeFeed> feed;  ///< HQ only
    std::unique_ptr<sync::hq::HqHub> hub;        ///< HQ only
    std::unique_ptr<sync::SyncReplicationLog> replication;
    std::unique_ptr<domain::DomainContext> ctx;
    RegisterLookupForwarder register_lookup;
    // Built in this order, destroyed in reverse.
    std::unique_ptr<domain::audit::AuditTrail> audit;
    std::unique_ptr<domain::people::PeopleService> people;
    std::unique_ptr<domain::catalog::CatalogService> catalog;
    std::unique_ptr<domain::customers::CustomerService> customers;
    std::unique_ptr<domain::InventoryService> inventory;
    std::unique_ptr<domain::transfers::TransferService> transfers;
    std::unique_ptr<domain::OrderService> orders;
    std::unique_ptr<domain::payments::PaymentService> payments;
    std::unique_ptr<domain::RegisterService> registers;
    std::unique_ptr<script::RulesEngine> rules;  ///< null: no `rules.scripts_dir`
    std::unique_ptr<domain::upsell::UpsellService> upsell;
    std::unique_ptr<domain::scanning::ScanService> scans;
    std::unique_ptr<domain::printing::PrintService> printing;
    std::unique_ptr<sync::SyncEngine> engine;  ///< store only
};

DomainServices::DomainServices() : parts_(std::make_unique<Parts>()) {}
DomainServices::~DomainServices() { stop(); }

domain::Authorizer& DomainServices::authorizer() noexcept { return *parts_->people; }

sdk::Value DomainServices::rules_status() const {
    if (!parts_->rules) return sdk::Value(sdk::Value::Map{{"enabled", false}});
    sdk::Value status = parts_->rules->status().to_value();
    status.set("enabled", true);
    return status;
}

sdk::SyncHub* DomainServices::sync_hub() noexcept { return parts_->hub.get(); }

sdk::Status DomainServices::start_after_plugins() {
    Parts& p = *parts_;
    if (p.engine) {
        if (auto s = p.engine->start(); !s.ok()) return s;
        sync::SyncEngine* engine = p.engine.get();
        p.replication->set_wake([engine] { engine->push_soon(); });
    }
    if (p.scans) p.scans->attach_scanners();
    p.payments->start_resolver();  // asks methods about uncertain payments nobody resends
    if (p.printing) {
        if (auto s = p.printing->start_worker(); !s.ok()) return sdk::Error{s.error().code, "printing: " + s.message()};
    }
    return {};
}

void DomainServices::stop() {
    Parts& p = *parts_;
    if (p.replication) p.replication->set_wake({});
    if (p.engine) p.engine->stop();
    if (p.scans) p.scans->stop();
    if (p.payments) p.payments->stop();
    if (p.printing) p.printing->stop();
    if (p.upsell) p.upsell->stop();
    if (p.rules) p.rules->stop();
}

void DomainServices::stop_after_plugins() {
    if (parts_->hub) parts_->hub->stop();
}

namespace {

// The deployment's Lua rules, when the config names them. A first version
// that does not load is reported but does not stop the node: the watcher
// keeps looking and the node serves no suggestions until a good one lands.
std::unique_ptr<script::RulesEngine> start_rules(const sdk::Value& section, sdk::EventBus& events,
                                                 const std::shared_ptr<sdk::Logger>& logger) {
    auto options = domain::upsell::rules_engine_options_from(section);
    if (!options) return nullptr;
    options->rules.logger = logger;  // the engine logs each refused version and each failing rule
    const std::string dir = options->deployment_dir;
    options->on_reload_error = [&events, logger, dir](const std::string& error) {
        logger->warn("rules: the version on disk in " + dir + " was refused; the running one (if any) stays");
        events.publish("rules.reload_failed", sdk::Value(sdk::Value::Map{{"deployment_dir", dir}, {"error", error}}));
    };
    // (The engine itself logs the version it runs.)
    options->on_reloaded = [&events](const script::RulesStatus& status) {
        events.publish("rules.reloaded", status.to_value());
    };
    auto engine = std::make_unique<script::RulesEngine>(std::move(*options));
    if (auto started = engine->start(); !started.ok())
        logger->error("rules: " + dir + " has no running version yet; no suggestions until a good one is on disk");
    return engine;
}

}  // namespace

sdk::Result<std::unique_ptr<DomainServices>> DomainServices::start(DomainInputs in, api::Router& router) {
    std::unique_ptr<DomainServices> services(new DomainServices());
    Parts& p = *services->parts_;
    p.sales = domain::sales_settings_from(in.sales_section);
    p.auth = domain::auth_settings_from(in.auth_section);
    p.ids = std::make_unique<domain::IdGenerator>(in.clock);

    // Sync (docs/sync.md). HQ: the change feed and the hub (its migrations
    // before any master data is written). Every node: the replication log.
    const bool hq = in.node.role == sdk::NodeRole::hq;
    auto sync_logger = in.sync_logger ? in.sync_logger : in.logger;
    sync::FeedAppend feed_append;
    if (hq) {
        std::string conninfo;
        if (in.storage.dialect() == sdk::Dialect::postgresql) {
            auto info = sync::hq::postgres_conninfo(in.storage_url);
            if (!info) return info.error();
            conninfo = *info;
        }
        p.feed = std::make_unique<sync::hq::ChangeFeed>(in.storage, in.clock);
        p.hub = std::make_unique<sync::hq::HqHub>(sync::hq::HqHubParts{
            in.storage, in.clock, sync_logger, p.appliers, *p.feed, sync::hq::hq_settings_from(in.sync_section),
            conninfo});
        if (auto s = p.hub->start(); !s.ok())
            return sdk::Error{s.error().code, "sync hub: " + s.message()};
        sync::hq::ChangeFeed* feed = p.feed.get();
        feed_append = [feed](sdk::SqlExecutor& tx, const domain::ReplicatedChange& change) {
            return feed->append(tx, change).status();
        };
    }
    p.replication = std::make_unique<sync::SyncReplicationLog>(
        sync::replication_settings_from(in.sync_section, in.node.role, in.node.node_id), in.clock, feed_append);
    if (auto s = p.replication->start(in.storage); !s.ok())
        return sdk::Error{s.error().code, "sync: " + s.message()};

    p.ctx.reset(new domain::DomainContext{in.storage, in.events, in.clock, in.registry, in.logger, in.node,
                                          p.sales, p.auth, *p.ids, *p.replication});
    domain::DomainContext& ctx = *p.ctx;

    p.audit = std::make_unique<domain::audit::AuditTrail>(ctx);
    p.people = std::make_unique<domain::people::PeopleService>(ctx, *p.audit);
    p.catalog = std::make_unique<domain::catalog::CatalogService>(ctx, *p.people, *p.audit);
    p.customers = std::make_unique<domain::customers::CustomerService>(ctx, *p.people, *p.audit);
    p.inventory = std::make_unique<domain::InventoryService>(ctx, *p.people, *p.audit, p.catalog.get());
    p.transfers = std::make_unique<domain::transfers::TransferService>(ctx, *p.people, *p.audit, *p.inventory,
                                                                       p.catalog.get());
    p.orders = std::make_unique<domain::OrderService>(ctx, *p.people, *p.audit, *p.catalog, *p.inventory,
                                                      p.register_lookup);
    p.orders->use_customers(*p.customers);
    p.payments = std::make_unique<domain::payments::PaymentService>(ctx, *p.people, *p.audit, *p.orders, p.register_lookup);
    p.orders->use_payments(*p.payments);  // sales and refunds carry their payments to HQ
    p.registers = std::make_unique<domain::RegisterService>(ctx, *p.people, *p.audit, *p.orders, *p.payments);
    p.register_lookup.target = p.registers.get();
    p.rules = start_rules(in.rules_section, in.events, in.logger);
    p.upsell = std::make_unique<domain::upsell::UpsellService>(ctx, *p.people, *p.audit, *p.orders, *p.catalog,
                                                               p.rules.get());

    // Master data pulled from HQ (store) and customers from stores (HQ) are
    // applied by the module that owns them; customers merge by the policy.
    script::RulesEngine* rules = p.rules.get();
    p.policy = std::make_unique<sync::NodeConflictPolicy>(
        rules ? sync::NodeConflictPolicy::Resolve(
                    [rules](std::string_view kind, const sdk::Value& local, const sdk::Value& remote,
                            const sdk::Value& base) { return rules->resolve(kind, local, remote, base); })
              : sync::NodeConflictPolicy::Resolve());
    for (const char* type : {"department", "tax_class", "modifier_group", "product"})
        p.appliers.add(type, p.catalog->replica_applier());
    p.appliers.add("user", p.people->replica_applier());
    p.appliers.add("role", p.people->role_applier());
    p.appliers.add("customer", p.customers->replica_applier(*p.policy));
    p.appliers.add("transfer", p.transfers->replica_applier(*p.policy));

    auto scan_settings = domain::scanning::scan_settings_from(in.scanning_section);
    if (!scan_settings) return scan_settings.error();
    p.scans = std::make_unique<domain::scanning::ScanService>(ctx, *p.people, *p.orders, *p.catalog,
                                                              std::move(*scan_settings));

    // Receipts, kitchen tickets and report slips (templates per deployment).
    auto print_settings = domain::printing::printing_settings_from(in.printing_section);
    if (!print_settings) return print_settings.error();
    p.printing = std::make_unique<domain::printing::PrintService>(ctx, *p.people, *p.orders, std::move(*print_settings));
    p.printing->use_payments(*p.payments);
    domain::RegisterService* registers = p.registers.get();
    p.printing->use_x_reports([registers](const std::string& register_id) { return registers->x_report(register_id); });
    domain::catalog::CatalogService* catalog = p.catalog.get();
    p.printing->use_department_codes([catalog](const std::string& id) {
        auto d = catalog->department(id);
        return d ? d->code : std::string();
    });

    auto check = [](sdk::Status s, const char* module) -> sdk::Status {
        if (s.ok()) return s;
        return sdk::Status::failure(s.error().code, std::string(module) + ": " + s.message());
    };
    if (auto s = check(p.audit->start(), "audit"); !s.ok()) return s.error();
    if (auto s = check(p.people->start(), "people"); !s.ok()) return s.error();
    if (auto s = check(p.catalog->start(), "catalog"); !s.ok()) return s.error();
    if (auto s = check(p.customers->start(), "customers"); !s.ok()) return s.error();
    if (auto s = check(p.inventory->start(), "inventory"); !s.ok()) return s.error();
    if (auto s = check(p.transfers->start(), "transfers"); !s.ok()) return s.error();
    if (auto s = check(p.orders->start(), "orders"); !s.ok()) return s.error();
    if (auto s = check(p.payments->start(), "payments"); !s.ok()) return s.error();
    if (auto s = check(p.registers->start(), "registers"); !s.ok()) return s.error();
    if (auto s = check(p.upsell->start(), "upsell"); !s.ok()) return s.error();
    if (auto s = check(p.printing->start(), "printing"); !s.ok()) return s.error();

    if (auto s = p.people->add_routes(router); !s.ok()) return s.error();
    if (auto s = p.audit->add_routes(router, *p.people); !s.ok()) return s.error();
    if (auto s = p.catalog->add_routes(router); !s.ok()) return s.error();
    if (auto s = p.customers->add_routes(router); !s.ok()) return s.error();
    if (auto s = p.inventory->add_routes(router); !s.ok()) return s.error();
    if (auto s = p.transfers->add_routes(router); !s.ok()) return s.error();
    if (auto s = p.orders->add_routes(router); !s.ok()) return s.error();
    if (auto s = p.payments->add_routes(router); !s.ok()) return s.error();
    if (auto s = p.registers->add_routes(router); !s.ok()) return s.error();
    if (auto s = p.upsell->add_routes(router); !s.ok()) return s.error();
    if (auto s = p.scans->add_routes(router); !s.ok()) return s.error();
    if (auto s = p.printing->add_routes(router); !s.ok()) return s.error();
    if (hq) {
        if (auto s = sync::hq::add_hq_routes(router, *p.people, *p.hub); !s.ok()) return s.error();
    } else {
        p.engine = std::make_unique<sync::SyncEngine>(
            sync::SyncEngineDeps{in.storage, in.events, in.clock, in.registry, p.appliers, sync_logger,
                                 in.node.node_id},
            sync::sync_settings_from(in.sync_section));
        if (auto s = sync::add_sync_routes(router, *p.people, *p.engine); !s.ok()) return s.error();
    }
    return services;
}

}  // namespace till::node
