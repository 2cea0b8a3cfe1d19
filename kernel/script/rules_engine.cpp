#include "script/rules_engine.hpp"

#include <chrono>
#include <cstdio>
#include <mutex>
#include <vector>

#include "script/policy_runner.hpp"
#include "script/rule_watcher.hpp"

namespace till::script {

namespace {

std::int64_t now_utc_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string hex(std::uint64_t h) {
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
    return buf;
}

// Idle runners of the current version; a runner of an older version is
// dropped when it comes back.
template <class Runner>
class RunnerPool {
public:
    std::unique_ptr<Runner> take(const std::shared_ptr<RuleSet>& current) {
        {
            std::lock_guard lock(mutex_);
            while (!idle_.empty()) {
                auto runner = std::move(idle_.back());
                idle_.pop_back();
                if (runner->rule_set() == current) return runner;
            }
        }
        return std::make_unique<Runner>(current);
    }
    void give_back(std::unique_ptr<Runner> runner, const std::shared_ptr<RuleSet>& current, std::size_t max_idle) {
        if (runner->rule_set() != current) return;
        std::lock_guard lock(mutex_);
        if (idle_.size() < max_idle) idle_.push_back(std::move(runner));
    }
    void clear() {
        std::lock_guard lock(mutex_);
        idle_.clear();
    }

private:
    std::mutex mutex_;
    std::vector<std::unique_ptr<Runner>> idle_;
};

}  // namespace

struct RulesEngine::Impl {
    RulesEngineOptions options;
    mutable std::mutex mutex_;  // guards current + status fields
    std::shared_ptr<RuleSet> current;
    RulesStatus status;
    RunnerPool<UpsellRunner> upsell_pool;
    RunnerPool<PolicyRunner> policy_pool;
    std::unique_ptr<RuleWatcher> watcher;
    std::mutex reload_mutex_;  // one reload at a time

    std::shared_ptr<RuleSet> current_rules() const {
        std::lock_guard lock(mutex_);
        return current;
    }

    sdk::Status apply(sdk::Result<DeploymentSnapshot> snapshot) {
        std::lock_guard reload_lock(reload_mutex_);
        sdk::Status result;
        std::shared_ptr<RuleSet> loaded;
        if (!snapshot) {
            result = snapshot.status();
        } else {
            auto previous = current_rules();
            auto set = RuleSet::load(std::move(*snapshot), options.rules, previous.get());
            if (set) loaded = *set;
            else result = set.status();
        }
        if (!result) {
            {
                std::lock_guard lock(mutex_);
                status.last_reload_error = result.message();
                status.last_reload_error_at_utc_ms = now_utc_ms();
            }
            if (options.rules.logger) options.rules.logger->error(result.message());
            if (options.on_reload_error) options.on_reload_error(result.message());
            return result;
        }
        // Warm one state of each kind before switching, so the first sale
        // after a reload does not pay for loading the rules.
        auto upsell_runner = std::make_unique<UpsellRunner>(loaded);
        auto policy_runner = std::make_unique<PolicyRunner>(loaded);
        RulesStatus snapshot_status;
        {
            std::lock_guard lock(mutex_);
            bool first = current == nullptr;
            current = loaded;
            status.loaded = true;
            status.version = hex(loaded->files().hash);
            status.loaded_at_utc_ms = now_utc_ms();
            if (!first) status.reloads++;
            status.last_reload_error.clear();
            status.last_reload_error_at_utc_ms = 0;
            snapshot_status = status;
        }
        upsell_pool.clear();
        policy_pool.clear();
        upsell_pool.give_back(std::move(upsell_runner), loaded, options.idle_states);
        policy_pool.give_back(std::move(policy_runner), loaded, options.idle_states);
        snapshot_status.rules = loaded->status();
        if (options.rules.logger)
            options.rules.logger->info(loaded->files().dir + ": rules version " + snapshot_status.version +
                                       " running (" + std::to_string(loaded->files().upsell.size()) + " upsell, " +
                                       std::to_string(loaded->files().conflict.size()) + " conflict)");
        if (options.on_reloaded) options.on_reloaded(snapshot_status);
        return {};
    }
};

RulesEngine::RulesEngine(RulesEngineOptions options) : impl_(std::make_unique<Impl>()) {
    impl_->options = std::move(options);
    impl_->status.deployment_dir = impl_->options.deployment_dir;
}

RulesEngine::~RulesEngine() { stop(); }

sdk::Status RulesEngine::start() {
    auto loaded = reload_now();
    if (impl_->options.poll_interval_ms > 0) {
        impl_->watcher = std::make_unique<RuleWatcher>(
            impl_->options.deployment_dir, impl_->options.poll_interval_ms,
            [this](sdk::Result<DeploymentSnapshot> snapshot) { impl_->apply(std::move(snapshot)); });
        auto current = impl_->current_rules();
        impl_->watcher->start(current ? current->files().hash : 0);
    }
    return loaded;
}

void RulesEngine::stop() {
    if (impl_->watcher) impl_->watcher->stop();
}

sdk::Status RulesEngine::reload_now() { return impl_->apply(read_deployment(impl_->options.deployment_dir)); }

RulesStatus RulesEngine::status() const {
    RulesStatus out;
    std::shared_ptr<RuleSet> current;
    {
        std::lock_guard lock(impl_->mutex_);
        out = impl_->status;
        current = impl_->current;
    }
    if (current) out.rules = current->status();
    return out;
}

UpsellResult RulesEngine::evaluate_upsell(const Cart& cart, const UpsellContext& ctx) {
    auto current = impl_->current_rules();
    if (!current) return {};
    auto runner = impl_->upsell_pool.take(current);
    auto result = runner->evaluate(cart, ctx, impl_->options.evaluate);
    impl_->upsell_pool.give_back(std::move(runner), impl_->current_rules(), impl_->options.idle_states);
    return result;
}

sdk::Result<UpsellResult> RulesEngine::evaluate_upsell(const sdk::Value& cart, const UpsellContext& ctx) {
    auto parsed = cart_from_value(cart);
    if (!parsed) return parsed.error();
    return evaluate_upsell(*parsed, ctx);
}

sdk::Result<sdk::Value> RulesEngine::resolve(std::string_view kind, const sdk::Value& local,
                                             const sdk::Value& remote, const sdk::Value& base) {
    auto current = impl_->current_rules();
    if (!current) return sdk::Error{"no_policy", impl_->options.deployment_dir + ": no rules version is running"};
    auto runner = impl_->policy_pool.take(current);
    auto merged = runner->resolve(kind, local, remote, base);
    impl_->policy_pool.give_back(std::move(runner), impl_->current_rules(), impl_->options.idle_states);
    return merged;
}

}  // namespace till::script
