#include "domain/registers/session_report.hpp"

#include <Poco/DigestEngine.h>
#include <Poco/SHA2Engine.h>

#include <algorithm>

namespace till::domain::registers {

using sdk::Value;

namespace {

Value user(const std::string& id, const std::string& name) {
    Value v = Value::map();
    v.set("user_id", id);
    v.set("name", name);
    return v;
}

Value tenders_value(const std::vector<TenderTotals>& tenders) {
    std::vector<TenderTotals> sorted = tenders;
    std::sort(sorted.begin(), sorted.end(),
              [](const TenderTotals& a, const TenderTotals& b) { return a.method_id < b.method_id; });
    Value out = Value::list();
    for (const auto& t : sorted) {
        Value v = Value::map();
        v.set("method_id", t.method_id);
        v.set("sales_count", t.sales_count);
        v.set("sales_minor", t.sales_minor);
        v.set("refunds_count", t.refunds_count);
        v.set("refunds_minor", t.refunds_minor);
        v.set("tips_minor", t.tips_minor);
        v.set("rounding_minor", t.rounding_minor);
        v.set("net_minor", t.sales_minor - t.refunds_minor + t.tips_minor);
        v.set("pending_count", t.pending_count);
        Value pending = Value::list();
        for (const auto& id : t.pending_payment_ids) pending.push_back(id);
        v.set("pending_payment_ids", std::move(pending));
        out.push_back(std::move(v));
    }
    return out;
}

Value cash_value(const CashSummary& cash) {
    Value v = Value::map();
    v.set("in_count", cash.in_count);
    v.set("in_minor", cash.in_minor);
    v.set("out_count", cash.out_count);
    v.set("out_minor", cash.out_minor);
    Value reasons = Value::list();
    for (const auto& r : cash.by_reason) {
        Value item = Value::map();
        item.set("direction", r.direction);
        item.set("reason_code", r.reason_code);
        item.set("count", r.count);
        item.set("amount_minor", r.amount_minor);
        reasons.push_back(std::move(item));
    }
    v.set("by_reason", std::move(reasons));
    return v;
}

Value reconciliation_value(const Reconciliation& r) {
    Value v = Value::map();
    v.set("rule", "net_sales_minor + cash_rounding_minor + unsettled_minor = tenders_net_minor");
    v.set("net_sales_minor", r.net_sales_minor);
    v.set("cash_rounding_minor", r.cash_rounding_minor);
    v.set("unsettled_minor", r.unsettled_minor);
    v.set("tenders_net_minor", r.tenders_net_minor);
    v.set("balanced", r.unsettled_minor == 0);
    return v;
}

Value figures_value(const SessionFigures& f, const char* kind, std::int64_t generated_utc_ms) {
    const OrderTotals& o = f.orders;
    Value v = Value::map();
    v.set("kind", kind);
    v.set("register_id", f.session.register_id);
    v.set("session_id", f.session.session_id);
    v.set("currency", f.session.currency);
    v.set("opened_utc_ms", f.session.opened_utc_ms);
    v.set("opened_by", user(f.session.opened_by_user_id, f.session.opened_by_name));
    v.set("opening_float_minor", f.session.opening_float_minor);
    v.set("generated_utc_ms", generated_utc_ms);

    Value sales = Value::map();
    sales.set("count", o.sales_count);
    sales.set("gross_minor", o.sales_gross_minor);
    sales.set("discount_minor", o.sales_discount_minor);
    sales.set("tax_minor", o.sales_tax_minor);
    sales.set("total_minor", o.sales_total_minor);
    sales.set("net_minor", o.sales_total_minor - o.sales_tax_minor);
    v.set("sales", std::move(sales));

    Value returns = Value::map();
    returns.set("count", o.returns_count);
    returns.set("total_minor", o.returns_total_minor);
    returns.set("tax_minor", o.returns_tax_minor);
    v.set("returns", std::move(returns));

    Value voids = Value::map();
    voids.set("count", o.voids_count);
    voids.set("total_minor", o.voids_total_minor);
    v.set("voids", std::move(voids));

    v.set("net_sales_minor", o.sales_total_minor - o.returns_total_minor);
    v.set("net_tax_minor", o.sales_tax_minor - o.returns_tax_minor);
    v.set("cash_rounding_minor", cash_rounding_minor(f));
    v.set("tenders", tenders_value(f.tenders));
    v.set("reconciliation", reconciliation_value(reconcile(f)));
    v.set("cash_movements", cash_value(f.cash));
    v.set("no_sale_count", f.no_sale_count);
    v.set("expected_cash_minor", expected_cash_minor(f));
    return v;
}

}  // namespace

std::int64_t cash_rounding_minor(const SessionFigures& f) {
    std::int64_t rounding = 0;
    for (const auto& t : f.tenders) rounding += t.rounding_minor;
    return rounding;
}

Reconciliation reconcile(const SessionFigures& f) {
    Reconciliation r;
    r.net_sales_minor = f.orders.sales_total_minor - f.orders.returns_total_minor;
    r.cash_rounding_minor = cash_rounding_minor(f);
    for (const auto& t : f.tenders) r.tenders_net_minor += t.sales_minor - t.refunds_minor;
    r.unsettled_minor = r.tenders_net_minor - r.net_sales_minor - r.cash_rounding_minor;
    return r;
}

std::vector<std::string> pending_payment_ids(const SessionFigures& f) {
    std::vector<std::string> ids;
    for (const auto& t : f.tenders) ids.insert(ids.end(), t.pending_payment_ids.begin(), t.pending_payment_ids.end());
    return ids;
}

std::int64_t expected_cash_minor(const SessionFigures& f) {
    std::int64_t cash = f.session.opening_float_minor + f.cash.in_minor - f.cash.out_minor;
    for (const auto& t : f.tenders) {
        if (t.method_id != cash_method_id) continue;
        cash += t.sales_minor - t.refunds_minor + t.tips_minor;
    }
    return cash;
}

Value session_value(const SessionRow& s) {
    Value v = Value::map();
    v.set("session_id", s.session_id);
    v.set("register_id", s.register_id);
    v.set("state", s.state);
    v.set("currency", s.currency);
    v.set("opening_float_minor", s.opening_float_minor);
    v.set("opened_by", user(s.opened_by_user_id, s.opened_by_name));
    v.set("opened_utc_ms", s.opened_utc_ms);
    v.set("open_note", s.open_note);
    if (s.state == "closed") {
        v.set("closed_by", user(s.closed_by_user_id, s.closed_by_name));
        v.set("closed_utc_ms", s.closed_utc_ms);
        v.set("counted_minor", s.counted_minor);
        v.set("expected_cash_minor", s.expected_cash_minor);
        v.set("variance_minor", s.variance_minor);
        v.set("close_note", s.close_note);
        v.set("z_number", s.z_number);
    }
    return v;
}

Value x_report_value(const SessionFigures& figures, std::int64_t generated_utc_ms) {
    return figures_value(figures, "x", generated_utc_ms);
}

Value z_report_value(const SessionFigures& figures, const CloseFigures& close, std::int64_t generated_utc_ms) {
    Value v = figures_value(figures, "z", generated_utc_ms);
    v.set("z_number", close.z_number);
    v.set("closed_utc_ms", figures.session.closed_utc_ms);
    v.set("closed_by", user(figures.session.closed_by_user_id, figures.session.closed_by_name));
    v.set("close_note", figures.session.close_note);
    Value counted = Value::list();
    for (const auto& c : close.counted) {
        Value item = Value::map();
        item.set("denomination_minor", c.denomination_minor);
        item.set("count", c.count);
        item.set("amount_minor", c.denomination_minor * c.count);
        counted.push_back(std::move(item));
    }
    v.set("counted", std::move(counted));
    v.set("counted_minor", close.counted_minor);
    v.set("expected_cash_minor", close.expected_cash_minor);
    v.set("variance_minor", close.variance_minor);
    return v;
}

std::string sha256_hex(const std::string& text) {
    Poco::SHA2Engine engine(Poco::SHA2Engine::SHA_256);
    engine.update(text);
    return Poco::DigestEngine::digestToHex(engine.digest());
}

}  // namespace till::domain::registers
