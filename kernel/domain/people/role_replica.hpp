// Roles as sync carries them (docs/sync.md, "Payloads"; docs/domain/people.md,
// "Roles"): {"name", "actions", "version", "updated_utc_ms", "updated_by"}
// for a stored role, {"name", "deleted": true} when a node drops its row
// (back to its config). And the applier that writes HQ's roles into a store.
// Internal to the people module.
#pragma once

#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "domain/common/context.hpp"
#include "domain/common/replication.hpp"
#include "domain/people/role_permissions.hpp"
#include "domain/people/role_store.hpp"

namespace till::domain::people {

/// The change payload of a stored role.
sdk::Value role_replica_payload(const StoredRole& role);
/// The change payload of a role whose row was deleted.
sdk::Value role_deleted_payload(const std::string& name);

/// Why `actions` may not be given to `role`, or nullopt: the admin role must
/// keep roles.manage and users.manage, so that nobody locks the deployment out.
std::optional<std::string> role_rule_violation(const std::string& role, const std::vector<std::string>& actions);

/// Writes `role` changes pulled from HQ (sync type "role"): validates the
/// payload (errors "invalid_argument" naming the path, e.g. "$.actions[2]:
/// unknown action" — an action this node does not know is refused rather
/// than dropped, so a newer HQ's role never silently shrinks here), upserts
/// or deletes the row in the engine's transaction, appends nothing;
/// after_commit() reloads the effective permissions and publishes
/// role.changed.
class RoleApplier final : public ReplicaApplier {
public:
    /// `ctx` and `permissions` must outlive the applier.
    RoleApplier(DomainContext& ctx, RolePermissions& permissions) : ctx_(ctx), permissions_(permissions) {}

    sdk::Result<sdk::Value> apply(sdk::SqlExecutor& tx, const ReplicatedChange& change) override;
    void after_commit(const std::vector<ReplicatedChange>& changes) override;

private:
    DomainContext& ctx_;
    RolePermissions& permissions_;
    std::mutex mutex_;
    std::vector<std::string> pending_;  ///< role names applied in the engine's open transaction
};

}  // namespace till::domain::people
