// Budgets of one Lua call and the flavour of sandbox a state is built with.
#pragma once

#include <cstddef>
#include <cstdint>

namespace till::script {

/// Which allowlist a state gets. `policy` (conflict resolution) is stricter:
/// no clock (os.*) and no randomness (math.random*), so a store and HQ
/// computing the same merge reach the same answer.
enum class SandboxProfile { upsell, policy };

/// Per-call budgets. Every call into a script (a rule's upsell, a policy's
/// resolve, a file's main chunk at load) runs under all three; whichever is
/// exhausted first ends the call with an error naming the file and line.
struct SandboxLimits {
    /// Lua VM instructions per call (the count hook), plus pattern-matching
    /// steps inside the wrapped string functions.
    std::int64_t instruction_limit = 1'000'000;
    /// Wall-clock time per call, checked by the hook and inside the wrapped
    /// string functions.
    std::int64_t wall_time_ms = 20;
    /// Ceiling on the whole state's memory (code + cart + garbage); an
    /// allocation past it fails with "not enough memory".
    std::size_t memory_bytes = 16u * 1024u * 1024u;
    /// Longest string string.rep / string.format may build.
    std::size_t max_string_bytes = 1024u * 1024u;
    /// VM instructions between two hook checks.
    int hook_period = 1000;
    /// UNSAFE, benchmarks only: lets the JIT compile merchant code. Compiled
    /// traces never run the count hook, so `while true do end` would hang.
    bool unsafe_jit_for_scripts = false;
};

/// Defaults for policies: deterministic, a little more time per record.
inline SandboxLimits default_policy_limits() {
    SandboxLimits limits;
    limits.wall_time_ms = 50;
    return limits;
}

}  // namespace till::script
