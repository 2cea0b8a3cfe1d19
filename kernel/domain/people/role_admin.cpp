// PeopleService's roles admin: HQ's seed, reading, changing and resetting
// the actions a role grants (docs/domain/people.md, "Roles").
#include <algorithm>

#include "domain/common/body_reader.hpp"
#include "domain/common/http_errors.hpp"
#include "domain/people/people_service.hpp"
#include "domain/people/role_permissions.hpp"
#include "domain/people/role_replica.hpp"
#include "domain/people/role_store.hpp"

namespace till::domain::people {

namespace {

sdk::Error err(std::string_view code, std::string message) { return sdk::Error{std::string(code), std::move(message)}; }

bool is_role(const std::string& name) {
    const auto& roles = all_roles();
    return std::find(roles.begin(), roles.end(), name) != roles.end();
}

sdk::Error unknown_role(const std::string& name) {
    return err(error_code::not_found, "no role named \"" + name + "\"; the roles are cashier, supervisor, manager, admin");
}

sdk::Value list_value(const std::vector<std::string>& items) {
    sdk::Value v = sdk::Value::list();
    for (const auto& i : items) v.push_back(i);
    return v;
}

/// The config list of `name` as HQ seeds it: the admin role always keeps
/// roles.manage and users.manage.
std::vector<std::string> seed_actions(const RolePermissions& roles, const std::string& name) {
    std::vector<std::string> actions = roles.config_actions(name);
    if (name == "admin") {
        actions.emplace_back(action::roles_manage);
        actions.emplace_back(action::users_manage);
    }
    return ordered_actions(actions);
}

}  // namespace

void PeopleService::role_committed(const std::string& name) {
    if (auto s = roles_->reload(ctx_.storage); !s.ok() && ctx_.logger)
        ctx_.logger->error("roles: cannot reload the permissions after a change: " + s.error().message);
    ctx_.events.publish("role.changed", role_view_to_value(roles_->view(name)));
}

sdk::Status PeopleService::seed_roles() {
    std::vector<std::string> seeded;
    const std::int64_t now = ctx_.clock.now_utc_ms();
    auto s = ctx_.storage.transaction([&](sdk::SqlExecutor& tx) -> sdk::Status {
        seeded.clear();
        for (const auto& name : all_roles()) {
            StoredRole role{name, seed_actions(*roles_, name), 1, now, ""};
            auto inserted = insert_role(tx, role);  // a role with a row keeps it
            if (!inserted) return inserted.status();
            if (!*inserted) continue;
            seeded.push_back(name);
            sdk::Value details = sdk::Value::map();
            details.set("name", name);
            details.set("actions", list_value(role.actions));
            details.set("version", role.version);
            details.set("stage", "seeded");
            if (auto a = audit_in(tx, {"", "role.changed", "role:" + name, "HQ's first start: roles from its config",
                                       "", "", details});
                !a.ok())
                return a;
            if (auto r = ctx_.replication.append(tx, {std::string(change_type::role), name,
                                                      role_replica_payload(role), false});
                !r.ok())
                return r;
        }
        return sdk::Status::success();
    });
    if (!s.ok()) return s;
    if (!seeded.empty()) {
        if (auto r = roles_->reload(ctx_.storage); !r.ok()) return r;
        for (const auto& name : seeded) ctx_.events.publish("role.changed", role_view_to_value(roles_->view(name)));
    }
    return sdk::Status::success();
}

sdk::Result<sdk::Value> PeopleService::list_roles() const {
    sdk::Value items = sdk::Value::list();
    for (const auto& name : all_roles()) items.push_back(role_view_to_value(roles_->view(name)));
    sdk::Value body = sdk::Value::map();
    body.set("items", items);
    return body;
}

sdk::Result<sdk::Value> PeopleService::get_role(const std::string& name) const {
    if (!is_role(name)) return unknown_role(name);
    return role_view_to_value(roles_->view(name));
}

sdk::Result<sdk::Value> PeopleService::put_role(const Principal& by, const std::string& name,
                                                const RoleChange& change) {
    if (!is_role(name)) return unknown_role(name);
    const auto& known = all_actions();
    for (std::size_t i = 0; i < change.actions.size(); ++i)
        if (std::find(known.begin(), known.end(), change.actions[i]) == known.end())
            return err(error_code::bad_request, "$.actions[" + std::to_string(i) + "]: unknown action \"" +
                                                    change.actions[i] + "\"");
    const std::vector<std::string> actions = ordered_actions(change.actions);
    if (auto why = role_rule_violation(name, actions)) return invalid_field("$.actions", *why);
    if (change.expected_version && *change.expected_version < 0)
        return invalid_field("$.expected_version", "must be at least 0");

    const std::int64_t now = ctx_.clock.now_utc_ms();
    bool changed = false;
    auto s = ctx_.storage.transaction([&](sdk::SqlExecutor& tx) -> sdk::Status {
        changed = false;
        auto current = find_role(tx, name);
        if (!current) return current.status();
        const std::int64_t current_version = *current ? (*current)->version : 0;
        if (change.expected_version && *change.expected_version != current_version)
            return sdk::Status::failure(
                std::string(error_code::conflict),
                "$.expected_version: role " + name + " is at version " + std::to_string(current_version) +
                    ", not " + std::to_string(*change.expected_version) + " (changed meanwhile: read it again)");
        const std::vector<std::string> before =
            *current ? ordered_actions((*current)->actions) : roles_->config_actions(name);
        if (*current && before == actions) return sdk::Status::success();  // nothing to change
        StoredRole role{name, actions, current_version + 1, now, by.user_id};
        auto written = *current ? update_role(tx, role, current_version) : insert_role(tx, role);
        if (!written) return written.status();
        if (!*written)
            return sdk::Status::failure(std::string(error_code::conflict),
                                        "role " + name + " was changed meanwhile: read it again");
        changed = true;
        sdk::Value details = sdk::Value::map();
        details.set("name", name);
        details.set("old_actions", list_value(before));
        details.set("new_actions", list_value(actions));
        details.set("old_source", *current ? "stored" : "config");
        details.set("version", role.version);
        if (auto a = audit_in(tx, {by.user_id, "role.changed", "role:" + name, "", "", by.terminal_id, details});
            !a.ok())
            return a;
        return ctx_.replication.append(tx,
                                       {std::string(change_type::role), name, role_replica_payload(role), false});
    });
    if (!s.ok()) return s.error();
    if (changed) role_committed(name);
    return role_view_to_value(roles_->view(name));
}

sdk::Result<sdk::Value> PeopleService::reset_role(const Principal& by, const std::string& name) {
    if (!is_role(name)) return unknown_role(name);
    const bool hq = ctx_.node.role == sdk::NodeRole::hq;
    const std::vector<std::string> config = hq ? seed_actions(*roles_, name) : roles_->config_actions(name);
    if (auto why = role_rule_violation(name, config))
        return err(error_code::invalid_state, "role " + name + " cannot go back to this node's config list: " + *why +
                                                  " (auth.permissions.admin lacks them); keep the stored role");
    const std::int64_t now = ctx_.clock.now_utc_ms();
    bool changed = false;
    auto s = ctx_.storage.transaction([&](sdk::SqlExecutor& tx) -> sdk::Status {
        changed = false;
        auto current = find_role(tx, name);
        if (!current) return current.status();
        if (!*current) {
            if (!hq) return sdk::Status::success();  // already the config's
        } else if (hq && ordered_actions((*current)->actions) == config) {
            return sdk::Status::success();
        }
        sdk::Value details = sdk::Value::map();
        details.set("name", name);
        details.set("old_actions", list_value(*current ? ordered_actions((*current)->actions)
                                                       : roles_->config_actions(name)));
        details.set("new_actions", list_value(config));
        details.set("stage", "reset");
        ReplicatedChange change{std::string(change_type::role), name, role_deleted_payload(name), false};
        if (hq) {
            const std::int64_t current_version = *current ? (*current)->version : 0;
            StoredRole role{name, config, current_version + 1, now, by.user_id};
            auto written = *current ? update_role(tx, role, current_version) : insert_role(tx, role);
            if (!written) return written.status();
            if (!*written)
                return sdk::Status::failure(std::string(error_code::conflict),
                                            "role " + name + " was changed meanwhile: read it again");
            details.set("version", role.version);
            change.payload = role_replica_payload(role);
        } else {
            auto gone = delete_role(tx, name);
            if (!gone) return gone.status();
            if (!*gone) return sdk::Status::success();
            details.set("version", 0);
        }
        changed = true;
        if (auto a = audit_in(tx, {by.user_id, "role.changed", "role:" + name, "back to the config", "",
                                   by.terminal_id, details});
            !a.ok())
            return a;
        return ctx_.replication.append(tx, change);
    });
    if (!s.ok()) return s.error();
    if (changed) role_committed(name);
    return role_view_to_value(roles_->view(name));
}

}  // namespace till::domain::people
