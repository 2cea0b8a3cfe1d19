// One loaded version of a deployment: the snapshot of its files, checked by
// loading every file in a fresh sandbox, plus the health of each rule
// (failures, disabled) shared by every state running this version.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "script/deployment_files.hpp"
#include "script/rule_status.hpp"
#include "script/script_limits.hpp"
#include "till/sdk/logger.hpp"
#include "till/sdk/status.hpp"

namespace till::script {

struct RuleSetOptions {
    SandboxLimits upsell_limits;
    SandboxLimits policy_limits = default_policy_limits();
    /// Consecutive failures after which an upsell rule is disabled until its
    /// file changes. Policies are never disabled (the sync engine needs an
    /// answer or an error per record), only counted.
    int max_consecutive_failures = 3;
    std::shared_ptr<sdk::Logger> logger;  ///< may be null
};

class RuleSet {
public:
    /// Loads and checks a snapshot: every lib module compiles, every upsell
    /// file loads and defines upsell(cart, ctx), every conflict file loads in
    /// the policy sandbox and defines resolve(kind, local, remote, base).
    /// Any problem refuses the whole version; the error lists each one.
    /// Health of files unchanged since `previous` carries over (a disabled
    /// rule stays disabled until its own file changes).
    static sdk::Result<std::shared_ptr<RuleSet>> load(DeploymentSnapshot snapshot, const RuleSetOptions& options,
                                                      const RuleSet* previous = nullptr);

    const DeploymentSnapshot& files() const noexcept { return snapshot_; }
    const RuleSetOptions& options() const noexcept { return options_; }

    /// Health of upsell rule i (index into files().upsell).
    bool upsell_disabled(std::size_t i) const;
    void record_upsell_success(std::size_t i);
    /// Counts a failure and logs it; true when the rule just got disabled.
    bool record_upsell_failure(std::size_t i, const std::string& message);
    void record_policy_run(std::size_t i, const std::string& error_or_empty);

    std::vector<RuleStatus> status() const;

private:
    RuleSet() = default;
    struct Health {
        int consecutive_failures = 0;
        std::int64_t total_failures = 0;
        std::int64_t runs = 0;
        bool disabled = false;
        std::string last_error;
    };
    DeploymentSnapshot snapshot_;
    RuleSetOptions options_;
    mutable std::mutex mutex_;
    std::vector<Health> upsell_health_;
    std::vector<Health> policy_health_;
};

}  // namespace till::script
