// UpsellService's private parts, shared by upsell_service.cpp and
// upsell_routes.cpp. Not for other modules.
#pragma once

#include <memory>

#include "domain/upsell/catalog_rules.hpp"
#include "domain/upsell/suggestion_worker.hpp"
#include "domain/upsell/upsell_service.hpp"

namespace till::domain::upsell {

struct UpsellService::Impl {
    Impl(DomainContext& ctx, Authorizer& authorizer, OrderService& orders, const catalog::CatalogService& catalog,
         script::RulesEngine* rules, UpsellOptions options);

    script::UpsellContext context() const;
    sdk::Value suggestions_for_order(const sdk::Value& order);
    void evaluate_and_publish(const sdk::Value& order);
    /// On the bus thread: filter, copy, hand over. Never waits.
    void on_order_event(const sdk::Event& event);

    DomainContext& ctx;
    Authorizer& authorizer;
    OrderService& orders;
    CatalogRules catalog;
    script::RulesEngine* rules;
    UpsellOptions options;
    std::unique_ptr<SuggestionWorker> worker;
    sdk::SubscriptionId order_subscription = 0;
    sdk::SubscriptionId catalog_subscription = 0;
};

}  // namespace till::domain::upsell
