// Internals shared by the sandbox's C functions (kernel/script only). Heavy
// on the Lua C API, hence kept out of every public header.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include <lua.hpp>

#include "script/script_limits.hpp"

namespace till::script::detail {

enum class Exceeded { none, instructions, time, memory };

/// The budget book-keeping of one state; it is the allocator's user data, so
/// any C function reaches it with lua_getallocf.
struct BudgetState {
    SandboxLimits limits;
    std::size_t used_bytes = 0;
    bool in_call = false;
    std::int64_t instructions = 0;
    std::chrono::steady_clock::time_point deadline{};
    Exceeded exceeded = Exceeded::none;
    std::string printed;
};

BudgetState& budget_of(lua_State* L);

/// Charges `steps` to the instruction budget (and checks the deadline);
/// raises a Lua error when exhausted. Used by long-running C functions.
void charge_steps(lua_State* L, std::int64_t steps);

/// Raises the error for an exhausted budget, located at the running Lua line.
[[noreturn]] void raise_budget_error(lua_State* L);

/// Message for an exhausted budget, without location.
std::string budget_message(const BudgetState& budget);

// Read-only views (lua_readonly.cpp) -------------------------------------

/// Sets up the shared functions of read-only views; call once per state.
void init_readonly(lua_State* L);
/// Pushes a read-only view of the table at `backing_index`: a userdata whose
/// reads go to the table (no C call on the fast path), whose writes raise an
/// error, with # and the sandbox's pairs/ipairs/next/type working on it.
void push_readonly(lua_State* L, int backing_index);
/// When the value at `index` is a read-only view, pushes its table and
/// returns true; otherwise pushes nothing and returns false.
bool push_backing(lua_State* L, int index);
/// Sets ipairs, pairs, next and type (view-aware) in the table at `index`.
void register_view_aware_base(lua_State* L, int table_index);

// Budgeted pattern functions (lua_pattern.cpp) ---------------------------

/// Sets find, match, gmatch and gsub in the table at `index`: Lua 5.1
/// pattern semantics, with every matching step charged to the budget.
void register_pattern_functions(lua_State* L, int table_index);

}  // namespace till::script::detail
