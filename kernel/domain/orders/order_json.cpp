#include "domain/orders/order_json.hpp"

namespace till::domain::orders {

namespace {
using V = sdk::Value;

V time_or_null(std::int64_t utc_ms) { return utc_ms > 0 ? V(static_cast<long long>(utc_ms)) : V(); }
V i64(std::int64_t n) { return V(static_cast<long long>(n)); }
}  // namespace

sdk::Value discount_to_json(const Discount& d) {
    V out = V::map();
    switch (d.kind) {
        case Discount::Kind::none: return V();
        case Discount::Kind::percent: out.set("percent_bp", i64(d.percent_bp)); break;
        case Discount::Kind::amount: out.set("amount_minor", i64(d.amount_minor)); break;
    }
    return out;
}

sdk::Value taxes_to_json(const std::vector<pricing::TaxPart>& taxes) {
    V out = V::list();
    for (const auto& t : taxes) {
        V part = V::map();
        part.set("tax_rate_id", t.tax_rate_id);
        part.set("rate_bp", i64(t.rate_bp));
        part.set("taxable_minor", i64(t.taxable_minor));
        part.set("tax_minor", i64(t.tax_minor));
        out.push_back(std::move(part));
    }
    return out;
}

std::vector<pricing::TaxPart> taxes_from_json(const sdk::Value& v) {
    std::vector<pricing::TaxPart> out;
    for (const auto& p : v.as_list())
        out.push_back({p["tax_rate_id"].as_string(), p["rate_bp"].as_int(), p["taxable_minor"].as_int(),
                       p["tax_minor"].as_int()});
    return out;
}

sdk::Value modifiers_to_json(const std::vector<ChosenModifier>& modifiers) {
    V out = V::list();
    for (const auto& m : modifiers) {
        V one = V::map();
        one.set("modifier_id", m.modifier_id);
        one.set("group_id", m.group_id);
        one.set("name", m.name);
        one.set("price_delta_minor", i64(m.price_delta_minor));
        out.push_back(std::move(one));
    }
    return out;
}

std::vector<ChosenModifier> modifiers_from_json(const sdk::Value& v) {
    std::vector<ChosenModifier> out;
    for (const auto& m : v.as_list())
        out.push_back({m["modifier_id"].as_string(), m["group_id"].as_string(), m["name"].as_string(),
                       m["price_delta_minor"].as_int()});
    return out;
}

sdk::Value item_to_json(const ItemSnapshot& item) {
    V out = V::map();
    out.set("product_id", item.product_id);
    out.set("variant_id", item.variant_id);
    out.set("tax_class_id", item.tax_class_id);
    out.set("catalog_price_minor", i64(item.catalog_price_minor));
    out.set("cost_minor", i64(item.cost_minor));
    out.set("weighed", item.weighed);
    out.set("track_stock", item.track_stock);
    V rates = V::list();
    for (const auto& r : item.tax_rates) {
        V one = V::map();
        one.set("tax_rate_id", r.tax_rate_id);
        one.set("name", r.name);
        one.set("rate_bp", i64(r.rate_bp));
        one.set("compound", r.compound);
        rates.push_back(std::move(one));
    }
    out.set("tax_rates", std::move(rates));
    return out;
}

ItemSnapshot item_from_json(const sdk::Value& v) {
    ItemSnapshot item;
    item.product_id = v["product_id"].as_string();
    item.variant_id = v["variant_id"].as_string();
    item.tax_class_id = v["tax_class_id"].as_string();
    item.catalog_price_minor = v["catalog_price_minor"].as_int();
    item.cost_minor = v["cost_minor"].as_int();
    item.weighed = v["weighed"].as_bool();
    item.track_stock = v["track_stock"].as_bool(true);
    for (const auto& r : v["tax_rates"].as_list())
        item.tax_rates.push_back({r["tax_rate_id"].as_string(), r["name"].as_string(), r["rate_bp"].as_int(),
                                  r["compound"].as_bool()});
    return item;
}

sdk::Value line_to_json(const OrderLine& l) {
    V out = V::map();
    out.set("line_id", l.line_id);
    out.set("position", i64(l.position));
    out.set("sku", l.sku);
    out.set("name", l.name);
    out.set("department_id", l.department_id);
    out.set("product_id", l.item.product_id);
    out.set("variant_id", l.item.variant_id);
    out.set("weighed", l.item.weighed);
    out.set("track_stock", l.item.track_stock);
    out.set("qty_milli", i64(l.qty_milli));
    out.set("unit_price_minor", i64(l.unit_price_minor));
    out.set("catalog_price_minor", i64(l.item.catalog_price_minor));
    out.set("price_overridden", l.unit_price_minor != l.item.catalog_price_minor);
    out.set("modifiers", modifiers_to_json(l.modifiers));
    out.set("note", l.note);
    out.set("discount", discount_to_json(l.discount));
    out.set("tax_rates", item_to_json(l.item)["tax_rates"]);
    out.set("gross_minor", i64(l.amounts.gross_minor));
    out.set("line_discount_minor", i64(l.amounts.line_discount_minor));
    out.set("order_discount_minor", i64(l.amounts.order_discount_minor));
    out.set("net_minor", i64(l.amounts.net_minor));
    out.set("tax_minor", i64(l.amounts.tax_minor));
    out.set("taxes", taxes_to_json(l.amounts.taxes));
    out.set("total_minor", i64(l.amounts.total_minor));
    out.set("original_line_id", l.original_line_id.empty() ? V() : V(l.original_line_id));
    out.set("voided", l.voided);
    if (l.voided) {
        out.set("void_reason", l.void_reason);
        out.set("voided_utc_ms", time_or_null(l.voided_utc_ms));
    }
    return out;
}

namespace {
V head(const Order& o) {
    V out = V::map();
    out.set("order_id", o.order_id);
    out.set("order_type", o.order_type_id);
    out.set("state", state_name(o.state));
    out.set("version", i64(o.version));
    out.set("currency", o.currency);
    out.set("customer_id", o.customer_id.empty() ? V() : V(o.customer_id));
    out.set("tax_exempt", o.tax_exempt);
    out.set("fields", o.fields.is_map() ? o.fields : V::map());
    out.set("register_session_id", o.register_session_id.empty() ? V() : V(o.register_session_id));
    out.set("terminal_id", o.terminal_id);
    out.set("user_id", o.user_id);
    out.set("is_return", o.is_return);
    out.set("original_order_id", o.original_order_id.empty() ? V() : V(o.original_order_id));
    out.set("reason_code", o.reason_code.empty() ? V() : V(o.reason_code));
    out.set("discount", discount_to_json(o.order_discount));
    V totals = V::map();
    totals.set("gross_minor", i64(o.totals.gross_minor));
    totals.set("discount_minor", i64(o.totals.discount_minor));
    totals.set("tax_minor", i64(o.totals.tax_minor));
    totals.set("total_minor", i64(o.totals.total_minor));
    totals.set("taxes", taxes_to_json(o.totals.taxes));
    out.set("totals", std::move(totals));
    out.set("opened_utc_ms", i64(o.opened_utc_ms));
    out.set("submitted_utc_ms", time_or_null(o.submitted_utc_ms));
    out.set("paid_utc_ms", time_or_null(o.paid_utc_ms));
    out.set("closed_utc_ms", time_or_null(o.closed_utc_ms));
    out.set("voided_utc_ms", time_or_null(o.voided_utc_ms));
    out.set("void_reason", o.void_reason.empty() ? V() : V(o.void_reason));
    return out;
}
}  // namespace

sdk::Value order_to_json(const Order& o) {
    V out = head(o);
    V lines = V::list();
    for (const auto& l : o.lines) lines.push_back(line_to_json(l));
    out.set("lines", std::move(lines));
    out.set("payments", V::list());
    return out;
}

sdk::Value order_summary_json(const Order& o) {
    V out = head(o);
    out.set("line_count", i64(static_cast<std::int64_t>(o.live_line_count())));
    return out;
}

}  // namespace till::domain::orders
