// Small helpers shared by the OrderService source files (not a public header).
#pragma once

#include <string>

#include "domain/common/audit.hpp"
#include "domain/common/auth.hpp"
#include "domain/common/http_errors.hpp"
#include "domain/orders/order_model.hpp"
#include "till/sdk/status.hpp"

namespace till::domain::orders::detail {

/// "conflict" (409) when `order` is not at `expected_version`; the message
/// carries the current version.
sdk::Status check_version(const Order& order, std::int64_t expected_version);

sdk::Error not_found(const std::string& order_id);
sdk::Error line_not_found(const std::string& order_id, const std::string& line_id);

/// An audit entry for `action` on order `order_id`, done by `by` and
/// authorised by `granted` (a supervisor's override when there was one).
AuditEntry audit_entry(std::string action, const std::string& order_id, const Authorization& by,
                       const Authorization& granted, std::string reason, sdk::Value details);

inline sdk::Value i64(std::int64_t n) { return sdk::Value(static_cast<long long>(n)); }

}  // namespace till::domain::orders::detail
