#include "domain/upsell/rules_options.hpp"

#include <filesystem>

namespace till::domain::upsell {

std::optional<script::RulesEngineOptions> rules_engine_options_from(const sdk::Value& section) {
    const std::string scripts_dir = section["scripts_dir"].as_string();
    if (scripts_dir.empty()) return std::nullopt;
    script::RulesEngineOptions o;
    o.deployment_dir = (std::filesystem::path(scripts_dir) / section["deployment"].as_string()).string();
    auto& upsell = o.rules.upsell_limits;
    auto& policy = o.rules.policy_limits;
    upsell.instruction_limit = section["instruction_limit"].as_int(upsell.instruction_limit);
    policy.instruction_limit = upsell.instruction_limit;
    upsell.wall_time_ms = section["wall_time_ms"].as_int(upsell.wall_time_ms);
    policy.wall_time_ms = section["policy_wall_time_ms"].as_int(policy.wall_time_ms);
    upsell.memory_bytes = static_cast<std::size_t>(
        section["memory_bytes"].as_int(static_cast<std::int64_t>(upsell.memory_bytes)));
    policy.memory_bytes = upsell.memory_bytes;
    o.rules.max_consecutive_failures =
        static_cast<int>(section["max_consecutive_failures"].as_int(o.rules.max_consecutive_failures));
    o.poll_interval_ms = section["reload_interval_ms"].as_int(o.poll_interval_ms);
    o.evaluate.max_suggestions = static_cast<std::size_t>(
        section["max_suggestions"].as_int(static_cast<std::int64_t>(o.evaluate.max_suggestions)));
    o.evaluate.evaluation_budget_ms = section["evaluation_budget_ms"].as_int(o.evaluate.evaluation_budget_ms);
    return o;
}

}  // namespace till::domain::upsell
