#include "domain/orders/service_detail.hpp"

namespace till::domain::orders::detail {

sdk::Status check_version(const Order& order, std::int64_t expected_version) {
    if (order.version == expected_version) return {};
    return sdk::Error{std::string(error_code::conflict),
                      "order " + order.order_id + " is at version " + std::to_string(order.version) +
                          ", not " + std::to_string(expected_version) +
                          "; it was changed meanwhile: reload it and retry (current_version=" +
                          std::to_string(order.version) + ")"};
}

sdk::Error not_found(const std::string& order_id) {
    return sdk::Error{std::string(error_code::not_found), "no order " + order_id};
}

sdk::Error line_not_found(const std::string& order_id, const std::string& line_id) {
    return sdk::Error{std::string(error_code::not_found), "order " + order_id + " has no line " + line_id};
}

AuditEntry audit_entry(std::string action, const std::string& order_id, const Authorization& by,
                       const Authorization& granted, std::string reason, sdk::Value details) {
    AuditEntry e;
    e.actor_user_id = by.principal.user_id;
    e.action = std::move(action);
    e.subject = "order:" + order_id;
    e.reason = reason.empty() ? granted.override_reason : std::move(reason);
    e.authorized_by = !granted.override_user_id.empty() ? granted.override_user_id : by.override_user_id;
    e.terminal_id = by.principal.terminal_id;
    e.details = details.is_map() ? std::move(details) : sdk::Value::map();
    return e;
}

}  // namespace till::domain::orders::detail
