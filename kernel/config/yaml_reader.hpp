// Internal to kernel/config: the YAML reader with its error kept apart
// (position and message), so callers can turn it into a Diagnostic.
#pragma once

#include <string>
#include <string_view>
#include <variant>

#include "config/config_tree.hpp"

namespace till::config::detail {

struct YamlError {
    Mark mark;            ///< 1-based; 0 = unknown
    std::string message;  ///< without the file:line:col prefix
};

/// Parses the first document of `text`. Duplicate keys, complex (non-scalar)
/// keys and undefined aliases are errors.
std::variant<ConfigNode, YamlError> read_yaml(std::string_view text);

/// Reads a whole file; false with `reason` set (e.g. "No such file or
/// directory") when it cannot be read.
bool read_text_file(const std::string& path, std::string& text, std::string& reason);

}  // namespace till::config::detail
