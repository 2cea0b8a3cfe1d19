// The upsell module: the deployment's Lua upsell rules (kernel/script) on
// the sales floor.
//
//  - GET  /api/v1/orders/{order_id}/suggestions — the rules' suggestions
//    for the order as stored (login required).
//  - On every cart change (order.opened, order.line_added,
//    order.line_changed, order.line_removed, order.line_voided,
//    order.changed) the order from the event is handed to a worker thread
//    (bounded queue, coalesced per order: the bus handler only copies it),
//    which evaluates the rules and publishes `order.suggestions`
//    {order_id, version, suggestions}.
//  - POST /api/v1/orders/{order_id}/suggestions/accept {"sku", "rule"}
//    records that the cashier took a suggestion (table upsell_acceptances,
//    module "domain.upsell") and publishes `order.suggestion_accepted`.
//    Needs `order.create` (whoever rings up the cart). Acceptances are not
//    audited: they are not controls, they feed conversion reports.
//
// Only orders being rung up (open or submitted, not returns) get
// suggestions; for others the list is empty. The rules' context: store =
// the node id, time from the node clock, local time from the node's time
// zone (or UpsellOptions::utc_offset_minutes), daypart derived from the
// local hour (breakfast 05:00–10:59, lunch 11–14:59, afternoon 15–17:59,
// dinner 18–21:59, night otherwise), ctx.catalog over the catalog module.
//
// Without a rules engine (no `rules.scripts_dir` in the config) everything
// works and every list is empty. A broken rule never fails a route or a
// sale: the engine skips it (docs/rules.md).
//
// Threading: every method may be called from any thread.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "api/router.hpp"
#include "domain/catalog/catalog_service.hpp"
#include "domain/common/audit.hpp"
#include "domain/common/auth.hpp"
#include "domain/common/context.hpp"
#include "domain/orders/order_service.hpp"
#include "domain/upsell/acceptance_store.hpp"
#include "script/rules_engine.hpp"

namespace till::domain::upsell {

struct UpsellOptions {
    /// Distinct orders waiting for evaluation; more are dropped (and their
    /// next change queues them again).
    std::size_t queue_capacity = 256;
    /// The store's offset from UTC at a given time, in minutes; unset = the
    /// node's local time zone.
    std::function<int(std::int64_t utc_ms)> utc_offset_minutes;
};

class UpsellService {
public:
    /// `rules` may be null (no rules configured). `orders` is only read.
    UpsellService(DomainContext& ctx, Authorizer& authorizer, AuditLog& audit, OrderService& orders,
                  const catalog::CatalogService& catalog, script::RulesEngine* rules, UpsellOptions options = {});
    ~UpsellService();  ///< stop()
    UpsellService(const UpsellService&) = delete;
    UpsellService& operator=(const UpsellService&) = delete;

    /// Applies the "domain.upsell" migrations, subscribes to order and
    /// catalog events and starts the worker.
    sdk::Status start();
    /// Unsubscribes and joins the worker (queued evaluations are dropped).
    /// Idempotent. Call before the rules engine and the event bus go.
    void stop();
    sdk::Status add_routes(api::Router& router);

    /// {order_id, version, suggestions: [{sku, reason, price_minor?, priority, rule}]}
    /// for the order as stored; "not_found" when there is no such order.
    sdk::Result<sdk::Value> suggestions_for(const std::string& order_id);
    /// The same for an order's JSON (as the API and the events show it).
    sdk::Value suggestions_for_order(const sdk::Value& order);

    /// Records an accepted suggestion; "not_found" for an unknown order.
    sdk::Result<Acceptance> accept(const std::string& order_id, const std::string& sku, const std::string& rule,
                                   const Principal& by);

    /// Orders evaluated by the worker so far, and dropped on a full queue.
    std::uint64_t evaluated() const;
    std::uint64_t dropped() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace till::domain::upsell
