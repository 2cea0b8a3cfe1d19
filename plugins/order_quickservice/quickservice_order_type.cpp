#include "quickservice_order_type.hpp"

#include "quickservice_fields.hpp"

namespace till::order_quickservice {

std::vector<sdk::OrderFieldSpec> QuickserviceOrderType::fields() const {
    return {
        {"customer_name", sdk::Value::Type::string, false, "Name called out at the counter (at most 40 characters)."},
        {"eat_in", sdk::Value::Type::boolean, false, "true to eat in, false (default) to take away."},
        {"queue_number", sdk::Value::Type::integer, false,
         "Set by the till when the order is submitted: the day's queue number."},
    };
}

sdk::Status QuickserviceOrderType::validate_fields(const sdk::Value& fields) const {
    return validate_quickservice_fields(fields);
}

sdk::HookResult QuickserviceOrderType::on_submitted(const sdk::Order& order) {
    if (!order.original_order_id.empty()) return sdk::HookResult::accept();  // returns are not queued
    sdk::Host* host = runtime_->host.load();
    if (!host)
        return sdk::HookResult{sdk::Status::failure("unavailable", "order_quickservice is not running"), sdk::Value()};
    const std::string customer_name = order.fields["customer_name"].as_string(std::string());
    const bool eat_in = order.fields["eat_in"].as_bool(false);
    auto assigned = runtime_->numbers.assign(host->storage(), host->clock().now_utc_ms(), order.order_id,
                                             customer_name, eat_in);
    if (!assigned) {
        host->logger().error("queue number for order " + order.order_id + " failed: " + assigned.error().message);
        return sdk::HookResult{
            sdk::Status::failure("unavailable", "no queue number could be given: " + assigned.error().message),
            sdk::Value()};
    }
    sdk::Value set = sdk::Value::map();
    set.set("queue_number", assigned->queue_number);
    return sdk::HookResult{sdk::Status(), set};
}

}  // namespace till::order_quickservice
