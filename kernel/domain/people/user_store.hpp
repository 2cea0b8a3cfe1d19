// The users table (migration module "domain.people") and its SQL. Every
// function takes the executor to run on: the node's storage for reads, the
// caller's transaction for writes. Internal to the people module.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "till/sdk/storage.hpp"
#include "till/sdk/value.hpp"

namespace till::domain::people {

/// The "domain.people" schema (SQLite and PostgreSQL).
const std::vector<sdk::Migration>& people_migrations();

struct User {
    std::string id;            ///< UUIDv7
    std::string name;          ///< unique login name
    std::string display_name;
    std::string role;          ///< cashier | supervisor | manager | admin
    bool active = true;
    std::string pin_hash;      ///< never leaves this module
    std::int64_t failed_pin_attempts = 0;  ///< wrong PINs in a row
    std::int64_t locked_until_utc_ms = 0;  ///< 0 = not locked
    std::int64_t created_utc_ms = 0;
    std::int64_t updated_utc_ms = 0;
};

/// The user as the API shows it (no PIN hash). `now_utc_ms` decides "locked".
sdk::Value user_to_value(const User& user, std::int64_t now_utc_ms);

sdk::Result<std::optional<User>> find_user_by_id(sdk::SqlExecutor& sql, const std::string& id);
sdk::Result<std::optional<User>> find_user_by_name(sdk::SqlExecutor& sql, const std::string& name);
/// Ordered by name; `offset` rows skipped.
sdk::Result<std::vector<User>> list_users(sdk::SqlExecutor& sql, std::int64_t offset, std::int64_t limit);
sdk::Result<std::int64_t> count_users(sdk::SqlExecutor& sql);

/// Inserts `user`; returns false (nothing written) when the name is taken.
sdk::Result<bool> insert_user(sdk::SqlExecutor& sql, const User& user);
/// Writes every field of `user` but id and created_utc_ms.
sdk::Status update_user(sdk::SqlExecutor& sql, const User& user);

/// Counts one more wrong PIN (atomically, row-locked) and returns the new count.
sdk::Result<std::int64_t> add_failed_pin(sdk::SqlExecutor& sql, const std::string& user_id,
                                         std::int64_t now_utc_ms);
/// Locks the user until `until_utc_ms` and clears the count.
sdk::Status lock_user(sdk::SqlExecutor& sql, const std::string& user_id, std::int64_t until_utc_ms,
                      std::int64_t now_utc_ms);
/// After a right PIN: clears the count and any expired lock. Returns the
/// lock time read under the row lock (> now: locked meanwhile, refuse).
sdk::Result<std::int64_t> clear_failed_pins(sdk::SqlExecutor& sql, sdk::Dialect dialect, const std::string& user_id,
                                            std::int64_t now_utc_ms);

/// Marks override `jti` used. False when it already was (by any thread or
/// process, before or after a restart): the caller must refuse it.
sdk::Result<bool> mark_override_used(sdk::SqlExecutor& sql, const std::string& jti, const std::string& user_id,
                                     const std::string& action, std::int64_t now_utc_ms);

}  // namespace till::domain::people
