#include "script/rule_set.hpp"

#include "script/lua_sandbox.hpp"

namespace till::script {

sdk::Result<std::shared_ptr<RuleSet>> RuleSet::load(DeploymentSnapshot snapshot, const RuleSetOptions& options,
                                                    const RuleSet* previous) {
    std::vector<std::string> problems;
    auto libs = snapshot.lib_sources();
    {
        LuaSandbox check(SandboxProfile::upsell, options.upsell_limits, libs);
        for (const auto& f : snapshot.lib)
            if (auto st = check.compile_check(f.source); !st) problems.push_back(st.message());
        for (const auto& f : snapshot.upsell) {
            auto env = check.load_file(f.source);
            if (!env) problems.push_back(env.error().message);
            else if (!check.push_global_function(*env, "upsell"))
                problems.push_back(f.source.display_name + ": does not define upsell(cart, ctx)");
            else check.pop(1);
        }
    }
    {
        LuaSandbox check(SandboxProfile::policy, options.policy_limits, libs);
        for (const auto& f : snapshot.conflict) {
            auto env = check.load_file(f.source);
            if (!env) problems.push_back(env.error().message);
            else if (!check.push_global_function(*env, "resolve"))
                problems.push_back(f.source.display_name + ": does not define resolve(kind, local, remote, base)");
            else check.pop(1);
        }
    }
    if (!problems.empty()) {
        std::string message = snapshot.dir + ": version refused (the running version stays):";
        for (const auto& p : problems) message += "\n  " + p;
        return sdk::Error{"rules_refused", message};
    }
    std::shared_ptr<RuleSet> set(new RuleSet());
    set->options_ = options;
    set->upsell_health_.resize(snapshot.upsell.size());
    set->policy_health_.resize(snapshot.conflict.size());
    if (previous) {
        std::lock_guard lock(previous->mutex_);
        for (std::size_t i = 0; i < snapshot.upsell.size(); ++i)
            for (std::size_t j = 0; j < previous->snapshot_.upsell.size(); ++j)
                if (previous->snapshot_.upsell[j].path == snapshot.upsell[i].path &&
                    previous->snapshot_.upsell[j].hash == snapshot.upsell[i].hash)
                    set->upsell_health_[i] = previous->upsell_health_[j];
    }
    set->snapshot_ = std::move(snapshot);
    return set;
}

bool RuleSet::upsell_disabled(std::size_t i) const {
    std::lock_guard lock(mutex_);
    return upsell_health_.at(i).disabled;
}

void RuleSet::record_upsell_success(std::size_t i) {
    std::lock_guard lock(mutex_);
    auto& h = upsell_health_.at(i);
    h.runs++;
    h.consecutive_failures = 0;
}

bool RuleSet::record_upsell_failure(std::size_t i, const std::string& message) {
    bool now_disabled = false;
    {
        std::lock_guard lock(mutex_);
        auto& h = upsell_health_.at(i);
        h.runs++;
        h.total_failures++;
        h.consecutive_failures++;
        h.last_error = message;
        if (!h.disabled && options_.max_consecutive_failures > 0 &&
            h.consecutive_failures >= options_.max_consecutive_failures) {
            h.disabled = true;
            now_disabled = true;
        }
    }
    if (options_.logger) {
        options_.logger->warn(message);
        if (now_disabled)
            options_.logger->error(snapshot_.upsell.at(i).source.display_name + ": disabled after " +
                                   std::to_string(options_.max_consecutive_failures) +
                                   " consecutive failures; it runs again when its file changes");
    }
    return now_disabled;
}

void RuleSet::record_policy_run(std::size_t i, const std::string& error_or_empty) {
    {
        std::lock_guard lock(mutex_);
        auto& h = policy_health_.at(i);
        h.runs++;
        if (error_or_empty.empty()) {
            h.consecutive_failures = 0;
        } else {
            h.total_failures++;
            h.consecutive_failures++;
            h.last_error = error_or_empty;
        }
    }
    if (!error_or_empty.empty() && options_.logger) options_.logger->warn(error_or_empty);
}

std::vector<RuleStatus> RuleSet::status() const {
    std::lock_guard lock(mutex_);
    std::vector<RuleStatus> out;
    auto add = [&](const ScriptFile& f, const Health& h) {
        RuleStatus r;
        r.file = f.source.display_name;
        r.kind = kind_name(f.kind);
        r.state = h.disabled ? RuleState::disabled : RuleState::enabled;
        r.consecutive_failures = h.consecutive_failures;
        r.total_failures = h.total_failures;
        r.runs = h.runs;
        r.last_error = h.last_error;
        out.push_back(std::move(r));
    };
    for (std::size_t i = 0; i < snapshot_.upsell.size(); ++i) add(snapshot_.upsell[i], upsell_health_[i]);
    for (std::size_t i = 0; i < snapshot_.conflict.size(); ++i) add(snapshot_.conflict[i], policy_health_[i]);
    return out;
}

}  // namespace till::script
