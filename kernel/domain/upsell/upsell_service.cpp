#include "domain/upsell/upsell_service.hpp"

#include <ctime>
#include <exception>
#include <set>

#include "domain/common/http_errors.hpp"
#include "domain/orders/order_json.hpp"
#include "domain/upsell/catalog_rules.hpp"
#include "domain/upsell/order_cart.hpp"
#include "domain/upsell/suggestion_worker.hpp"
#include "domain/upsell/upsell_impl.hpp"
#include "storage/migrations.hpp"

namespace till::domain::upsell {

namespace {

bool is_cart_change(std::string_view topic) {
    static const std::set<std::string, std::less<>> topics = {"order.opened",       "order.line_added",
                                                              "order.line_changed", "order.line_removed",
                                                              "order.line_voided",  "order.changed"};
    return topics.count(topic) > 0;
}

int local_offset_minutes(std::int64_t utc_ms) {
    std::time_t t = static_cast<std::time_t>(utc_ms / 1000);
    std::tm local{};
    if (!localtime_r(&t, &local)) return 0;
    return static_cast<int>(local.tm_gmtoff / 60);
}

}  // namespace

UpsellService::Impl::Impl(DomainContext& c, Authorizer& a, OrderService& o, const catalog::CatalogService& cat,
                          script::RulesEngine* r, UpsellOptions opts)
    : ctx(c), authorizer(a), orders(o), catalog(cat), rules(r), options(std::move(opts)) {
    if (!options.utc_offset_minutes) options.utc_offset_minutes = local_offset_minutes;
    worker = std::make_unique<SuggestionWorker>(options.queue_capacity,
                                                [this](const sdk::Value& order) { evaluate_and_publish(order); });
}

script::UpsellContext UpsellService::Impl::context() const {
    script::UpsellContext c;
    c.store_id = ctx.node.node_id;
    c.time_utc_ms = ctx.clock.now_utc_ms();
    c.utc_offset_minutes = options.utc_offset_minutes(c.time_utc_ms);
    c.catalog = &catalog;
    return c;
}

sdk::Value UpsellService::Impl::suggestions_for_order(const sdk::Value& order) {
    sdk::Value out = sdk::Value::map();
    out.set("order_id", order["order_id"]);
    out.set("version", order["version"]);
    sdk::Value list = sdk::Value::list();
    if (rules && takes_suggestions(order)) {
        auto result = rules->evaluate_upsell(cart_from_order(order, catalog), context());
        list = script::suggestions_to_value(result.suggestions);
    }
    out.set("suggestions", std::move(list));
    return out;
}

void UpsellService::Impl::evaluate_and_publish(const sdk::Value& order) {
    try {
        ctx.events.publish("order.suggestions", suggestions_for_order(order));
    } catch (const std::exception& e) {
        ctx.logger->error(std::string("upsell: evaluating order ") + order["order_id"].as_string() +
                          " failed: " + e.what());
    }
}

void UpsellService::Impl::on_order_event(const sdk::Event& event) {
    if (!is_cart_change(event.topic) || !event.payload.is_map() || !takes_suggestions(event.payload)) return;
    if (!worker->offer(event.payload)) {
        const auto dropped = worker->dropped();
        // One line per 100 drops: a flood must not flood the log too.
        if (dropped % 100 == 1)
            ctx.logger->warn("upsell: evaluation queue full (" + std::to_string(options.queue_capacity) +
                             " orders waiting); " + std::to_string(dropped) + " cart change(s) not evaluated");
    }
}

UpsellService::UpsellService(DomainContext& ctx, Authorizer& authorizer, AuditLog& /*audit*/, OrderService& orders,
                             const catalog::CatalogService& catalog, script::RulesEngine* rules,
                             UpsellOptions options)
    : impl_(std::make_unique<Impl>(ctx, authorizer, orders, catalog, rules, std::move(options))) {}

UpsellService::~UpsellService() { stop(); }

sdk::Status UpsellService::start() {
    Impl& m = *impl_;
    if (auto s = storage::apply_migrations(m.ctx.storage, "domain.upsell", acceptance_migrations()); !s.ok()) return s;
    if (!m.rules) return {};
    m.worker->start();
    m.catalog_subscription = m.ctx.events.subscribe("catalog", [&m](const sdk::Event&) { m.catalog.invalidate(); });
    m.order_subscription = m.ctx.events.subscribe("order", [&m](const sdk::Event& e) { m.on_order_event(e); });
    return {};
}

void UpsellService::stop() {
    Impl& m = *impl_;
    if (m.order_subscription) m.ctx.events.unsubscribe(m.order_subscription);
    if (m.catalog_subscription) m.ctx.events.unsubscribe(m.catalog_subscription);
    m.order_subscription = 0;
    m.catalog_subscription = 0;
    m.worker->stop();
}

sdk::Result<sdk::Value> UpsellService::suggestions_for(const std::string& order_id) {
    auto order = impl_->orders.get(order_id);
    if (!order) return order.error();
    return impl_->suggestions_for_order(orders::order_to_json(*order));
}

sdk::Value UpsellService::suggestions_for_order(const sdk::Value& order) { return impl_->suggestions_for_order(order); }

sdk::Result<Acceptance> UpsellService::accept(const std::string& order_id, const std::string& sku,
                                              const std::string& rule, const Principal& by) {
    Impl& m = *impl_;
    auto order = m.orders.get(order_id);
    if (!order) return order.error();
    Acceptance a;
    a.acceptance_id = m.ctx.ids.next();
    a.order_id = order_id;
    a.sku = sku;
    a.rule = rule;
    a.rules_version = m.rules ? m.rules->status().version : std::string();
    a.user_id = by.user_id;
    a.terminal_id = by.terminal_id;
    a.accepted_utc_ms = m.ctx.clock.now_utc_ms();
    auto s = m.ctx.storage.transaction([&](sdk::SqlExecutor& tx) { return insert_acceptance(tx, a); });
    if (!s.ok()) return s.error();
    try {
        m.ctx.events.publish("order.suggestion_accepted", a.to_value());
    } catch (const std::exception& e) {
        m.ctx.logger->error(std::string("publishing order.suggestion_accepted failed: ") + e.what());
    }
    return a;
}

std::uint64_t UpsellService::evaluated() const { return impl_->worker->processed(); }
std::uint64_t UpsellService::dropped() const { return impl_->worker->dropped(); }

}  // namespace till::domain::upsell
