// One state running one version's upsell rules: keeps the cart as a
// Lua-side read-only object updated line by line on change, calls every
// enabled rule under its budget, validates and merges what they return.
// Used by one thread at a time (RulesEngine pools them).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "script/cart.hpp"
#include "script/suggestion.hpp"

namespace till::script {

class RuleSet;

struct RuleRun {
    std::string rule;                ///< display name
    bool ran = false;                ///< false: disabled, or skipped (evaluation budget spent)
    bool ok = false;
    std::string error;               ///< when !ok: "file:line: ..." or why skipped
    std::int64_t elapsed_ns = 0;     ///< only with EvaluateOptions::measure_time
    std::int64_t instructions = 0;
    std::size_t suggestions = 0;     ///< valid suggestions it returned
};

struct UpsellResult {
    std::vector<Suggestion> suggestions;  ///< merged, de-duplicated, ranked
    std::vector<RuleRun> runs;            ///< one per rule, in file order
    std::vector<std::string> problems;    ///< dropped suggestions, with file and field
    std::string printed;                  ///< what rules print()ed
    sdk::Value to_value() const;
};

struct EvaluateOptions {
    bool measure_time = false;
    std::size_t max_suggestions = 10;
    /// Whole evaluation; rules left when it is spent are skipped (not failed).
    std::int64_t evaluation_budget_ms = 100;
};

class UpsellRunner {
public:
    explicit UpsellRunner(std::shared_ptr<RuleSet> rules);
    ~UpsellRunner();
    UpsellRunner(const UpsellRunner&) = delete;
    UpsellRunner& operator=(const UpsellRunner&) = delete;

    const std::shared_ptr<RuleSet>& rule_set() const noexcept;
    UpsellResult evaluate(const Cart& cart, const UpsellContext& ctx, const EvaluateOptions& options = {});

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace till::script
