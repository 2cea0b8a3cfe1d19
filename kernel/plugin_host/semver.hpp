// Semantic versions and the ranges plugins use in `depends`.
#pragma once

#include <compare>
#include <optional>
#include <string>
#include <string_view>

namespace till::plugin_host {

struct SemVer {
    int major = 0;
    int minor = 0;
    int patch = 0;
    std::string prerelease;  ///< "" for a release; sorts before the release
    /// Precedence per semver.org, simplified: a pre-release sorts before its
    /// release; pre-releases compare as text.
    std::strong_ordering operator<=>(const SemVer& other) const;
    bool operator==(const SemVer& other) const = default;
    std::string to_string() const;
};

/// Parses "1.2.3" or "1.2.3-beta.1" (build metadata "+..." is ignored).
std::optional<SemVer> parse_semver(std::string_view text);

/// Range syntax: "*" or "" (any); space-separated comparators that must all
/// hold: ">=1.2.0", ">1.2.0", "<=2.0.0", "<2.0.0", "=1.2.3" or "1.2.3";
/// "^1.2.0" (same major, >=); "~1.2.0" (same major.minor, >=).
/// Returns std::nullopt when `range` does not parse.
std::optional<bool> version_satisfies(const SemVer& version, std::string_view range);

/// True when `range` parses.
bool valid_range(std::string_view range);

}  // namespace till::plugin_host
