// The order as the orders module keeps it: the order row, its lines with the
// item snapshot taken when each line was added (tax rates and price at the
// time of sale), and the amounts the pricing engine gave them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/pricing/pricing.hpp"
#include "till/sdk/types.hpp"
#include "till/sdk/value.hpp"

namespace till::domain::orders {

/// A percent or amount discount as the API gives it ({"percent_bp": 1000} or
/// {"amount_minor": 250}); Kind::none when there is none.
using Discount = pricing::Discount;

struct TaxRateSnapshot {
    std::string tax_rate_id;
    std::string name;
    std::int64_t rate_bp = 0;
    bool compound = false;
};

struct ChosenModifier {
    std::string modifier_id;
    std::string group_id;
    std::string name;
    std::int64_t price_delta_minor = 0;  ///< per unit
};

/// What the catalog said about the item when the line was added.
struct ItemSnapshot {
    std::string product_id;
    std::string variant_id;
    std::string tax_class_id;
    std::int64_t catalog_price_minor = 0;  ///< per unit before any override
    std::int64_t cost_minor = 0;
    bool weighed = false;
    bool track_stock = true;
    std::vector<TaxRateSnapshot> tax_rates;
};

/// Amounts the pricing engine gave a line (negative on a return line).
struct LineAmounts {
    std::int64_t gross_minor = 0;
    std::int64_t line_discount_minor = 0;
    std::int64_t order_discount_minor = 0;
    std::int64_t net_minor = 0;
    std::int64_t tax_minor = 0;
    std::int64_t total_minor = 0;
    std::vector<pricing::TaxPart> taxes;
    bool operator==(const LineAmounts& other) const;
};

struct OrderLine {
    std::string line_id;
    std::int64_t position = 0;
    std::string sku;
    std::string name;
    std::string department_id;
    ItemSnapshot item;
    std::int64_t qty_milli = 0;         ///< negative on a return line
    std::int64_t unit_price_minor = 0;  ///< what the line sells at (catalog price or override)
    std::vector<ChosenModifier> modifiers;
    std::string note;
    Discount discount;
    LineAmounts amounts;
    std::string original_line_id;       ///< return lines: the sale line returned
    bool voided = false;
    std::string void_reason;
    std::int64_t voided_utc_ms = 0;

    bool is_return_line() const noexcept { return !original_line_id.empty(); }
    std::int64_t modifiers_unit_minor() const noexcept;
};

/// Order states, in the API's spelling (see order_state.hpp for the rules).
enum class State { open, submitted, paid, closed, voided, partially_refunded, refunded };
const char* state_name(State state) noexcept;
std::optional<State> state_from_name(const std::string& name) noexcept;

struct OrderTotalsView {
    std::int64_t gross_minor = 0;
    std::int64_t discount_minor = 0;
    std::int64_t tax_minor = 0;
    std::int64_t total_minor = 0;
    std::vector<pricing::TaxPart> taxes;  ///< per rate over the lines
};

struct Order {
    std::string order_id;
    std::string order_type_id;
    State state = State::open;
    std::int64_t version = 1;
    std::string currency;
    std::string customer_id;
    sdk::Value fields = sdk::Value::map();
    std::string register_session_id;  ///< session open on the creating terminal ("" = none)
    std::string settled_session_id;   ///< session of the terminal where it was settled
    std::string terminal_id;
    std::string user_id;
    bool is_return = false;
    std::string original_order_id;
    std::string reason_code;
    std::string refund_authorized_by;  ///< supervisor whose override allowed the refund
    Discount order_discount;
    OrderTotalsView totals;
    std::vector<OrderLine> lines;       ///< by position
    std::int64_t opened_utc_ms = 0;
    std::int64_t submitted_utc_ms = 0;  ///< 0 = never
    std::int64_t paid_utc_ms = 0;
    std::int64_t closed_utc_ms = 0;
    std::int64_t voided_utc_ms = 0;
    std::string void_reason;
    bool submit_hook_ran = false;       ///< on_submitted accepted this order
    bool tax_exempt = false;            ///< its customer was tax-exempt when assigned: no tax on its lines

    OrderLine* find_line(const std::string& line_id);
    const OrderLine* find_line(const std::string& line_id) const;
    std::int64_t next_position() const noexcept;
    /// Lines counted in the totals: not voided.
    std::size_t live_line_count() const noexcept;
};

/// The order as plugins see it (sdk::Order), for order type hooks.
sdk::Order to_sdk_order(const Order& order);
sdk::Line to_sdk_line(const OrderLine& line);

}  // namespace till::domain::orders
