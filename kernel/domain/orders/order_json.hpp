// The order as the API shows it (responses and event payloads), and the JSON
// forms of the parts kept in text columns (item snapshot, modifiers, taxes).
#pragma once

#include "domain/orders/order_model.hpp"
#include "till/sdk/value.hpp"

namespace till::domain::orders {

/// The full order: state, version, every line with its priced amounts and
/// tax parts, totals, and an empty "payments" list (payments are the payments
/// module's).
sdk::Value order_to_json(const Order& order);
/// The order without its lines (for lists), with "line_count".
sdk::Value order_summary_json(const Order& order);
sdk::Value line_to_json(const OrderLine& line);
/// null for Kind::none, else {"percent_bp": n} or {"amount_minor": n}.
sdk::Value discount_to_json(const Discount& discount);

// Storage forms (round-trip exactly).
sdk::Value item_to_json(const ItemSnapshot& item);
ItemSnapshot item_from_json(const sdk::Value& v);
sdk::Value modifiers_to_json(const std::vector<ChosenModifier>& modifiers);
std::vector<ChosenModifier> modifiers_from_json(const sdk::Value& v);
sdk::Value taxes_to_json(const std::vector<pricing::TaxPart>& taxes);
std::vector<pricing::TaxPart> taxes_from_json(const sdk::Value& v);

}  // namespace till::domain::orders
