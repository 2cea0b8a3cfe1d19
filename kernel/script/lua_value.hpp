// sdk::Value <-> Lua values (kernel/script internal).
#pragma once

#include <string>

#include <lua.hpp>

#include "till/sdk/value.hpp"

namespace till::script::detail {

/// Pushes a Value: null -> nil, integers -> numbers (|i| <= 2^53, else an
/// error), lists -> arrays, maps -> tables. Returns false (pushing nothing)
/// and fills `error` when it cannot.
bool push_value(lua_State* L, const sdk::Value& value, std::string& error);

/// Reads the Lua value at `index`: whole numbers only, tables with keys
/// 1..n become lists, other tables need string keys. Errors name the path
/// ("fields.balance_minor: 1.5 is not a whole number").
sdk::Result<sdk::Value> read_value(lua_State* L, int index);

}  // namespace till::script::detail
