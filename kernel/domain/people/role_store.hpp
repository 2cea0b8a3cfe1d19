// The roles table (migration module "domain.people", version 2) and its SQL:
// the actions a role grants when they are stored rather than taken from the
// config (`auth.permissions`). One row per role at most; `actions` is a JSON
// list of action names. Every function takes the executor to run on: the
// node's storage for reads, the caller's transaction for writes. Internal to
// the people module.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "till/sdk/status.hpp"
#include "till/sdk/storage.hpp"

namespace till::domain::people {

struct StoredRole {
    std::string name;                  ///< one of all_roles()
    std::vector<std::string> actions;  ///< as stored (no duplicates)
    std::int64_t version = 0;          ///< 1 for the first row, +1 per change
    std::int64_t updated_utc_ms = 0;
    std::string updated_by;            ///< user id; "" for HQ's seed or a change from HQ
};

sdk::Result<std::optional<StoredRole>> find_role(sdk::SqlExecutor& sql, const std::string& name);
sdk::Result<std::vector<StoredRole>> list_stored_roles(sdk::SqlExecutor& sql);

/// Inserts `role` when no row for its name exists; false when one does.
sdk::Result<bool> insert_role(sdk::SqlExecutor& sql, const StoredRole& role);
/// Replaces the row of `role.name` when its version is `expected_version`;
/// false (nothing written) when the row is gone or has another version.
sdk::Result<bool> update_role(sdk::SqlExecutor& sql, const StoredRole& role, std::int64_t expected_version);
/// Inserts or replaces the row of `role.name` whatever it held (a change from HQ).
sdk::Status upsert_role(sdk::SqlExecutor& sql, const StoredRole& role);
/// Deletes the row of `name`; false when there was none.
sdk::Result<bool> delete_role(sdk::SqlExecutor& sql, const std::string& name);

}  // namespace till::domain::people
