// Internal to the pricing engine (not for other modules): the working state
// of an order while it is priced. Amounts here are magnitudes (>= 0) held in
// 128 bits; a line's sign is applied only when the results are assembled, so
// a return line is by construction the exact negative of the same sale line.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "domain/pricing/pricing.hpp"

namespace till::domain::pricing::detail {

inline constexpr std::int64_t kBpPerWhole = 10000;        ///< 100 % in basis points
inline constexpr std::int64_t kMaxLineRatesBp = 1000000;  ///< a line's rates add up to at most 10,000 %
inline constexpr std::int64_t kMilliPerUnit = 1000;
inline constexpr Int128 kMaxAmount = std::numeric_limits<std::int64_t>::max();

/// An input the engine refuses part-way (an amount that would overflow
/// int64). Thrown inside the engine only; price_order turns it into an
/// "invalid_argument" error.
struct Refusal {
    std::string path;     ///< "$.lines[2].qty_milli"
    std::string message;  ///< "the line's amount would overflow a 64-bit amount"
};

std::string line_path(std::size_t line, const char* field);
std::string rate_path(std::size_t line, std::size_t rate);

/// Throws Refusal{path(), message} unless |value| fits an int64 (INT64_MIN excluded).
template <class PathFn>
Int128 require_fits(Int128 value, PathFn&& path, const char* message) {
    if (value > kMaxAmount || value < -kMaxAmount) throw Refusal{path(), message};
    return value;
}

/// A distinct tax rate of the order: rates are told apart by id, rate and
/// kind, so two lines priced with different rates under one id stay apart.
struct RateKey {
    std::string tax_rate_id;
    std::int64_t rate_bp = 0;
    bool compound = false;
};

struct WorkTax {
    std::size_t key = 0;          ///< index in WorkOrder::keys
    std::size_t input_index = 0;  ///< index in the line's input `rates`
    Int128 taxable = 0;
    Int128 tax = 0;
};

struct WorkLine {
    std::size_t index = 0;  ///< in the input
    int sign = 1;           ///< +1 sale line, -1 return line
    bool taxed = true;      ///< false: the line or the order is exempt
    Int128 gross = 0;
    Int128 line_discount = 0;
    Int128 order_discount = 0;
    /// Non-compound parts first, then compound ones, each by key index (the
    /// order the engine levies them); results list them in input order.
    std::vector<WorkTax> taxes;

    Int128 after_line_discount() const { return gross - line_discount; }
    Int128 net() const { return gross - line_discount - order_discount; }
    Int128 tax() const;
};

struct WorkOrder {
    std::vector<RateKey> keys;  ///< first appearance order (taxed lines only)
    std::vector<WorkLine> lines;
};

/// validation.cpp: every rule a caller can break, named by JSON path.
sdk::Status validate(const OrderInput& input);

/// line_amounts.cpp: gross, line discounts and rate parts (refuses overflow).
WorkOrder start_work(const OrderInput& input, RoundingMode mode);
/// line_amounts.cpp: the order discount, spread over its lines.
void spread_order_discount(WorkOrder& work, const Discount& discount, RoundingMode mode);

/// tax.cpp: tax per line, or per invoice (per rate / per rate set).
void tax_per_line(WorkOrder& work, const Settings& settings);
void tax_per_invoice(WorkOrder& work, const Settings& settings);

/// allocation.cpp: `total` (>= 0) split over `weights` (>= 0) in proportion,
/// by largest remainder (ties to the lower index), so the shares sum to
/// `total` exactly. total and every weight must fit an int64. With
/// `capacity`, no share exceeds its capacity; units that fit nowhere are
/// left out (the shares then sum to less). All-zero weights give zeros.
std::vector<Int128> allocate(Int128 total, const std::vector<Int128>& weights,
                             const std::vector<Int128>* capacity = nullptr);

}  // namespace till::domain::pricing::detail
