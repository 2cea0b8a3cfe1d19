// The quick-service order type's fields:
//   customer_name  optional, at most 40 characters (called out at the counter)
//   eat_in         optional boolean, default false (take-away)
//   queue_number   set by the plugin when the order is submitted
#pragma once

#include <cstdint>
#include <string>

#include "till/sdk/status.hpp"
#include "till/sdk/value.hpp"

namespace till::order_quickservice {

inline constexpr std::size_t kMaxCustomerNameChars = 40;

/// Characters (UTF-8 code points) in `text`.
std::size_t utf8_length(const std::string& text);

/// Checks an order's fields (a map, or null). Errors have code
/// "invalid_argument" and a message "$.fields.<name>: <problem>".
sdk::Status validate_quickservice_fields(const sdk::Value& fields);

}  // namespace till::order_quickservice
