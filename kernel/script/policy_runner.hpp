// One state running one version's conflict policies (strict sandbox: no
// clock, no randomness). Used by one thread at a time.
#pragma once

#include <memory>
#include <string_view>

#include "till/sdk/status.hpp"
#include "till/sdk/value.hpp"

namespace till::script {

class RuleSet;

class PolicyRunner {
public:
    explicit PolicyRunner(std::shared_ptr<RuleSet> rules);
    ~PolicyRunner();
    PolicyRunner(const PolicyRunner&) = delete;
    PolicyRunner& operator=(const PolicyRunner&) = delete;

    const std::shared_ptr<RuleSet>& rule_set() const noexcept;
    /// Runs conflict/<kind>.lua, else conflict/default.lua.
    sdk::Result<sdk::Value> resolve(std::string_view kind, const sdk::Value& local, const sdk::Value& remote,
                                    const sdk::Value& base);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace till::script
