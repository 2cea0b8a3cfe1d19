#include "domain/people/role_permissions.hpp"

#include <mutex>

#include "domain/common/auth.hpp"

namespace till::domain::people {

sdk::Value role_view_to_value(const RoleView& role) {
    sdk::Value v = sdk::Value::map();
    v.set("name", role.name);
    sdk::Value actions = sdk::Value::list();
    for (const auto& a : role.actions) actions.push_back(a);
    v.set("actions", actions);
    v.set("source", role.stored ? "stored" : "config");
    v.set("version", role.version);
    v.set("updated_utc_ms", role.stored ? sdk::Value(role.updated_utc_ms) : sdk::Value());
    v.set("updated_by", role.stored ? sdk::Value(role.updated_by) : sdk::Value());
    return v;
}

std::vector<std::string> ordered_actions(const std::vector<std::string>& actions) {
    std::vector<std::string> out;
    for (const auto& known : all_actions())
        for (const auto& a : actions)
            if (a == known) {
                out.push_back(known);
                break;
            }
    return out;
}

RolePermissions::RolePermissions(const std::map<std::string, std::vector<std::string>>& config) {
    for (const auto& [role, actions] : config) {
        auto& set = config_[role];
        for (const auto& a : actions) set.insert(a);
        effective_[role].actions = set;
    }
}

sdk::Status RolePermissions::reload(sdk::SqlExecutor& sql) {
    auto stored = list_stored_roles(sql);
    if (!stored) return stored.status();
    std::map<std::string, Effective, std::less<>> next;
    for (const auto& [role, actions] : config_) next[role].actions = actions;
    for (auto& row : *stored) {
        Effective& e = next[row.name];
        e.actions = ActionSet(row.actions.begin(), row.actions.end());
        e.stored = std::move(row);
    }
    std::unique_lock lock(mutex_);
    effective_.swap(next);
    return sdk::Status::success();
}

bool RolePermissions::allows(std::string_view role, std::string_view action) const {
    std::shared_lock lock(mutex_);
    auto it = effective_.find(role);
    return it != effective_.end() && it->second.actions.find(action) != it->second.actions.end();
}

RoleView RolePermissions::view(const std::string& role) const {
    RoleView out;
    out.name = role;
    std::shared_lock lock(mutex_);
    auto it = effective_.find(role);
    if (it == effective_.end()) return out;
    out.actions = ordered_actions(std::vector<std::string>(it->second.actions.begin(), it->second.actions.end()));
    if (it->second.stored) {
        out.stored = true;
        out.version = it->second.stored->version;
        out.updated_utc_ms = it->second.stored->updated_utc_ms;
        out.updated_by = it->second.stored->updated_by;
    }
    return out;
}

std::vector<std::string> RolePermissions::config_actions(const std::string& role) const {
    auto it = config_.find(role);
    if (it == config_.end()) return {};
    return ordered_actions(std::vector<std::string>(it->second.begin(), it->second.end()));
}

}  // namespace till::domain::people
