// Small builders for the pricing tests: lines, rates, discounts, settings.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "domain/pricing/pricing.hpp"

namespace till::test::pricing {

namespace p = till::domain::pricing;
using till::domain::RoundingLevel;
using till::domain::RoundingMode;
using till::domain::TaxMode;

inline p::Rate rate(std::string id, std::int64_t bp, bool compound = false) {
    return p::Rate{std::move(id), bp, compound};
}

inline p::LineInput line(std::int64_t qty_milli, std::int64_t unit_price_minor, std::vector<p::Rate> rates = {}) {
    p::LineInput l;
    l.qty_milli = qty_milli;
    l.unit_price_minor = unit_price_minor;
    l.rates = std::move(rates);
    return l;
}

inline p::Discount percent_off(std::int64_t bp) {
    p::Discount d;
    d.kind = p::Discount::Kind::percent;
    d.percent_bp = bp;
    return d;
}

inline p::Discount amount_off(std::int64_t minor) {
    p::Discount d;
    d.kind = p::Discount::Kind::amount;
    d.amount_minor = minor;
    return d;
}

inline p::Settings settings(TaxMode tax_mode, RoundingMode mode = RoundingMode::half_up,
                            RoundingLevel level = RoundingLevel::per_line) {
    return p::Settings{tax_mode, mode, level};
}

/// Prices `input`; fails the test (with the error) when it is refused.
p::OrderResult priced(const p::OrderInput& input, const p::Settings& s);

}  // namespace till::test::pricing
