// Users as sync carries them (docs/sync.md, "Payloads"): the user as the API
// shows it plus `pin_hash` (the PBKDF2 string as stored, never a PIN); and
// the writing of one such change, pulled from HQ, into the store's users
// table. HQ is the master of users: its record replaces name, display name,
// role, active and PIN hash; the PIN lockout state (wrong PINs counted,
// locked until) stays the store's own. Internal to the people module.
#pragma once

#include <optional>
#include <string>

#include "domain/common/replication.hpp"
#include "domain/people/user_store.hpp"
#include "till/sdk/status.hpp"
#include "till/sdk/storage.hpp"
#include "till/sdk/value.hpp"

namespace till::domain::people {

/// The change payload of `user` (user_to_value + pin_hash).
sdk::Value user_replica_payload(const User& user, std::int64_t now_utc_ms);

/// A user from a change payload (lockout fields zero). Errors
/// "invalid_argument" naming the JSON path.
sdk::Result<User> user_from_replica(const sdk::Value& payload);

/// What apply_user_replica did, for after_commit (events, log).
struct AppliedUser {
    User user;                        ///< as stored now
    bool created = false;             ///< new on this node
    std::optional<User> displaced;    ///< a local user that held the name (renamed and deactivated)
};

/// Upserts the user of `change` in `tx`, keeping the local lockout state.
/// A different local user holding the same name (e.g. the store's own first
/// `admin`) is renamed "<name>.local-<id tail>" and deactivated: HQ's
/// users are the ones that log in. Errors "invalid_argument".
sdk::Result<AppliedUser> apply_user_replica(sdk::SqlExecutor& tx, const ReplicatedChange& change,
                                            std::int64_t now_utc_ms);

}  // namespace till::domain::people
