// Rounded integer division and cash rounding.
#include <limits>

#include "domain/pricing/pricing.hpp"

namespace till::domain::pricing {

std::int64_t divide_rounded(Int128 numerator, std::int64_t denominator, RoundingMode mode) noexcept {
    if (denominator <= 0) return 0;  // outside the contract; never divide by zero
    const Int128 den = denominator;
    Int128 quotient = numerator / den;   // truncates toward zero
    Int128 remainder = numerator % den;  // same sign as the numerator
    const bool negative = remainder < 0;
    if (negative) remainder = -remainder;
    const Int128 twice = remainder * 2;
    bool away = false;  // move one step away from zero
    if (twice > den) {
        away = true;
    } else if (twice == den) {
        away = mode == RoundingMode::half_up || (quotient % 2 != 0);
    }
    if (away) quotient += negative ? -1 : 1;
    return static_cast<std::int64_t>(quotient);
}

std::int64_t cash_round(std::int64_t amount_minor, std::int64_t increment_minor, RoundingMode mode) noexcept {
    if (increment_minor <= 1) return amount_minor;
    const Int128 steps = divide_rounded(amount_minor, increment_minor, mode);
    Int128 rounded = steps * increment_minor;
    // Near the ends of int64 the nearest multiple may not exist: take the
    // one toward zero instead (still within one increment).
    constexpr Int128 max = std::numeric_limits<std::int64_t>::max();
    constexpr Int128 min = std::numeric_limits<std::int64_t>::min();
    if (rounded > max) rounded -= increment_minor;
    if (rounded < min) rounded += increment_minor;
    return static_cast<std::int64_t>(rounded);
}

}  // namespace till::domain::pricing
