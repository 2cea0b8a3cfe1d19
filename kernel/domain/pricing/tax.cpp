// Tax: per line, or per invoice. Works on magnitudes (see engine.hpp).
//
// Exclusive prices: a non-compound rate is levied on the line's net amount;
// a compound rate on the net amount plus the line's non-compound taxes.
// Inclusive prices: the tax contained in a price P under non-compound rates
// R and compound rates C (fractions) is P − P / ((1 + R)(1 + C)), rounded
// once, then split over the rates by largest remainder.
#include <utility>

#include "domain/pricing/engine.hpp"

namespace till::domain::pricing::detail {

namespace {

constexpr Int128 kWhole = kBpPerWhole;

/// round(base × rate_bp / 10000), refused when it would not fit an int64.
template <class PathFn>
Int128 levy(Int128 base, std::int64_t rate_bp, RoundingMode mode, PathFn&& path) {
    const Int128 product = base * rate_bp;
    require_fits((product + kWhole - 1) / kWhole, path, "the tax would overflow a 64-bit amount");
    return divide_rounded(product, kBpPerWhole, mode);
}

/// The tax contained in the tax-inclusive `price` under the rates of
/// `parts`, one share per part (summing to the rounded total).
std::vector<Int128> split_inclusive(Int128 price, const std::vector<WorkTax>& parts, const std::vector<RateKey>& keys,
                                    RoundingMode mode) {
    Int128 simple_bp = 0;
    Int128 compound_bp = 0;
    for (const auto& part : parts) (keys[part.key].compound ? compound_bp : simple_bp) += keys[part.key].rate_bp;
    // Rates add up to at most kMaxLineRatesBp per line: the denominator is
    // below 2^40 and price × share below 2^104.
    const Int128 denominator = (kWhole + simple_bp) * (kWhole + compound_bp);
    const Int128 tax_share = denominator - kWhole * kWhole;
    const Int128 total = divide_rounded(price * tax_share, static_cast<std::int64_t>(denominator), mode);
    std::vector<Int128> weights;
    weights.reserve(parts.size());
    for (const auto& part : parts) {
        const RateKey& key = keys[part.key];
        weights.push_back(key.compound ? key.rate_bp * (kWhole + simple_bp) : key.rate_bp * kWhole);
    }
    return allocate(total, weights);
}

Int128 simple_taxes(const WorkLine& line, const std::vector<RateKey>& keys) {
    Int128 sum = 0;
    for (const auto& part : line.taxes)
        if (!keys[part.key].compound) sum += part.tax;
    return sum;
}

/// Inclusive: with the taxes known, the taxable amounts follow.
void fill_inclusive_taxables(WorkLine& line, const std::vector<RateKey>& keys) {
    const Int128 base = line.net() - line.tax();
    const Int128 simple = simple_taxes(line, keys);
    for (auto& part : line.taxes) part.taxable = keys[part.key].compound ? base + simple : base;
}

void line_exclusive(WorkLine& line, const std::vector<RateKey>& keys, RoundingMode mode) {
    const Int128 base = line.net();
    Int128 simple = 0;
    for (auto& part : line.taxes) {  // non-compound parts come first
        const RateKey& key = keys[part.key];
        const auto path = [&] { return rate_path(line.index, part.input_index); };
        part.taxable = key.compound
                           ? require_fits(base + simple, path, "the taxable amount would overflow a 64-bit amount")
                           : base;
        part.tax = levy(part.taxable, key.rate_bp, mode, path);
        if (!key.compound) simple += part.tax;
    }
}

void line_inclusive(WorkLine& line, const std::vector<RateKey>& keys, RoundingMode mode) {
    const auto shares = split_inclusive(line.net(), line.taxes, keys, mode);
    for (std::size_t p = 0; p < line.taxes.size(); ++p) line.taxes[p].tax = shares[p];
    fill_inclusive_taxables(line, keys);
}

/// Per invoice, exclusive: each rate levied once on the summed base of the
/// lines that carry it, then allocated back in proportion to their bases.
void invoice_exclusive(WorkOrder& work, const std::vector<std::size_t>& group, RoundingMode mode) {
    for (const bool compound : {false, true}) {
        for (std::size_t k = 0; k < work.keys.size(); ++k) {
            const RateKey& key = work.keys[k];
            if (key.compound != compound) continue;
            std::vector<std::pair<std::size_t, std::size_t>> where;  // (line, part)
            std::vector<Int128> weights;
            for (const std::size_t li : group) {
                WorkLine& line = work.lines[li];
                const Int128 simple = compound ? simple_taxes(line, work.keys) : 0;
                for (std::size_t p = 0; p < line.taxes.size(); ++p) {
                    if (line.taxes[p].key != k) continue;
                    const auto path = [&] { return rate_path(line.index, line.taxes[p].input_index); };
                    where.emplace_back(li, p);
                    weights.push_back(
                        require_fits(line.net() + simple, path, "the taxable amount would overflow a 64-bit amount"));
                }
            }
            if (where.empty()) continue;
            Int128 base = 0;
            for (const Int128 w : weights) base += w;
            const WorkLine& first = work.lines[where.front().first];
            const auto first_path = [&] {
                return rate_path(first.index, first.taxes[where.front().second].input_index);
            };
            const Int128 total = levy(base, key.rate_bp, mode, first_path);
            const auto shares = allocate(total, weights);
            for (std::size_t o = 0; o < where.size(); ++o) {
                WorkTax& part = work.lines[where[o].first].taxes[where[o].second];
                part.taxable = weights[o];
                part.tax = shares[o];
            }
        }
    }
}

/// Per invoice, inclusive: lines with the same set of rates are priced as
/// one line of their summed price; each rate's tax is then allocated back in
/// proportion to the lines' prices, never more tax than a line's price.
void invoice_inclusive(WorkOrder& work, const std::vector<std::size_t>& group, RoundingMode mode) {
    std::vector<std::pair<std::vector<std::size_t>, std::vector<std::size_t>>> by_rates;  // rate keys → lines
    for (const std::size_t li : group) {
        std::vector<std::size_t> signature;
        for (const auto& part : work.lines[li].taxes) signature.push_back(part.key);
        auto it = by_rates.begin();
        while (it != by_rates.end() && it->first != signature) ++it;
        if (it == by_rates.end()) {
            by_rates.emplace_back(std::move(signature), std::vector<std::size_t>{li});
        } else {
            it->second.push_back(li);
        }
    }
    for (const auto& [signature, lines] : by_rates) {
        Int128 price = 0;
        std::vector<Int128> weights;
        for (const std::size_t li : lines) {
            weights.push_back(work.lines[li].net());
            price += weights.back();
        }
        const auto totals = split_inclusive(price, work.lines[lines.front()].taxes, work.keys, mode);
        std::vector<Int128> capacity = weights;
        for (std::size_t p = 0; p < signature.size(); ++p) {
            const auto shares = allocate(totals[p], weights, &capacity);
            for (std::size_t l = 0; l < lines.size(); ++l) {
                work.lines[lines[l]].taxes[p].tax = shares[l];
                capacity[l] -= shares[l];
            }
        }
        for (const std::size_t li : lines) fill_inclusive_taxables(work.lines[li], work.keys);
    }
}

}  // namespace

void tax_per_line(WorkOrder& work, const Settings& settings) {
    for (auto& line : work.lines) {
        if (!line.taxed || line.taxes.empty()) continue;
        if (settings.tax_mode == TaxMode::exclusive) {
            line_exclusive(line, work.keys, settings.rounding_mode);
        } else {
            line_inclusive(line, work.keys, settings.rounding_mode);
        }
    }
}

void tax_per_invoice(WorkOrder& work, const Settings& settings) {
    // Sale lines and return lines are rounded as two groups, so that a
    // return order is the exact negative of the same sale.
    for (const int sign : {1, -1}) {
        std::vector<std::size_t> group;
        for (std::size_t i = 0; i < work.lines.size(); ++i) {
            const WorkLine& line = work.lines[i];
            if (line.sign == sign && line.taxed && !line.taxes.empty()) group.push_back(i);
        }
        if (group.empty()) continue;
        if (settings.tax_mode == TaxMode::exclusive) {
            invoice_exclusive(work, group, settings.rounding_mode);
        } else {
            invoice_inclusive(work, group, settings.rounding_mode);
        }
    }
}

}  // namespace till::domain::pricing::detail
