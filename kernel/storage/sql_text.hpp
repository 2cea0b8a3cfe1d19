// Lexical helpers for SQL text: find `?` placeholders and `;` separators
// outside string literals, quoted identifiers, dollar-quoted bodies and
// comments. Pure functions, no database involved.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace till::storage::detail {

/// Number of `?` placeholders in `sql`.
std::size_t count_placeholders(std::string_view sql);

/// `sql` with each `?` placeholder replaced by $1, $2, ... in order of
/// appearance (PostgreSQL's syntax). Note: PostgreSQL's jsonb operators
/// `?`, `?|`, `?&` are therefore not usable in Till SQL.
std::string number_placeholders(std::string_view sql);

/// Splits a script on `;` into statements, trimmed, empty ones dropped.
std::vector<std::string> split_statements(std::string_view script);

}  // namespace till::storage::detail
