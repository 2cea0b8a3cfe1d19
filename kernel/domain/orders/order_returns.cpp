// OrderService: opening a return (or exchange) order against a settled sale.
//
// Each return line gives back the share of what the customer paid for the
// original line that matches the quantity returned, so that every return of
// a line, added up, never exceeds what was paid and equals it once all is
// returned (see refund_share). The quantities still returnable are checked
// again inside the transaction that records the return, with the original
// sale locked, so two terminals cannot return the same goods twice.
#include <map>
#include <set>

#include "domain/common/body_reader.hpp"
#include "domain/common/http_errors.hpp"
#include "domain/orders/line_rules.hpp"
#include "domain/orders/order_pricing.hpp"
#include "domain/orders/order_service.hpp"
#include "domain/orders/order_state.hpp"
#include "domain/orders/service_detail.hpp"

namespace till::domain {

using namespace orders;
using detail::i64;

namespace {

struct ReturnPlan {
    std::vector<OrderLine> lines;
    std::int64_t refund_minor = 0;  ///< positive: what goes back to the customer
};

void add_amounts(LineAmounts& sum, const LineAmounts& a) {
    sum.gross_minor += a.gross_minor;
    sum.line_discount_minor += a.line_discount_minor;
    sum.order_discount_minor += a.order_discount_minor;
    sum.net_minor += a.net_minor;
    sum.tax_minor += a.tax_minor;
    sum.total_minor += a.total_minor;
    for (const auto& t : a.taxes) {
        bool found = false;
        for (auto& s : sum.taxes)
            if (s.tax_rate_id == t.tax_rate_id) {
                s.taxable_minor += t.taxable_minor;
                s.tax_minor += t.tax_minor;
                found = true;
            }
        if (!found) sum.taxes.push_back(t);
    }
}

sdk::Result<ReturnPlan> plan_return(const Order& original, const std::vector<OrderStore::ReturnedLine>& returned,
                                    const ReturnRequest& request, const std::vector<std::string>& line_ids,
                                    TaxMode tax_mode) {
    // What was returned so far per original line (positive quantities/amounts).
    std::map<std::string, std::int64_t> returned_qty;
    std::map<std::string, LineAmounts> refunded;
    for (const auto& r : returned) {
        returned_qty[r.line.original_line_id] += -r.line.qty_milli;
        add_amounts(refunded[r.line.original_line_id], negated(r.line.amounts));
    }
    ReturnPlan plan;
    std::set<std::string> seen;
    for (std::size_t i = 0; i < request.lines.size(); ++i) {
        const auto& want = request.lines[i];
        const std::string at = "$.lines[" + std::to_string(i) + "]";
        const OrderLine* sold = original.find_line(want.line_id);
        if (!sold || sold->is_return_line())
            return invalid_field(at + ".line_id", "order " + original.order_id + " has no sale line " + want.line_id);
        if (sold->voided) return invalid_field(at + ".line_id", "line " + want.line_id + " was voided, not sold");
        if (!seen.insert(want.line_id).second)
            return invalid_field(at + ".line_id", "line " + want.line_id + " is listed twice");
        if (auto s = check_qty(sold->item, want.qty_milli, at + ".qty_milli"); !s.ok()) return s.error();
        const std::int64_t before = returned_qty[want.line_id];
        const std::int64_t left = sold->qty_milli - before;
        if (want.qty_milli > left)
            return invalid_field(at + ".qty_milli", "only " + std::to_string(left) + " left to return of line " +
                                                        want.line_id + " (sold " + std::to_string(sold->qty_milli) +
                                                        ", returned " + std::to_string(before) + "), asked " +
                                                        std::to_string(want.qty_milli));
        OrderLine line;
        line.line_id = line_ids[i];
        line.position = static_cast<std::int64_t>(i) + 1;
        line.sku = sold->sku;
        line.name = sold->name;
        line.department_id = sold->department_id;
        line.item = sold->item;
        line.qty_milli = -want.qty_milli;
        line.unit_price_minor = sold->unit_price_minor;
        line.modifiers = sold->modifiers;
        line.note = sold->note;
        line.original_line_id = sold->line_id;
        line.amounts = negated(
            refund_share(sold->amounts, sold->qty_milli, before, want.qty_milli, refunded[want.line_id], tax_mode));
        plan.refund_minor -= line.amounts.total_minor;
        plan.lines.push_back(std::move(line));
    }
    return plan;
}

bool same_plan(const ReturnPlan& a, const ReturnPlan& b) {
    if (a.lines.size() != b.lines.size() || a.refund_minor != b.refund_minor) return false;
    for (std::size_t i = 0; i < a.lines.size(); ++i)
        if (!(a.lines[i].amounts == b.lines[i].amounts) || a.lines[i].qty_milli != b.lines[i].qty_milli) return false;
    return true;
}

std::string reason_list(const SalesSettings& sales) {
    std::string out;
    for (const auto* list : {&sales.return_reasons_restock, &sales.return_reasons_no_restock})
        for (const auto& r : *list) out += (out.empty() ? "" : ", ") + r;
    return out;
}

}  // namespace

sdk::Result<Order> OrderService::open_return(const std::string& original_order_id, const ReturnRequest& request,
                                             const Authorization& by, const Permit& permit) {
    if (!ctx_.sales.is_return_reason(request.reason_code))
        return invalid_field("$.reason_code", "unknown return reason \"" + request.reason_code +
                                                  "\" (configured: " + reason_list(ctx_.sales) + ")");
    if (request.lines.empty()) return invalid_field("$.lines", "give at least one line to return");

    auto loaded = load_current(original_order_id);
    if (!loaded) return loaded.error();
    const Order& original = *loaded;
    if (request.expected_version)
        if (auto s = detail::check_version(original, *request.expected_version); !s.ok()) return s.error();
    if (original.is_return)
        return sdk::Error{std::string(error_code::invalid_state),
                          "order " + original_order_id + " is itself a return; return against the original sale"};
    if (auto s = check_step(original.state, Step::take_return); !s.ok()) return s.error();
    auto type = order_type(original.order_type_id, "");
    if (!type) return type.error();
    if (!(*type)->capabilities().returns)
        return sdk::Error{std::string(error_code::invalid_state),
                          "order type " + original.order_type_id + " does not take returns"};

    std::vector<std::string> line_ids;
    for (std::size_t i = 0; i < request.lines.size(); ++i) line_ids.push_back(ctx_.ids.next());
    auto returned = store_.returned_lines(ctx_.storage, original_order_id);
    if (!returned) return returned.error();
    auto plan = plan_return(original, *returned, request, line_ids, ctx_.sales.tax_mode);
    if (!plan) return plan.error();

    // Refunds are the cashier's up to the limit; more needs a supervisor.
    std::string approver = by.override_user_id;
    if (plan->refund_minor > ctx_.sales.refund_limit_minor) {
        auto over = permit(action::refund_over_limit);
        if (!over) return over.error();
        if (!over->override_user_id.empty()) approver = over->override_user_id;
    }

    Order ret;
    ret.order_id = ctx_.ids.next();
    ret.order_type_id = original.order_type_id;
    ret.state = State::open;
    ret.version = 1;
    ret.currency = original.currency;
    ret.customer_id = original.customer_id;
    ret.tax_exempt = original.tax_exempt;
    ret.fields = original.fields;
    ret.terminal_id = by.principal.terminal_id;
    ret.user_id = by.principal.user_id;
    ret.is_return = true;
    ret.original_order_id = original_order_id;
    ret.reason_code = request.reason_code;
    ret.refund_authorized_by = approver;
    ret.opened_utc_ms = ctx_.clock.now_utc_ms();
    ret.lines = plan->lines;
    if (auto s = reprice(ret, ctx_.sales); !s.ok()) return s.error();

    auto done = ctx_.storage.transaction([&](sdk::SqlExecutor& tx) -> sdk::Status {
        auto locked = store_.load(tx, original_order_id, OrderStore::Lock::for_update);
        if (!locked) return locked.status();
        if (!*locked) return detail::not_found(original_order_id);
        if (request.expected_version)
            if (auto s = detail::check_version(**locked, *request.expected_version); !s.ok()) return s;
        if (auto s = check_step((*locked)->state, Step::take_return); !s.ok()) return s;
        auto now_returned = store_.returned_lines(tx, original_order_id);
        if (!now_returned) return now_returned.status();
        auto again = plan_return(**locked, *now_returned, request, line_ids, ctx_.sales.tax_mode);
        if (!again) return again.status();
        if (!same_plan(*plan, *again))
            return sdk::Error{std::string(error_code::conflict),
                              "returns against order " + original_order_id + " changed meanwhile; retry"};
        if (!ret.terminal_id.empty()) {
            auto session = registers_.open_session(tx, ret.terminal_id);
            if (!session) return session.status();
            ret.register_session_id = session->value_or("");
        }
        return store_.insert(tx, ret);
    });
    if (!done.ok()) return done.error();
    publish("order.opened", ret);
    return ret;
}

}  // namespace till::domain
