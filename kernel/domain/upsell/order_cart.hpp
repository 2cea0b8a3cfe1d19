// The cart an upsell rule sees, made from the order as the API shows it
// (the JSON of kernel/domain/orders/order_json.cpp, also the payload of the
// `order.*` events): live lines only (voided ones left out), each with its
// department's code ("coffee") and its catalog tags; totals with the gross
// amount as subtotal; the customer by id.
#pragma once

#include <optional>

#include "domain/upsell/catalog_rules.hpp"
#include "script/cart.hpp"
#include "till/sdk/value.hpp"

namespace till::domain::upsell {

/// Whether rules run for this order at all: an order still being rung up
/// (state open or submitted) that is not a return.
bool takes_suggestions(const sdk::Value& order);

/// The cart of `order`. Department codes and tags come from `catalog`.
script::Cart cart_from_order(const sdk::Value& order, const CatalogRules& catalog);

}  // namespace till::domain::upsell
