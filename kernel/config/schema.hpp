// Typed configuration schemas: the kernel's own and each plugin's (from the
// `config:` section of its plugin.yaml). Validation turns a ConfigNode into
// an sdk::Value with defaults applied, and reports every problem with
// file:line:col and the key path.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config_tree.hpp"
#include "till/sdk/value.hpp"

namespace till::config {

enum class KeyType { string, integer, boolean, string_list, map };

struct KeySpec {
    std::string name;
    KeyType type = KeyType::string;
    bool required = false;
    sdk::Value default_value;                 ///< null = no default
    std::string description;
    std::vector<std::string> allowed_values;  ///< strings only; empty = any
    std::optional<std::int64_t> min;          ///< integers only
    std::optional<std::int64_t> max;
    std::vector<KeySpec> children;            ///< KeyType::map: its keys (unknown keys are errors)
    bool secret = false;                      ///< never printed back; usually from ${env:NAME}
};

/// One problem in a configuration or manifest file.
struct Diagnostic {
    std::string file;
    Mark mark;
    std::string path;     ///< key path, e.g. "printer_escpos.port" or "plugins.dirs[1]"
    std::string message;  ///< e.g. "expected integer, got \"abc\""
    /// "file:line:col: path: message" (parts that are unknown are left out).
    std::string to_string() const;
};

/// Looks up an environment variable; std::nullopt when unset. Injected so
/// tests need not touch the process environment.
using EnvLookup = std::function<std::optional<std::string>(const std::string&)>;
EnvLookup process_env();

/// Validates `node` (a map, or null for "absent") against `keys`. String
/// scalars may contain ${env:NAME}, replaced from `env` (unset = error).
/// Unknown keys are errors with a did-you-mean. Returns a map Value holding
/// every key of the schema that has a value or a default.
sdk::Value validate(const ConfigNode& node, const std::vector<KeySpec>& keys,
                    const std::string& path_prefix, const std::string& file, const EnvLookup& env,
                    std::vector<Diagnostic>& out);

/// The closest candidate by edit distance, or "" when none is close enough
/// to be a likely typo.
std::string closest_match(std::string_view word, const std::vector<std::string>& candidates);

/// Parses a manifest's `config:` section (map of key → {type, default,
/// required, description, enum, min, max, secret, keys}) into KeySpecs.
std::vector<KeySpec> parse_schema(const ConfigNode& section, const std::string& path_prefix,
                                  const std::string& file, std::vector<Diagnostic>& out);

const char* key_type_name(KeyType type) noexcept;

/// Markdown table(s) describing `keys` (name, type, default, required,
/// description), used for docs/configuration.md and `tillctl plugins schema`.
std::string schema_markdown(const std::vector<KeySpec>& keys, const std::string& path_prefix);

}  // namespace till::config
