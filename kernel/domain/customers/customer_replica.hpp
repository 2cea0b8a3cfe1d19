// Customers arriving by sync (from HQ on a store, from a store on HQ): the
// module's ReplicaApplier. Both sides write customers, so a change is
// merged with the local record by the deployment's conflict policy
// (ConflictPolicy::resolve("customer", local, remote, base = null); the
// shipped default is per-field last-writer-wins by HLC stamp), and the
// merge is stored with a new local version when it differs from what was
// here. Internal to the customers module (CustomerService::replica_applier).
#pragma once

#include <mutex>
#include <vector>

#include "domain/common/context.hpp"
#include "domain/common/replication.hpp"
#include "domain/customers/customer_store.hpp"

namespace till::domain::customers {

class CustomerApplier final : public ReplicaApplier {
public:
    /// `ctx`, `store` and `policy` must outlive the applier.
    CustomerApplier(DomainContext& ctx, const CustomerStore& store, ConflictPolicy& policy);

    /// Another policy from now on (the node's rules reloaded, say).
    void use_policy(ConflictPolicy& policy);

    /// The record as stored after the merge (customer_record.hpp). Errors:
    /// "invalid_argument" (not a customer record, or the policy's merge is
    /// not one), the policy's own errors, storage errors.
    sdk::Result<sdk::Value> apply(sdk::SqlExecutor& tx, const ReplicatedChange& change) override;
    /// Publishes customer.changed with each stored customer.
    void after_commit(const std::vector<ReplicatedChange>& changes) override;

private:
    DomainContext& ctx_;
    const CustomerStore& store_;
    mutable std::mutex mutex_;
    ConflictPolicy* policy_;
};

}  // namespace till::domain::customers
