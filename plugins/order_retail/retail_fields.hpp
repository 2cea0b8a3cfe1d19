// The retail order type's own fields and how they are checked:
//   receipt_email   optional, an e-mail address shape (name@example.com)
//   salesperson_id  optional, 1..64 characters
#pragma once

#include <string>

#include "till/sdk/status.hpp"
#include "till/sdk/value.hpp"

namespace till::order_retail {

/// True when `text` looks like an e-mail address: one '@', a local part of
/// 1..64 printable characters without spaces, and a domain of two or more
/// dot-separated labels of letters, digits and inner hyphens. At most 254
/// characters. (A shape check only: nothing is sent.)
bool is_email_shape(const std::string& text);

/// Checks an order's fields (a map, or null for none). Errors have code
/// "invalid_argument" and a message "$.fields.<name>: <problem>".
sdk::Status validate_retail_fields(const sdk::Value& fields);

}  // namespace till::order_retail
