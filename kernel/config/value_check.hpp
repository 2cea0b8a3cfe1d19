// Internal to kernel/config: checking one YAML node against one KeySpec.
// Shared by validate() and by parse_schema() (which checks defaults).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "config/schema.hpp"

namespace till::config::detail {

struct CheckContext {
    const std::string& file;
    const EnvLookup* env;  ///< nullptr: ${env:...} is left as written (schema defaults)
    std::vector<Diagnostic>& out;

    void report(const Mark& mark, const std::string& path, std::string message) const {
        out.push_back(Diagnostic{file, mark, path, std::move(message)});
    }
};

std::string join_path(const std::string& prefix, const std::string& key);
/// "\"text\"" with control characters escaped, for messages.
std::string quoted(const std::string& text);
/// "; did you mean \"x\"?" or "".
std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates);

/// Checks a present, non-null node against a non-map spec. Reports problems
/// and returns nullopt on failure.
std::optional<sdk::Value> check_scalar_spec(const ConfigNode& node, const KeySpec& spec,
                                            const std::string& path, const CheckContext& ctx);

/// Validates a map node (or null = absent) against `keys`. `fallback_mark`
/// marks missing required keys when the node itself has no position.
sdk::Value validate_map(const ConfigNode& node, const std::vector<KeySpec>& keys,
                        const std::string& prefix, const Mark& fallback_mark,
                        bool report_required, const CheckContext& ctx);

/// Sorts out[from..] by position (stable), so problems read in file order.
void sort_by_position(std::vector<Diagnostic>& out, std::size_t from);

/// Strict int64 parse: optional sign, decimal digits only.
bool parse_int64(const std::string& text, std::int64_t& out);
/// true/false/yes/no/on/off (any case).
bool parse_bool(const std::string& text, bool& out);

}  // namespace till::config::detail
