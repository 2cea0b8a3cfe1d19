// Order amounts: sale lines are priced by the pricing engine on every change
// (so an order discount is spread again over the lines); return lines keep
// the exact share of what the customer paid for the original line, fixed
// when the return was made.
#pragma once

#include <cstdint>
#include <string>

#include "domain/common/settings.hpp"
#include "domain/orders/order_model.hpp"
#include "till/sdk/status.hpp"

namespace till::domain::orders {

/// Prices every live sale line of `order` with pricing::price_order, keeps
/// return lines as they are, and sums the totals (voided lines do not count).
/// Errors from the engine are "invalid_argument" naming the request's JSON
/// path: a problem of line `focus_line_id` (the line being added or changed)
/// as its field ("$.qty_milli", "$.unit_price_minor", "$.modifiers",
/// "$.discount.amount_minor"), the order discount as "$.discount...", any
/// other line as "$" with its position and SKU.
sdk::Status reprice(Order& order, const SalesSettings& settings, const std::string& focus_line_id = {});

/// The refund for returning `qty_now_milli` more of a sale line that sold
/// `qty_sold_milli` for `paid`, when `qty_returned_milli` was returned before
/// for `refunded_before` (positive amounts, as on the sale line). Each amount
/// is the share of the cumulative returned quantity, rounded toward zero,
/// minus what was refunded before — so returning everything, in any number
/// of steps, gives back exactly what was paid and never more. Returns
/// positive amounts; the caller negates them for the return line.
LineAmounts refund_share(const LineAmounts& paid, std::int64_t qty_sold_milli, std::int64_t qty_returned_milli,
                         std::int64_t qty_now_milli, const LineAmounts& refunded_before, TaxMode tax_mode);

/// `amounts` with every amount negated.
LineAmounts negated(const LineAmounts& amounts);

}  // namespace till::domain::orders
