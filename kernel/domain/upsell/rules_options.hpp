// The `rules:` config section (kernel/config/kernel_schema.cpp) as the
// rules engine's options: the deployment directory and the budgets. The
// node adds its logger and its reload callbacks.
#pragma once

#include <optional>

#include "script/rules_engine.hpp"
#include "till/sdk/value.hpp"

namespace till::domain::upsell {

/// nullopt when `rules.scripts_dir` is empty (no rules on this node).
/// `section` is the validated section (defaults applied, scripts_dir
/// absolute); a missing key keeps the engine's default.
std::optional<script::RulesEngineOptions> rules_engine_options_from(const sdk::Value& section);

}  // namespace till::domain::upsell
