// One sandboxed LuaJIT state: the allowlisted environment, text-only loading,
// per-file strict environments, `require` of scripts/lib modules, and the
// per-call budgets (instruction count hook, wall-clock deadline, memory
// ceiling). Internal to kernel/script: the rule runners build on it.
//
// Threading: a LuaSandbox is used by one thread at a time (the engine keeps a
// pool of them and hands each to one caller). Never share one concurrently.
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "script/script_limits.hpp"
#include "till/sdk/status.hpp"

struct lua_State;

namespace till::script {

/// A script's text and the name it is reported under
/// ("scripts/cafe/upsell/combo.lua").
struct ScriptSource {
    std::string display_name;
    std::string text;
};

/// Module name ("basket") -> source of scripts/lib/basket.lua.
using LibSources = std::map<std::string, ScriptSource, std::less<>>;

class LuaSandbox {
public:
    LuaSandbox(SandboxProfile profile, SandboxLimits limits, LibSources libs);
    ~LuaSandbox();
    LuaSandbox(const LuaSandbox&) = delete;
    LuaSandbox& operator=(const LuaSandbox&) = delete;

    lua_State* state() const noexcept;
    SandboxProfile profile() const noexcept;
    const SandboxLimits& limits() const noexcept;

    /// Compiles `source` (text only; bytecode is refused) with JIT
    /// compilation off for all its functions, gives it a fresh environment,
    /// runs its main chunk under the budget and then freezes the environment
    /// (later global writes are errors). Returns a registry reference to the
    /// environment. Errors read "scripts/x/upsell/a.lua:3: ...".
    sdk::Result<int> load_file(const ScriptSource& source);

    /// Pushes the function the file defined as global `name` and returns
    /// true; pushes nothing and returns false when there is none.
    bool push_global_function(int env_ref, const char* name);
    /// Pops n values from the state's stack.
    void pop(int n);

    /// Calls the function below its `nargs` arguments on the stack under the
    /// budget. On success leaves `nresults` values; on failure leaves nothing
    /// and returns the message ("file:line: ...", or the budget exceeded).
    sdk::Status call(int nargs, int nresults);

    /// Text written by print() since the last take (capped at 4 KiB).
    std::string take_printed();
    std::size_t memory_used_bytes() const noexcept;
    /// Instructions charged by the last call.
    std::int64_t last_call_instructions() const noexcept;

    /// The names a script may read as globals in this profile (sorted).
    std::vector<std::string> global_names();

    /// Syntax check only (a throwaway state is not needed: uses this one).
    sdk::Status compile_check(const ScriptSource& source);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace till::script
