#include "domain/people/user_replica.hpp"

#include <algorithm>

#include "domain/common/http_errors.hpp"

namespace till::domain::people {
namespace {

sdk::Error invalid(const std::string& message) { return sdk::Error{std::string(error_code::invalid_argument), message}; }

bool known_role(const std::string& role) {
    static const char* roles[] = {"cashier", "supervisor", "manager", "admin"};
    return std::any_of(std::begin(roles), std::end(roles), [&](const char* r) { return role == r; });
}

/// The text member `key`: a non-empty string of at most `max` bytes.
sdk::Result<std::string> text(const sdk::Value& payload, const char* key, std::size_t max) {
    const sdk::Value* v = payload.find(key);
    if (!v || !v->is_string() || v->as_string().empty() || v->as_string().size() > max)
        return invalid(std::string("$.") + key + ": expected a string of 1 to " + std::to_string(max) + " bytes");
    return v->as_string();
}

}  // namespace

sdk::Value user_replica_payload(const User& user, std::int64_t now_utc_ms) {
    sdk::Value v = user_to_value(user, now_utc_ms);
    v.set("pin_hash", user.pin_hash);
    return v;
}

sdk::Result<User> user_from_replica(const sdk::Value& payload) {
    if (!payload.is_map()) return invalid("$: expected a user object");
    User u;
    auto id = text(payload, "id", 100);
    if (!id) return id.error();
    auto name = text(payload, "name", 64);
    if (!name) return name.error();
    auto display = text(payload, "display_name", 100);
    if (!display) return display.error();
    auto role = text(payload, "role", 20);
    if (!role) return role.error();
    if (!known_role(*role)) return invalid("$.role: unknown role \"" + *role + "\"");
    auto hash = text(payload, "pin_hash", 500);
    if (!hash) return hash.error();
    const sdk::Value* active = payload.find("active");
    if (!active || !active->is_bool()) return invalid("$.active: expected true or false");
    u.id = *id;
    u.name = *name;
    u.display_name = *display;
    u.role = *role;
    u.pin_hash = *hash;
    u.active = active->as_bool();
    u.created_utc_ms = payload["created_utc_ms"].as_int(0);
    u.updated_utc_ms = payload["updated_utc_ms"].as_int(0);
    return u;
}

sdk::Result<AppliedUser> apply_user_replica(sdk::SqlExecutor& tx, const ReplicatedChange& change,
                                            std::int64_t now_utc_ms) {
    if (change.type != change_type::user)
        return invalid("the people module does not hold changes of type '" + change.type + "'");
    auto incoming = user_from_replica(change.payload);
    if (!incoming) return incoming.error();
    AppliedUser out;
    out.user = *incoming;

    auto holder = find_user_by_name(tx, out.user.name);
    if (!holder) return holder.error();
    if (*holder && (*holder)->id != out.user.id) {
        User local = **holder;
        const std::string tail = local.id.size() > 12 ? local.id.substr(local.id.size() - 12) : local.id;
        local.name = out.user.name.substr(0, 64 - 7 - tail.size()) + ".local-" + tail;
        local.active = false;
        local.updated_utc_ms = now_utc_ms;
        if (auto s = update_user(tx, local); !s.ok()) return s.error();
        out.displaced = local;
    }

    auto current = find_user_by_id(tx, out.user.id);
    if (!current) return current.error();
    if (*current) {
        // The lockout is this node's own: HQ's record does not reset it.
        out.user.failed_pin_attempts = (*current)->failed_pin_attempts;
        out.user.locked_until_utc_ms = (*current)->locked_until_utc_ms;
        out.user.created_utc_ms = (*current)->created_utc_ms;
        if (auto s = update_user(tx, out.user); !s.ok()) return s.error();
        return out;
    }
    auto inserted = insert_user(tx, out.user);
    if (!inserted) return inserted.error();
    if (!*inserted) return invalid("user " + out.user.id + ": the name \"" + out.user.name + "\" is taken here");
    out.created = true;
    return out;
}

}  // namespace till::domain::people
