// Gross amounts, line discounts and the order discount — on magnitudes; a
// line's sign is applied when the results are assembled.
#include <algorithm>

#include "domain/pricing/engine.hpp"

namespace till::domain::pricing::detail {

namespace {

Int128 magnitude(std::int64_t v) {
    return v < 0 ? -static_cast<Int128>(v) : static_cast<Int128>(v);
}

/// The discount's amount off `base` (>= 0), never more than `base`.
Int128 discount_off(const Discount& discount, Int128 base, RoundingMode mode) {
    switch (discount.kind) {
        case Discount::Kind::percent:
            return divide_rounded(base * discount.percent_bp, kBpPerWhole, mode);
        case Discount::Kind::amount:
            return std::min<Int128>(discount.amount_minor, base);
        case Discount::Kind::none:
            break;
    }
    return 0;
}

std::size_t key_of(WorkOrder& work, const Rate& rate) {
    for (std::size_t k = 0; k < work.keys.size(); ++k) {
        const RateKey& key = work.keys[k];
        if (key.tax_rate_id == rate.tax_rate_id && key.rate_bp == rate.rate_bp && key.compound == rate.compound)
            return k;
    }
    work.keys.push_back(RateKey{rate.tax_rate_id, rate.rate_bp, rate.compound});
    return work.keys.size() - 1;
}

}  // namespace

Int128 WorkLine::tax() const {
    Int128 sum = 0;
    for (const auto& part : taxes) sum += part.tax;
    return sum;
}

WorkOrder start_work(const OrderInput& input, RoundingMode mode) {
    WorkOrder work;
    work.lines.reserve(input.lines.size());
    Int128 order_gross = 0;
    for (std::size_t i = 0; i < input.lines.size(); ++i) {
        const LineInput& in = input.lines[i];
        WorkLine line;
        line.index = i;
        line.sign = in.qty_milli < 0 ? -1 : 1;
        line.taxed = !(in.tax_exempt || input.tax_exempt);
        const Int128 unit = static_cast<Int128>(in.unit_price_minor) + in.modifiers_unit_minor;  // >= 0, < 2^64
        // |qty| <= 2^63 and unit < 2^64: the product stays below 2^127.
        const Int128 product = magnitude(in.qty_milli) * unit;
        const auto qty_path = [i] { return line_path(i, "qty_milli"); };
        // Checked on the quotient rounded up, before divide_rounded narrows it.
        require_fits((product + kMilliPerUnit - 1) / kMilliPerUnit, qty_path,
                     "quantity × unit price would overflow a 64-bit amount");
        line.gross = divide_rounded(product, kMilliPerUnit, mode);
        order_gross += line.gross;
        require_fits(order_gross, qty_path, "the order's amounts would overflow a 64-bit amount");
        line.line_discount = discount_off(in.discount, line.gross, mode);
        if (line.taxed) {
            for (std::size_t j = 0; j < in.rates.size(); ++j) {
                line.taxes.push_back(WorkTax{key_of(work, in.rates[j]), j, 0, 0});
            }
            std::stable_sort(line.taxes.begin(), line.taxes.end(), [&](const WorkTax& a, const WorkTax& b) {
                const bool ca = work.keys[a.key].compound;
                const bool cb = work.keys[b.key].compound;
                if (ca != cb) return !ca;
                return a.key < b.key;
            });
        }
        work.lines.push_back(std::move(line));
    }
    return work;
}

void spread_order_discount(WorkOrder& work, const Discount& discount, RoundingMode mode) {
    if (discount.kind == Discount::Kind::none) return;
    // An order discount is taken off the order's sale lines; on an order of
    // return lines only, off the return lines (the mirror of the sale). In
    // an exchange, the returned goods keep the price they were sold at.
    const bool any_sale =
        std::any_of(work.lines.begin(), work.lines.end(), [](const WorkLine& l) { return l.sign > 0; });
    const int target_sign = any_sale ? 1 : -1;
    std::vector<std::size_t> targets;
    std::vector<Int128> weights;
    Int128 base = 0;
    for (std::size_t i = 0; i < work.lines.size(); ++i) {
        if (work.lines[i].sign != target_sign) continue;
        targets.push_back(i);
        weights.push_back(work.lines[i].after_line_discount());
        base += weights.back();
    }
    const Int128 total = discount_off(discount, base, mode);
    const auto shares = allocate(total, weights);
    for (std::size_t t = 0; t < targets.size(); ++t) work.lines[targets[t]].order_discount = shares[t];
}

}  // namespace till::domain::pricing::detail
