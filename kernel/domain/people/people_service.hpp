// PeopleService: users, PIN logins, tokens, role permissions and manager
// overrides — the node's Authorizer (domain/common/auth.hpp).
//
//   AuditTrail audit(ctx);                 // domain/audit/audit_trail.hpp
//   PeopleService people(ctx, audit);
//   audit.start(); people.start();         // migrations, token key, first admin
//   people.add_routes(router); audit.add_routes(router, people);
//   // every other module: Authorizer& auth = people;
//
// Logins: a user gives a PIN (4-12 digits, stored as PBKDF2-HMAC-SHA256) at a
// terminal and gets a JWT (HS256) valid for auth.token_ttl_s. After
// auth.lockout_attempts wrong PINs in a row the user is locked for
// auth.lockout_s (kept in the database: a restart does not unlock). The same
// rules apply to a supervisor's PIN given for an override. PIN checks of one
// user run one at a time (PinGate), so wrong PINs sent at once are each
// counted before the next is verified.
//
// Overrides: a supervisor's PIN, for one action and one user, gives a
// single-use token valid for auth.override_ttl_s; authorize() consumes it
// from the X-Till-Override header (recorded in used_overrides in the same
// transaction as its audit entry, so it is used once across threads,
// processes and restarts).
//
// Audited (action names): auth.login, auth.login_failed, auth.lockout,
// auth.override (details.stage "granted" / "used"), user.created,
// user.changed. Events after commit: auth.login, auth.login_failed,
// auth.lockout, auth.override, user.created, user.changed (payloads never
// hold a PIN, hash or token).
//
// Roles (docs/domain/people.md, "Roles"): the actions a role grants are
// data. A stored row (table `roles`) replaces the role's config list
// `auth.permissions.<role>`; without one the config applies. HQ owns them:
// on a node with role hq, start() stores every role that has no row yet
// from HQ's config (appended to the ReplicationLog, so stores receive them);
// changes are audited and published as role.changed, and replicated as
// type "role". The effective permissions are kept in memory and reloaded
// after every change (and after role_applier()'s batch) — no restart.
//
// Sync: creating a user (the first admin and demo users included) and
// changing one (display name, role, active, PIN) append a ReplicatedChange
// of type "user" (payload: the user as the API shows it plus `pin_hash`,
// never a PIN) in the same transaction; wrong PINs, lockouts and unlocks
// are this node's own and are not replicated. On a store synced with HQ the
// users routes refuse to create or change users (403, the message of
// ReplicationLog::may_edit_master_data), except a PATCH that only unlocks.
//
// Thread-safe after start(): route handlers call it from many threads.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "domain/common/audit.hpp"
#include "domain/common/auth.hpp"
#include "domain/common/context.hpp"
#include "domain/people/pin_gate.hpp"
#include "till/sdk/value.hpp"

namespace till::api {
class Router;
}

namespace till::domain::people {

class TokenCodec;
class UserApplier;
class RoleApplier;
class RolePermissions;
struct User;

/// The roles, lowest first.
const std::vector<std::string>& all_roles();

struct LoginRequest {
    std::string user_id;    ///< one of user_id / user_name
    std::string user_name;
    std::string pin;
    std::string terminal_id;  ///< "" when none
};

struct LoginResult {
    std::string token;
    std::int64_t expires_utc_ms = 0;
    sdk::Value user;  ///< as GET /api/v1/auth/me shows it (without permissions)
};

struct OverrideRequest {
    std::string action;
    std::string supervisor_user_id;    ///< one of the two
    std::string supervisor_user_name;
    std::string pin;
    std::string reason;
    std::string for_user_id;           ///< "" = the requester
};

struct OverrideGrant {
    std::string token;       ///< send as X-Till-Override with the retried request
    std::string override_id; ///< the token's jti
    std::string action;
    std::string for_user_id;
    std::string supervisor_user_id;
    std::int64_t expires_utc_ms = 0;
};

struct NewUser {
    std::string name;          ///< 1-64 of a-z 0-9 . _ - (login names are case-insensitive)
    std::string display_name;  ///< "" = name
    std::string role;
    std::string pin;
    bool active = true;
};

struct UserChange {
    std::optional<std::string> display_name;
    std::optional<std::string> role;
    std::optional<bool> active;
    std::optional<std::string> pin;  ///< a new PIN also clears a lockout
    bool unlock = false;             ///< clear a lockout and the wrong-PIN count
};

/// PUT /api/v1/roles/{name}.
struct RoleChange {
    std::vector<std::string> actions;             ///< duplicates collapse
    std::optional<std::int64_t> expected_version;  ///< 0 = "no stored row yet"
};

/// Set by login()/grant_override() when the answer is "locked".
struct LockInfo {
    std::int64_t locked_until_utc_ms = 0;
    std::int64_t retry_after_s = 0;
};

class PeopleService final : public Authorizer {
public:
    /// `ctx` and `audit` must outlive the service.
    PeopleService(DomainContext& ctx, AuditLog& audit);
    ~PeopleService() override;
    PeopleService(const PeopleService&) = delete;
    PeopleService& operator=(const PeopleService&) = delete;

    /// Applies the "domain.people" migrations, seeds the roles on HQ (see
    /// above) and loads the effective permissions, loads the token key
    /// (auth.jwt_secret, else <data_dir>/auth/jwt.key, made once), and when
    /// there is no user at all creates `admin` (role admin) with a random
    /// 6-digit PIN written to <data_dir>/auth/initial-admin-pin (0600).
    sdk::Status start();

