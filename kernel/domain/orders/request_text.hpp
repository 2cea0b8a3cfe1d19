// Text a request may carry into storage: valid UTF-8 without NUL. Anything
// else (a raw 0xFF byte, "\u0000") is refused up front as the client's
// mistake: PostgreSQL would refuse it inside the transaction (a 500), and
// SQLite would store bytes no JSON client can read back.
//
// The check itself is domain::check_text (domain/common/body_reader.hpp),
// which BodyReader applies to every string it reads. These helpers are for
// the text orders read outside BodyReader: path and query parameters, and the
// free-form values of a body (an order's `fields`, which order types read).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "till/sdk/value.hpp"

namespace till::domain::orders {

/// True when domain::check_text finds nothing wrong with `text`.
bool is_clean_text(std::string_view text);

/// The JSON path of the first string or object key in `value` that is not
/// clean text ("$.fields.note", "$.lines[2].line_id"); nullopt when all are.
std::optional<std::string> unclean_text_path(const sdk::Value& value, const std::string& path = "$");

}  // namespace till::domain::orders
