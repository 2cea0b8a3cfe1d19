// A YAML document as a tree that remembers where each node came from, so
// every configuration error can name file:line:col. yaml-cpp stays out of
// this header.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "till/sdk/status.hpp"

namespace till::config {

/// 1-based position in a file; 0 means unknown.
struct Mark {
    int line = 0;
    int col = 0;
};

struct ConfigNode {
    enum class Kind { null, scalar, sequence, map };
    Kind kind = Kind::null;
    std::string scalar;                                   ///< Kind::scalar: the text as written
    std::vector<ConfigNode> items;                        ///< Kind::sequence
    std::vector<std::pair<std::string, ConfigNode>> members;  ///< Kind::map, in file order
    std::vector<Mark> key_marks;                          ///< Kind::map: where each key is written
    Mark mark;                                            ///< where this node starts

    /// Member lookup (Kind::map); nullptr when absent.
    const ConfigNode* get(std::string_view key) const noexcept;
};

/// Parses YAML text. `file_label` is used in error messages, which read
/// "<file_label>:<line>:<col>: <what>" (code "invalid_yaml"). Duplicate keys
/// are errors.
sdk::Result<ConfigNode> parse_yaml(std::string_view text, const std::string& file_label);
/// Reads and parses a file; a missing or unreadable file is an error naming it.
sdk::Result<ConfigNode> load_yaml_file(const std::string& path);

}  // namespace till::config
