#include "domain/orders/order_model.hpp"

#include <algorithm>

namespace till::domain::orders {

bool LineAmounts::operator==(const LineAmounts& o) const {
    if (gross_minor != o.gross_minor || line_discount_minor != o.line_discount_minor ||
        order_discount_minor != o.order_discount_minor || net_minor != o.net_minor || tax_minor != o.tax_minor ||
        total_minor != o.total_minor || taxes.size() != o.taxes.size())
        return false;
    for (std::size_t i = 0; i < taxes.size(); ++i) {
        const auto& a = taxes[i];
        const auto& b = o.taxes[i];
        if (a.tax_rate_id != b.tax_rate_id || a.rate_bp != b.rate_bp || a.taxable_minor != b.taxable_minor ||
            a.tax_minor != b.tax_minor)
            return false;
    }
    return true;
}

std::int64_t OrderLine::modifiers_unit_minor() const noexcept {
    std::int64_t sum = 0;
    for (const auto& m : modifiers) sum += m.price_delta_minor;
    return sum;
}

namespace {
constexpr const char* kStateNames[] = {"open", "submitted", "paid", "closed", "voided", "partially_refunded",
                                       "refunded"};
}

const char* state_name(State state) noexcept { return kStateNames[static_cast<int>(state)]; }

std::optional<State> state_from_name(const std::string& name) noexcept {
    for (int i = 0; i < 7; ++i)
        if (name == kStateNames[i]) return static_cast<State>(i);
    return std::nullopt;
}

OrderLine* Order::find_line(const std::string& line_id) {
    for (auto& l : lines)
        if (l.line_id == line_id) return &l;
    return nullptr;
}

const OrderLine* Order::find_line(const std::string& line_id) const {
    for (const auto& l : lines)
        if (l.line_id == line_id) return &l;
    return nullptr;
}

std::int64_t Order::next_position() const noexcept {
    std::int64_t next = 1;
    for (const auto& l : lines) next = std::max(next, l.position + 1);
    return next;
}

std::size_t Order::live_line_count() const noexcept {
    return static_cast<std::size_t>(std::count_if(lines.begin(), lines.end(), [](const OrderLine& l) { return !l.voided; }));
}

namespace {
sdk::OrderState sdk_state(State s) {
    switch (s) {
        case State::open: return sdk::OrderState::open;
        case State::submitted: return sdk::OrderState::submitted;
        case State::paid: return sdk::OrderState::paid;
        case State::closed: return sdk::OrderState::closed;
        case State::voided: return sdk::OrderState::voided;
        case State::partially_refunded: return sdk::OrderState::partially_refunded;
        case State::refunded: return sdk::OrderState::refunded;
    }
    return sdk::OrderState::open;
}
}  // namespace

sdk::Line to_sdk_line(const OrderLine& line) {
    sdk::Line out;
    out.line_id = line.line_id;
    out.sku = line.sku;
    out.name = line.name;
    out.department_id = line.department_id;
    out.qty_milli = line.qty_milli;
    out.unit_price_minor = line.unit_price_minor;
    out.discount_minor = line.amounts.line_discount_minor + line.amounts.order_discount_minor;
    out.tax_minor = line.amounts.tax_minor;
    out.total_minor = line.amounts.total_minor;
    for (const auto& m : line.modifiers) out.modifiers.push_back({m.modifier_id, m.name, m.price_delta_minor});
    out.note = line.note;
    return out;
}

sdk::Order to_sdk_order(const Order& order) {
    sdk::Order out;
    out.order_id = order.order_id;
    out.order_type_id = order.order_type_id;
    out.state = sdk_state(order.state);
    out.currency = order.currency;
    for (const auto& l : order.lines)
        if (!l.voided) out.lines.push_back(to_sdk_line(l));
    out.subtotal_minor = order.totals.gross_minor;
    out.discount_minor = order.totals.discount_minor;
    out.tax_minor = order.totals.tax_minor;
    out.total_minor = order.totals.total_minor;
    out.customer_id = order.customer_id;
    out.fields = order.fields;
    out.opened_utc_ms = order.opened_utc_ms;
    out.original_order_id = order.original_order_id;
    out.version = order.version;
    return out;
}

}  // namespace till::domain::orders
