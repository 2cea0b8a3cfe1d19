#include "domain/upsell/order_cart.hpp"

namespace till::domain::upsell {

bool takes_suggestions(const sdk::Value& order) {
    const std::string& state = order["state"].as_string();
    return (state == "open" || state == "submitted") && !order["is_return"].as_bool();
}

script::Cart cart_from_order(const sdk::Value& order, const CatalogRules& catalog) {
    script::Cart cart;
    cart.order_id = order["order_id"].as_string();
    cart.order_type = order["order_type"].as_string();
    cart.currency = order["currency"].as_string();
    for (const auto& l : order["lines"].as_list()) {
        if (l["voided"].as_bool()) continue;
        script::CartLine line;
        line.line_id = l["line_id"].as_string();
        line.sku = l["sku"].as_string();
        line.name = l["name"].as_string();
        line.department = catalog.department_code(l["department_id"].as_string());
        line.tags = catalog.tags_of(line.sku);
        line.qty_milli = l["qty_milli"].as_int();
        line.unit_price_minor = l["unit_price_minor"].as_int();
        line.total_minor = l["total_minor"].as_int();
        for (const auto& m : l["modifiers"].as_list())
            line.modifiers.push_back({m["modifier_id"].as_string(), m["name"].as_string(),
                                      m["price_delta_minor"].as_int()});
        cart.lines.push_back(std::move(line));
    }
    const sdk::Value& totals = order["totals"];
    cart.subtotal_minor = totals["gross_minor"].as_int();
    cart.discount_minor = totals["discount_minor"].as_int();
    cart.tax_minor = totals["tax_minor"].as_int();
    cart.total_minor = totals["total_minor"].as_int();
    if (const std::string& customer = order["customer_id"].as_string(); !customer.empty())
        cart.customer = script::CartCustomer{customer, "", {}};
    return cart;
}

}  // namespace till::domain::upsell
