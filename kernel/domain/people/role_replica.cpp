#include "domain/people/role_replica.hpp"

#include <algorithm>

#include "domain/common/auth.hpp"
#include "domain/common/http_errors.hpp"
#include "domain/people/people_service.hpp"

namespace till::domain::people {

namespace {

sdk::Error invalid(const std::string& message) { return sdk::Error{std::string(error_code::invalid_argument), message}; }

bool contains(const std::vector<std::string>& list, std::string_view item) {
    return std::find(list.begin(), list.end(), item) != list.end();
}

/// The role of a change payload ("deleted": actions empty, version 0).
struct IncomingRole {
    StoredRole role;
    bool deleted = false;
};

sdk::Result<IncomingRole> role_from_replica(const sdk::Value& payload) {
    if (!payload.is_map()) return invalid("$: expected a role object");
    IncomingRole in;
    const sdk::Value* name = payload.find("name");
    if (!name || !name->is_string()) return invalid("$.name: expected a role name");
    if (!contains(all_roles(), name->as_string()))
        return invalid("$.name: unknown role \"" + name->as_string() + "\"");
    in.role.name = name->as_string();
    if (const sdk::Value* deleted = payload.find("deleted"); deleted && !deleted->is_null()) {
        if (!deleted->is_bool() || !deleted->as_bool()) return invalid("$.deleted: expected true");
        in.deleted = true;
        return in;
    }
    const sdk::Value* actions = payload.find("actions");
    if (!actions || !actions->is_list()) return invalid("$.actions: expected a list of action names");
    const auto& list = actions->as_list();
    for (std::size_t i = 0; i < list.size(); ++i) {
        const std::string path = "$.actions[" + std::to_string(i) + "]";
        if (!list[i].is_string()) return invalid(path + ": expected an action name");
        if (!contains(all_actions(), list[i].as_string()))
            return invalid(path + ": unknown action \"" + list[i].as_string() +
                           "\" (this node does not know it: update the node before it takes HQ's roles)");
        if (!contains(in.role.actions, list[i].as_string())) in.role.actions.push_back(list[i].as_string());
    }
    in.role.actions = ordered_actions(in.role.actions);
    if (auto why = role_rule_violation(in.role.name, in.role.actions)) return invalid("$.actions: " + *why);
    const sdk::Value* version = payload.find("version");
    if (!version || !version->is_int() || version->as_int() < 1)
        return invalid("$.version: expected an integer of at least 1");
    in.role.version = version->as_int();
    const sdk::Value* updated = payload.find("updated_utc_ms");
    if (updated && !updated->is_null()) {
        if (!updated->is_int() || updated->as_int() < 0)
            return invalid("$.updated_utc_ms: expected a non-negative integer");
        in.role.updated_utc_ms = updated->as_int();
    }
    const sdk::Value* by = payload.find("updated_by");
    if (by && !by->is_null()) {
        if (!by->is_string() || by->as_string().size() > 100)
            return invalid("$.updated_by: expected a string of at most 100 bytes");
        in.role.updated_by = by->as_string();
    }
    return in;
}

}  // namespace

sdk::Value role_replica_payload(const StoredRole& role) {
    sdk::Value v = sdk::Value::map();
    v.set("name", role.name);
    sdk::Value actions = sdk::Value::list();
    for (const auto& a : role.actions) actions.push_back(a);
    v.set("actions", actions);
    v.set("version", role.version);
    v.set("updated_utc_ms", role.updated_utc_ms);
    v.set("updated_by", role.updated_by);
    return v;
}

sdk::Value role_deleted_payload(const std::string& name) {
    sdk::Value v = sdk::Value::map();
    v.set("name", name);
    v.set("deleted", true);
    return v;
}

std::optional<std::string> role_rule_violation(const std::string& role, const std::vector<std::string>& actions) {
    if (role != "admin") return std::nullopt;
    for (auto required : {action::roles_manage, action::users_manage})
        if (!contains(actions, required))
            return "the admin role must keep " + std::string(required) +
                   " (roles.manage and users.manage): without them nobody could manage roles or users again";
    return std::nullopt;
}

sdk::Result<sdk::Value> RoleApplier::apply(sdk::SqlExecutor& tx, const ReplicatedChange& change) {
    if (change.type != change_type::role)
        return invalid("the people module's role applier does not hold changes of type '" + change.type + "'");
    auto incoming = role_from_replica(change.payload);
    if (!incoming) return incoming.error();
    if (!change.entity_id.empty() && change.entity_id != incoming->role.name)
        return invalid("$.name: \"" + incoming->role.name + "\" is not the change's entity id \"" + change.entity_id +
                       "\"");
    sdk::Value stored;
    if (incoming->deleted) {
        auto gone = delete_role(tx, incoming->role.name);
        if (!gone) return gone.error();
        stored = role_deleted_payload(incoming->role.name);
    } else {
        if (incoming->role.updated_utc_ms == 0) incoming->role.updated_utc_ms = ctx_.clock.now_utc_ms();
        if (auto s = upsert_role(tx, incoming->role); !s.ok()) return s.error();
        stored = role_replica_payload(incoming->role);
    }
    std::lock_guard lock(mutex_);
    pending_.push_back(incoming->role.name);
    return stored;
}

void RoleApplier::after_commit(const std::vector<ReplicatedChange>& changes) {
    std::vector<std::string> done;
    {
        std::lock_guard lock(mutex_);
        done.swap(pending_);
    }
    // Only what this batch applied (an earlier batch that failed left
    // entries behind that never committed): the last `changes.size()`.
    if (done.size() > changes.size()) done.erase(done.begin(), done.end() - static_cast<long>(changes.size()));
    if (auto s = permissions_.reload(ctx_.storage); !s.ok() && ctx_.logger)
        ctx_.logger->error("roles: cannot reload the permissions after HQ's changes: " + s.error().message);
    for (const auto& name : done) ctx_.events.publish("role.changed", role_view_to_value(permissions_.view(name)));
}

}  // namespace till::domain::people
