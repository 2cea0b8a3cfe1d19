#include "script/rule_status.hpp"

namespace till::script {

sdk::Value RulesStatus::to_value() const {
    sdk::Value v = sdk::Value::map();
    v.set("deployment_dir", deployment_dir);
    v.set("loaded", loaded);
    v.set("version", version);
    v.set("loaded_at_utc_ms", loaded_at_utc_ms);
    v.set("reloads", reloads);
    v.set("last_reload_error", last_reload_error);
    v.set("last_reload_error_at_utc_ms", last_reload_error_at_utc_ms);
    sdk::Value list = sdk::Value::list();
    for (const auto& r : rules) {
        sdk::Value rv = sdk::Value::map();
        rv.set("file", r.file);
        rv.set("kind", r.kind);
        rv.set("state", r.state == RuleState::enabled ? "enabled" : "disabled");
        rv.set("consecutive_failures", r.consecutive_failures);
        rv.set("total_failures", r.total_failures);
        rv.set("runs", r.runs);
        rv.set("last_error", r.last_error);
        list.push_back(std::move(rv));
    }
    v.set("rules", std::move(list));
    return v;
}

}  // namespace till::script
