// The node's entry point to Lua rules: one deployment, hot-reloaded; upsell
// evaluation and conflict resolution on pools of sandboxed states (a state
// is used by one thread at a time); the status of every rule.
//
// Wiring in the node (thin): build RulesEngineOptions from the config key
// naming the deployment directory, pass the node's logger and callbacks
// that publish reload errors / status on the event bus; start() at node
// start and stop() at shutdown; call evaluate_upsell() on each cart change
// and from GET /api/v1/orders/{id}/suggestions; hand the engine (it is a
// ConflictResolver) to the sync engine; put status().to_value() under
// "rules" in /api/v1/node.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "script/cart.hpp"
#include "script/conflict_resolver.hpp"
#include "script/rule_set.hpp"
#include "script/rule_status.hpp"
#include "script/upsell_runner.hpp"

namespace till::script {

struct RulesEngineOptions {
    std::string deployment_dir;          ///< scripts/<deployment>
    RuleSetOptions rules;                ///< budgets, failure threshold, logger
    EvaluateOptions evaluate;            ///< suggestions kept, evaluation budget
    std::int64_t poll_interval_ms = 1000;  ///< 0: no watcher (reload_now() only)
    std::size_t idle_states = 4;         ///< idle states kept per pool
    /// A version on disk was refused (or the folder is unreadable); the
    /// running version stays. Called from the watcher thread.
    std::function<void(const std::string& error)> on_reload_error;
    /// A new version is running. Called from the watcher thread.
    std::function<void(const RulesStatus& status)> on_reloaded;
};

class RulesEngine final : public ConflictResolver {
public:
    explicit RulesEngine(RulesEngineOptions options);
    ~RulesEngine() override;  ///< stops
    RulesEngine(const RulesEngine&) = delete;
    RulesEngine& operator=(const RulesEngine&) = delete;

    /// Loads the deployment and starts the watcher. When the first version
    /// is refused the error is returned, but the watcher still runs: the
    /// engine serves no suggestions until a good version appears.
    sdk::Status start();
    void stop();
    /// Reads the folder now and switches to it if it loads; else keeps the
    /// running version and returns (and records) the error.
    sdk::Status reload_now();

    RulesStatus status() const;

    /// Every enabled rule on `cart`; never fails: broken rules are skipped
    /// (and counted), no rules means no suggestions. Thread-safe.
    UpsellResult evaluate_upsell(const Cart& cart, const UpsellContext& ctx);
    /// Same, from the cart's JSON shape (errors name the JSON path).
    sdk::Result<UpsellResult> evaluate_upsell(const sdk::Value& cart, const UpsellContext& ctx);

    sdk::Result<sdk::Value> resolve(std::string_view kind, const sdk::Value& local, const sdk::Value& remote,
                                    const sdk::Value& base) override;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace till::script
