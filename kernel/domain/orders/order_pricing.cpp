#include "domain/orders/order_pricing.hpp"

#include <algorithm>
#include <exception>
#include <string>
#include <vector>
#include <map>

#include "domain/common/http_errors.hpp"

namespace till::domain::orders {

namespace {

void add_taxes(std::map<std::string, pricing::TaxPart>& sum, std::vector<std::string>& order,
               const std::vector<pricing::TaxPart>& parts) {
    for (const auto& p : parts) {
        auto it = sum.find(p.tax_rate_id);
        if (it == sum.end()) {
            sum[p.tax_rate_id] = p;
            order.push_back(p.tax_rate_id);
        } else {
            it->second.taxable_minor += p.taxable_minor;
            it->second.tax_minor += p.tax_minor;
        }
    }
}

/// The engine's "$.lines[i].field: what" in the request's terms (see reprice).
sdk::Error engine_error(const std::string& message, const std::vector<OrderLine*>& priced,
                        const std::string& focus_line_id) {
    auto fail = [](const std::string& path, const std::string& what) {
        return sdk::Error{std::string(error_code::invalid_argument), path + ": " + what};
    };
    const auto sep = message.find(": ");
    const std::string where = message.substr(0, sep);
    const std::string what = sep == std::string::npos ? message : message.substr(sep + 2);
    if (where.rfind("$.order_discount", 0) == 0) return fail("$.discount" + where.substr(16), what);
    if (where.rfind("$.lines[", 0) == 0) {
        const auto close = where.find(']');
        std::size_t index = priced.size();
        try {
            index = static_cast<std::size_t>(std::stoul(where.substr(8, close - 8)));
        } catch (const std::exception&) {
        }
        if (close != std::string::npos && index < priced.size()) {
            const OrderLine& line = *priced[index];
            const std::string field = where.substr(close + 1);  // ".qty_milli", ".rates[0].rate_bp", ...
            if (!focus_line_id.empty() && line.line_id == focus_line_id) {
                if (field.rfind(".discount", 0) == 0) return fail("$" + field, what);
                if (field == ".unit_price_minor") return fail("$.unit_price_minor", what);
                if (field == ".modifiers_unit_minor") return fail("$.modifiers", what);
                if (field.rfind(".rates", 0) == 0) return fail("$.sku", "the item's tax rates: " + what);
                return fail("$.qty_milli", what);
            }
            return fail("$", "cannot price line " + std::to_string(line.position) + " (" + line.sku + ")" + field +
                                 ": " + what);
        }
    }
    return fail("$", "cannot price the order: " + message);
}

}  // namespace

sdk::Status reprice(Order& order, const SalesSettings& settings, const std::string& focus_line_id) {
    pricing::OrderInput input;
    std::vector<OrderLine*> priced;
    for (auto& l : order.lines) {
        if (l.voided || l.is_return_line()) continue;
        pricing::LineInput in;
        in.qty_milli = l.qty_milli;
        in.unit_price_minor = l.unit_price_minor;
        in.modifiers_unit_minor = l.modifiers_unit_minor();
        for (const auto& r : l.item.tax_rates) in.rates.push_back({r.tax_rate_id, r.rate_bp, r.compound});
        in.discount = l.discount;
        input.lines.push_back(std::move(in));
        priced.push_back(&l);
    }
    input.order_discount = order.order_discount;
    input.tax_exempt = order.tax_exempt;

    OrderTotalsView totals;
    std::map<std::string, pricing::TaxPart> tax_sum;
    std::vector<std::string> tax_order;
    if (!input.lines.empty()) {
        pricing::Settings ps{settings.tax_mode, settings.rounding_mode, settings.rounding_level};
        auto result = pricing::price_order(input, ps);
        if (!result) return engine_error(result.error().message, priced, focus_line_id);
        for (std::size_t i = 0; i < priced.size(); ++i) {
            const auto& r = result->lines[i];
            auto& a = priced[i]->amounts;
            a.gross_minor = r.gross_minor;
            a.line_discount_minor = r.line_discount_minor;
            a.order_discount_minor = r.order_discount_minor;
            a.net_minor = r.net_minor;
            a.tax_minor = r.tax_minor;
            a.total_minor = r.total_minor;
            a.taxes = r.taxes;
        }
    }
    for (const auto& l : order.lines) {
        if (l.voided) continue;
        totals.gross_minor += l.amounts.gross_minor;
        totals.discount_minor += l.amounts.line_discount_minor + l.amounts.order_discount_minor;
        totals.tax_minor += l.amounts.tax_minor;
        totals.total_minor += l.amounts.total_minor;
        add_taxes(tax_sum, tax_order, l.amounts.taxes);
    }
    for (const auto& id : tax_order) totals.taxes.push_back(tax_sum[id]);
    order.totals = std::move(totals);
    return {};
}

namespace {
// trunc(amount × part / whole), exact in 128 bits; amount >= 0, 0 <= part <= whole.
std::int64_t share_of(std::int64_t amount, std::int64_t part, std::int64_t whole) {
    if (whole <= 0) return 0;
    pricing::Int128 n = static_cast<pricing::Int128>(amount) * part;
    return static_cast<std::int64_t>(n / whole);
}

std::int64_t step(std::int64_t paid, std::int64_t sold, std::int64_t cumulative, std::int64_t before) {
    // Amounts on a sale line are >= 0; keep a refund from going the wrong way.
    std::int64_t now = share_of(paid, cumulative, sold) - before;
    if (paid >= 0) return std::clamp<std::int64_t>(now, 0, paid);
    return std::clamp<std::int64_t>(now, paid, 0);
}
}  // namespace

LineAmounts refund_share(const LineAmounts& paid, std::int64_t qty_sold_milli, std::int64_t qty_returned_milli,
                         std::int64_t qty_now_milli, const LineAmounts& before, TaxMode tax_mode) {
    const std::int64_t cumulative = qty_returned_milli + qty_now_milli;
    LineAmounts out;
    out.total_minor = step(paid.total_minor, qty_sold_milli, cumulative, before.total_minor);
    out.gross_minor = step(paid.gross_minor, qty_sold_milli, cumulative, before.gross_minor);
    out.line_discount_minor = step(paid.line_discount_minor, qty_sold_milli, cumulative, before.line_discount_minor);
    for (const auto& part : paid.taxes) {
        pricing::TaxPart prev{part.tax_rate_id, part.rate_bp, 0, 0};
        for (const auto& b : before.taxes)
            if (b.tax_rate_id == part.tax_rate_id) prev = b;
        pricing::TaxPart p{part.tax_rate_id, part.rate_bp, 0, 0};
        p.taxable_minor = step(part.taxable_minor, qty_sold_milli, cumulative, prev.taxable_minor);
        p.tax_minor = step(part.tax_minor, qty_sold_milli, cumulative, prev.tax_minor);
        out.tax_minor += p.tax_minor;
        out.taxes.push_back(p);
    }
    // The net follows from what was paid; the order discount share is what
    // is left between gross and net (so the line's parts still add up).
    out.net_minor = tax_mode == TaxMode::exclusive ? out.total_minor - out.tax_minor : out.total_minor;
    out.order_discount_minor = out.gross_minor - out.line_discount_minor - out.net_minor;
    return out;
}

LineAmounts negated(const LineAmounts& a) {
    LineAmounts out;
    out.gross_minor = -a.gross_minor;
    out.line_discount_minor = -a.line_discount_minor;
    out.order_discount_minor = -a.order_discount_minor;
    out.net_minor = -a.net_minor;
    out.tax_minor = -a.tax_minor;
    out.total_minor = -a.total_minor;
    for (const auto& t : a.taxes) out.taxes.push_back({t.tax_rate_id, t.rate_bp, -t.taxable_minor, -t.tax_minor});
    return out;
}

}  // namespace till::domain::orders
