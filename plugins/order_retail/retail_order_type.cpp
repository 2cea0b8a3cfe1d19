#include "retail_order_type.hpp"

#include "retail_fields.hpp"

namespace till::order_retail {

std::vector<sdk::OrderFieldSpec> RetailOrderType::fields() const {
    return {
        {"receipt_email", sdk::Value::Type::string, false,
         "Where to e-mail the receipt (an address like name@example.com); \"\" for none."},
        {"salesperson_id", sdk::Value::Type::string, false,
         "Who made the sale, for commission reports (1 to 64 characters)."},
    };
}

sdk::Status RetailOrderType::validate_fields(const sdk::Value& fields) const { return validate_retail_fields(fields); }

sdk::HookResult RetailOrderType::on_submitted(const sdk::Order& order) {
    const bool is_return = !order.original_order_id.empty();
    if (order.lines.empty())
        return sdk::HookResult::refuse(is_return ? "this return has no lines; add the items being returned first"
                                                 : "this sale has no lines; scan or add an item first");
    if (is_return && options_.require_customer_for_returns && order.customer_id.empty())
        return sdk::HookResult::refuse("a return needs a customer (order_retail.require_customer_for_returns); "
                                       "set the customer on the order first");
    return sdk::HookResult::accept();
}

}  // namespace till::order_retail
