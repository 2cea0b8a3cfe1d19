// The pricing and tax engine: pure functions, no I/O, no clock, no floats.
//
// Given an order's lines (quantity in thousandths, unit price and modifier
// deltas in minor units, the line's tax rates in basis points, discounts) and
// the deployment's settings (tax-inclusive or -exclusive prices, rounding
// mode and level), it computes every line's amounts and the order's totals
// such that:
//   - the lines always sum to the totals (no cent appears or disappears);
//   - discounts never make a line negative (a sale line) or positive (a return line);
//   - an order discount is spread over the lines in proportion to their
//     amounts (largest remainder), so each line knows its share (refunds of
//     one line give back exactly what was paid for it);
//   - tax rounding per line, or per invoice (per rate, then spread back over
//     the lines by largest remainder).
// Return lines have negative quantities and produce the exact negatives of
// the same sale line.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "domain/common/settings.hpp"
#include "till/sdk/status.hpp"

namespace till::domain::pricing {

/// A 128-bit integer for exact intermediate products (GCC/Clang builtin;
/// `__extension__` keeps -Wpedantic quiet in every file that includes this).
__extension__ typedef __int128 Int128;

struct Rate {
    std::string tax_rate_id;
    std::int64_t rate_bp = 0;  ///< 2000 = 20%; 0 allowed (zero-rated)
    bool compound = false;     ///< levied on the net amount plus the non-compound taxes
};

struct Discount {
    enum class Kind { none, percent, amount };
    Kind kind = Kind::none;
    std::int64_t percent_bp = 0;    ///< Kind::percent: 1000 = 10% (0..10000)
    std::int64_t amount_minor = 0;  ///< Kind::amount: off the line (or order), >= 0, capped at its amount
};

struct LineInput {
    std::int64_t qty_milli = 0;               ///< != 0; negative for a return line
    std::int64_t unit_price_minor = 0;        ///< >= 0, in the deployment's tax mode
    std::int64_t modifiers_unit_minor = 0;    ///< sum of modifier deltas per unit (may be negative; unit + modifiers >= 0)
    std::vector<Rate> rates;                  ///< applied in order: non-compound first, then compound
    bool tax_exempt = false;                  ///< this line carries no tax
    Discount discount;
};

struct OrderInput {
    std::vector<LineInput> lines;
    Discount order_discount;   ///< spread over the lines after their own discounts
    bool tax_exempt = false;   ///< the whole order is exempt (e.g. an exempt customer)
};

struct Settings {
    TaxMode tax_mode = TaxMode::inclusive;
    RoundingMode rounding_mode = RoundingMode::half_up;
    RoundingLevel rounding_level = RoundingLevel::per_line;
};

struct TaxPart {
    std::string tax_rate_id;
    std::int64_t rate_bp = 0;
    std::int64_t taxable_minor = 0;  ///< the base this rate was levied on (net of tax)
    std::int64_t tax_minor = 0;
};

struct LineResult {
    std::int64_t gross_minor = 0;           ///< round(qty × (unit + modifiers)), before discounts
    std::int64_t line_discount_minor = 0;   ///< >= 0 for sales (<= 0 for returns): the line's own discount
    std::int64_t order_discount_minor = 0;  ///< this line's share of the order discount
    std::int64_t net_minor = 0;             ///< gross − discounts, in the deployment's tax mode
    std::int64_t tax_minor = 0;             ///< sum of taxes
    std::vector<TaxPart> taxes;
    std::int64_t total_minor = 0;           ///< what the customer pays for the line (net + tax when exclusive; net when inclusive)
};

struct OrderResult {
    std::vector<LineResult> lines;          ///< same order as the input
    std::int64_t gross_minor = 0;           ///< sum of line gross
    std::int64_t discount_minor = 0;        ///< sum of line and order discounts
    std::int64_t tax_minor = 0;             ///< sum of line tax
    std::int64_t total_minor = 0;           ///< sum of line totals
    std::vector<TaxPart> tax_summary;       ///< per rate id, summed over the lines (receipts, Z report)
};

/// Prices an order. Errors (code "invalid_argument", message naming the line
/// as "$.lines[i].field: ...") for a zero quantity, a negative price, a
/// percent outside 0..10000, a negative amount discount, a negative rate, or
/// amounts that would overflow int64.
sdk::Result<OrderResult> price_order(const OrderInput& input, const Settings& settings);

/// numerator / denominator rounded to an integer by `mode` (denominator > 0;
/// exact for every int64 numerator product held in __int128). Ties are
/// symmetric around zero: half_up rounds them away from zero (2.5 → 3,
/// −2.5 → −3), half_even to the even neighbour (2.5 → 2, 3.5 → 4).
std::int64_t divide_rounded(Int128 numerator, std::int64_t denominator, RoundingMode mode) noexcept;

/// `amount_minor` rounded to a multiple of `increment_minor` (cash rounding,
/// e.g. 5 for 0.05); unchanged when increment_minor <= 1.
std::int64_t cash_round(std::int64_t amount_minor, std::int64_t increment_minor, RoundingMode mode) noexcept;

}  // namespace till::domain::pricing
