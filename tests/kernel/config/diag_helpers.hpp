// Helpers for the config tests: find a diagnostic, print them all on failure.
#pragma once

#include <string>
#include <vector>

#include "config/schema.hpp"

namespace till::test {

inline std::string all_text(const std::vector<config::Diagnostic>& ds) {
    std::string s;
    for (const auto& d : ds) s += d.to_string() + "\n";
    return s;
}

/// The first diagnostic whose message contains `needle`; nullptr when none.
inline const config::Diagnostic* find_diag(const std::vector<config::Diagnostic>& ds,
                                           const std::string& needle) {
    for (const auto& d : ds) {
        if (d.message.find(needle) != std::string::npos) return &d;
    }
    return nullptr;
}

/// An EnvLookup over a fixed table (tests never touch the process environment).
inline config::EnvLookup fake_env(std::vector<std::pair<std::string, std::string>> vars) {
    return [vars = std::move(vars)](const std::string& name) -> std::optional<std::string> {
        for (const auto& [k, v] : vars) {
            if (k == name) return v;
        }
        return std::nullopt;
    };
}

}  // namespace till::test