    /// POST /api/v1/auth/login, POST /api/v1/auth/overrides, GET /api/v1/auth/me,
    /// GET|POST /api/v1/users, GET|PATCH /api/v1/users/{user_id},
    /// GET /api/v1/roles, GET|PUT|DELETE /api/v1/roles/{name} (owner "kernel").
    sdk::Status add_routes(api::Router& router);

    // Authorizer
    sdk::Result<Principal> authenticate(const sdk::HttpRequest& request) const override;
    sdk::Result<Authorization> authorize(const Principal& principal, std::string_view action,
                                         const sdk::HttpRequest& request) override;

    /// Does `role` have `action` (its stored row, else config auth.permissions)?
    bool role_allows(const std::string& role, std::string_view action) const;
    /// The actions of `role`, in all_actions() order.
    std::vector<std::string> role_actions(const std::string& role) const;

    /// Errors: "unauthorized" (unknown user, wrong PIN, inactive), "locked"
    /// (fills `lock` when given), "invalid_argument" (bad PIN format).
    sdk::Result<LoginResult> login(const LoginRequest& request, LockInfo* lock = nullptr);
    /// Checks the supervisor's PIN and role. Errors: "forbidden" (unknown
    /// supervisor, wrong PIN, role lacks the action), "locked",
    /// "invalid_argument" (unknown action, bad for_user_id).
    sdk::Result<OverrideGrant> grant_override(const Principal& requester, const OverrideRequest& request,
                                              LockInfo* lock = nullptr);

    /// Users admin (the caller has checked "users.manage"). Only an admin
    /// may create, change or promote to an admin; nobody may deactivate or
    /// change the role of themselves. Errors: "invalid_argument" (with the
    /// JSON path), "conflict" (name taken), "not_found", "forbidden",
    /// "invalid_state".
    sdk::Result<sdk::Value> create_user(const Principal& by, const NewUser& user);
    sdk::Result<sdk::Value> change_user(const Principal& by, const std::string& user_id, const UserChange& change);
    sdk::Result<sdk::Value> get_user(const std::string& user_id);
    /// Users ordered by name; `next` is the offset of the next page or null.
    sdk::Result<sdk::Value> list_users(std::int64_t offset, std::int64_t limit);

    /// Writes `user` changes pulled from HQ (register it with the sync
    /// engine for type "user"): upsert by id with name, display name, role,
    /// active and PIN hash; the local PIN lockout stays. apply() runs in the
    /// engine's transaction and does not append to the ReplicationLog;
    /// after_commit() publishes user.created / user.changed. Lives as long
    /// as the service.
    ReplicaApplier& replica_applier();

    /// Roles admin (the caller has checked "roles.manage"; reads: "users.manage"
    /// or "roles.manage"). Views: {"name", "actions" (all_actions() order),
    /// "source" "stored"|"config", "version" (0 for config), "updated_utc_ms",
    /// "updated_by"}. Errors: "not_found" (unknown role), "bad_request"
    /// ("$.actions[2]: unknown action"), "invalid_argument" (the admin role
    /// must keep roles.manage and users.manage), "conflict" (stale
    /// expected_version), "invalid_state" (a reset that would lock out).
    sdk::Result<sdk::Value> list_roles() const;
    sdk::Result<sdk::Value> get_role(const std::string& name) const;
    sdk::Result<sdk::Value> put_role(const Principal& by, const std::string& name, const RoleChange& change);
    /// Back to the config: deletes the stored row; on HQ stores HQ's config
    /// list instead (so stores receive it; the next start would seed it anyway).
    sdk::Result<sdk::Value> reset_role(const Principal& by, const std::string& name);

    /// Writes `role` changes pulled from HQ (register it with the sync
    /// engine for type "role"): validates the payload, upserts or deletes the
    /// row in the engine's transaction without appending to the
    /// ReplicationLog; after_commit() reloads the effective permissions and
    /// publishes role.changed. Lives as long as the service.
    ReplicaApplier& role_applier();

    /// The demo users (idempotent: existing names are left alone): cashier
    /// `alice` PIN 1111, supervisor `bob` 2222, manager `carol` 3333.
    sdk::Status create_demo_users();

private:
    /// The user when `pin` is right; otherwise counts the failure (lockout),
    /// audits it and answers `refuse_code` or "locked".
    sdk::Result<User> check_pin(const std::optional<User>& user, const std::string& name_given,
                                const std::string& pin, const std::string& terminal_id, const char* purpose,
                                const char* refuse_code, LockInfo* lock);
    /// Inserts and audits (user.created); `created` false when the name is taken.
    sdk::Status insert_new_user(const User& user, const std::string& actor, const std::string& terminal,
                                const std::string& reason, bool& created);
    sdk::Status bootstrap_admin();
    /// Enters the PIN gate of `user` (when there is one) into `pass` and
    /// reads the user again inside it.
    sdk::Status enter_pin_gate(std::optional<User>& user, std::optional<PinGate::Pass>& pass);
    sdk::Status audit_in(sdk::SqlExecutor& tx, AuditEntry entry);
    /// On HQ: stores every role without a row from the config (replicated).
    sdk::Status seed_roles();
    /// Reloads the effective permissions (after a commit) and publishes role.changed.
    void role_committed(const std::string& name);
    sdk::Status add_role_routes(api::Router& router);

    DomainContext& ctx_;
    AuditLog& audit_;
    std::unique_ptr<RolePermissions> roles_;  ///< effective permissions (thread-safe)
    std::unique_ptr<TokenCodec> tokens_;
    PinGate pin_gate_;         ///< one PIN check per user at a time (lockout counts every guess)
    std::string dummy_hash_;  ///< verified against for unknown users, so timing does not tell names apart
    std::unique_ptr<UserApplier> applier_;
    std::unique_ptr<RoleApplier> role_applier_;
};

}  // namespace till::domain::people
