// Transfers arriving by sync (from HQ on a store, from a store on HQ): the
// module's ReplicaApplier for type "transfer". A change is validated, merged
// with the local record by the deployment's conflict policy
// (ConflictPolicy::resolve("transfer", local, remote, base = null); the
// shipped default is per-field last-writer-wins by HLC stamp with a status
// that only moves forward), and the merge is stored with a new local version
// when it differs from what was here.
//
// On a store node, a transfer that neither leaves from nor arrives at this
// node is not stored (the remote record is returned as it is); HQ stores
// every transfer. The applier never moves stock and never appends to the
// replication log: stock moves only by the local send and receive actions,
// so each movement happens once, at the node that made it. Internal to the
// transfers module (TransferService::replica_applier).
#pragma once

#include <mutex>
#include <vector>

#include "domain/common/context.hpp"
#include "domain/common/replication.hpp"
#include "domain/transfers/transfer_store.hpp"

namespace till::domain::transfers {

class TransferApplier final : public ReplicaApplier {
public:
    /// `ctx`, `store` and `policy` must outlive the applier.
    TransferApplier(DomainContext& ctx, const TransferStore& store, ConflictPolicy& policy);

    void use_policy(ConflictPolicy& policy);

    /// The record as stored after the merge (or the remote record as it
    /// came when this store is not concerned). Errors: "invalid_argument"
    /// (not a transfer record, or the policy's merge is not one), the
    /// policy's own errors, storage errors.
    sdk::Result<sdk::Value> apply(sdk::SqlExecutor& tx, const ReplicatedChange& change) override;
    /// Publishes transfer.changed with each stored transfer.
    void after_commit(const std::vector<ReplicatedChange>& changes) override;

private:
    bool concerns_this_node(const Transfer& transfer) const;

    DomainContext& ctx_;
    const TransferStore& store_;
    mutable std::mutex mutex_;
    ConflictPolicy* policy_;
};

}  // namespace till::domain::transfers
