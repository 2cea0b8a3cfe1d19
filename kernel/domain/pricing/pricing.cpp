// price_order: validate, work on magnitudes, then assemble the signed,
// int64 results (refusing any that would not fit).
#include <algorithm>

#include "domain/pricing/engine.hpp"

namespace till::domain::pricing {

namespace {

using detail::line_path;
using detail::require_fits;

std::int64_t narrow(Int128 value) {
    return static_cast<std::int64_t>(value);
}

struct SummaryRow {
    std::size_t key;
    Int128 taxable = 0;
    Int128 tax = 0;
};

OrderResult assemble(const detail::WorkOrder& work, const Settings& settings) {
    OrderResult out;
    out.lines.reserve(work.lines.size());
    Int128 gross = 0, discount = 0, tax = 0, total = 0;
    std::vector<SummaryRow> summary;
    for (const auto& line : work.lines) {
        const Int128 s = line.sign;
        const auto path = [&] { return line_path(line.index, "qty_milli"); };
        const char* too_big = "the line's amounts would overflow a 64-bit amount";
        LineResult r;
        r.gross_minor = narrow(s * line.gross);
        r.line_discount_minor = narrow(s * line.line_discount);
        r.order_discount_minor = narrow(s * line.order_discount);
        r.net_minor = narrow(s * line.net());
        const Int128 line_tax = require_fits(s * line.tax(), path, too_big);
        r.tax_minor = narrow(line_tax);
        const Int128 line_total = settings.tax_mode == TaxMode::exclusive ? s * line.net() + line_tax : s * line.net();
        r.total_minor = narrow(require_fits(line_total, path, too_big));

        std::vector<const detail::WorkTax*> parts;
        for (const auto& part : line.taxes) parts.push_back(&part);
        std::sort(parts.begin(), parts.end(),
                  [](const auto* a, const auto* b) { return a->input_index < b->input_index; });
        for (const auto* part : parts) {
            const auto& key = work.keys[part->key];
            r.taxes.push_back(TaxPart{key.tax_rate_id, key.rate_bp, narrow(s * part->taxable), narrow(s * part->tax)});
            auto row =
                std::find_if(summary.begin(), summary.end(), [&](const SummaryRow& x) { return x.key == part->key; });
            if (row == summary.end()) row = summary.insert(summary.end(), SummaryRow{part->key});
            row->taxable += s * part->taxable;
            row->tax += s * part->tax;
        }

        const char* order_too_big = "the order's totals would overflow a 64-bit amount";
        gross += r.gross_minor;
        discount += static_cast<Int128>(r.line_discount_minor) + r.order_discount_minor;
        tax += r.tax_minor;
        total += r.total_minor;
        require_fits(discount, path, order_too_big);
        require_fits(tax, path, order_too_big);
        require_fits(total, path, order_too_big);
        out.lines.push_back(std::move(r));
    }
    out.gross_minor = narrow(gross);
    out.discount_minor = narrow(discount);
    out.tax_minor = narrow(tax);
    out.total_minor = narrow(total);
    std::sort(summary.begin(), summary.end(), [](const SummaryRow& a, const SummaryRow& b) { return a.key < b.key; });
    for (const auto& row : summary) {
        const auto& key = work.keys[row.key];
        require_fits(
            row.taxable, [] { return std::string("$.lines"); }, "the order's totals would overflow a 64-bit amount");
        out.tax_summary.push_back(TaxPart{key.tax_rate_id, key.rate_bp, narrow(row.taxable), narrow(row.tax)});
    }
    return out;
}

}  // namespace

sdk::Result<OrderResult> price_order(const OrderInput& input, const Settings& settings) {
    if (auto status = detail::validate(input); !status) return status.error();
    try {
        auto work = detail::start_work(input, settings.rounding_mode);
        detail::spread_order_discount(work, input.order_discount, settings.rounding_mode);
        if (settings.rounding_level == RoundingLevel::per_invoice) {
            detail::tax_per_invoice(work, settings);
        } else {
            detail::tax_per_line(work, settings);
        }
        return assemble(work, settings);
    } catch (const detail::Refusal& refusal) {
        return sdk::Error{"invalid_argument", refusal.path + ": " + refusal.message};
    }
}

}  // namespace till::domain::pricing
