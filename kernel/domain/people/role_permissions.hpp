// The effective permissions of the four roles: a stored row (roles table,
// role_store.hpp) replaces that role's config list `auth.permissions.<role>`;
// without a row the config applies. Kept in memory, read by every request
// (shared lock) and reloaded from the database after a change commits.
// Internal to the people module.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

#include "domain/people/role_store.hpp"
#include "till/sdk/status.hpp"
#include "till/sdk/storage.hpp"
#include "till/sdk/value.hpp"

namespace till::domain::people {

/// One role as the API shows it.
struct RoleView {
    std::string name;
    std::vector<std::string> actions;  ///< in all_actions() order (actions this node does not know are left out)
    bool stored = false;               ///< false: the config's list
    std::int64_t version = 0;          ///< 0 for the config's list
    std::int64_t updated_utc_ms = 0;   ///< 0 for the config's list
    std::string updated_by;
};

/// {"name", "actions", "source": "stored"|"config", "version", "updated_utc_ms", "updated_by"}
/// (the last two null for the config's list).
sdk::Value role_view_to_value(const RoleView& role);

/// `actions` in all_actions() order, without duplicates or unknown names.
std::vector<std::string> ordered_actions(const std::vector<std::string>& actions);

class RolePermissions {
public:
    /// `config`: role → actions (AuthSettings::permissions).
    explicit RolePermissions(const std::map<std::string, std::vector<std::string>>& config);

    /// Reads every stored role from `sql` and makes them effective.
    sdk::Status reload(sdk::SqlExecutor& sql);

    bool allows(std::string_view role, std::string_view action) const;
    /// The effective view of `role` (any name: an unknown role grants nothing).
    RoleView view(const std::string& role) const;
    /// The config's list of `role` (in all_actions() order).
    std::vector<std::string> config_actions(const std::string& role) const;

private:
    using ActionSet = std::set<std::string, std::less<>>;
    struct Effective {
        ActionSet actions;
        std::optional<StoredRole> stored;
    };
    std::map<std::string, ActionSet, std::less<>> config_;
    mutable std::shared_mutex mutex_;
    std::map<std::string, Effective, std::less<>> effective_;  ///< guarded by mutex_
};

}  // namespace till::domain::people
