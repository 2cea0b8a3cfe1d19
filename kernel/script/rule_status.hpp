// The status of a deployment's rules: what /api/v1/node and
// `tillctl rules status` will show.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "till/sdk/value.hpp"

namespace till::script {

enum class RuleState { enabled, disabled };

struct RuleStatus {
    std::string file;               ///< "scripts/cafe/upsell/combo.lua"
    std::string kind;               ///< "upsell" | "conflict"
    RuleState state = RuleState::enabled;
    int consecutive_failures = 0;
    std::int64_t total_failures = 0;
    std::int64_t runs = 0;
    std::string last_error;         ///< "" when none yet
};

struct RulesStatus {
    std::string deployment_dir;
    bool loaded = false;              ///< a version is running
    std::string version;              ///< hex hash of the running version
    std::int64_t loaded_at_utc_ms = 0;
    std::int64_t reloads = 0;         ///< versions accepted after the first
    std::string last_reload_error;    ///< why the newest version on disk was refused; "" if none
    std::int64_t last_reload_error_at_utc_ms = 0;
    std::vector<RuleStatus> rules;

    sdk::Value to_value() const;
};

}  // namespace till::script
