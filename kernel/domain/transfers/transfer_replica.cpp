#include "domain/transfers/transfer_replica.hpp"

#include "domain/common/http_errors.hpp"

namespace till::domain::transfers {
namespace {

sdk::Error invalid(const std::string& message) { return sdk::Error{std::string(error_code::invalid_argument), message}; }

/// Once the goods left, the lines and the two stores are what left (and
/// what arrived): they come from the side further along, whatever the policy
/// made of them — an edit of the draft elsewhere cannot rewrite a shipment
/// whose stock already moved. Both sides get the same answer.
void keep_shipment(Transfer& merged, const Transfer& local, const Transfer& remote) {
    const int local_rank = status_rank(local.status);
    const int remote_rank = status_rank(remote.status);
    if (local_rank == remote_rank) return;
    const Transfer& further = remote_rank > local_rank ? remote : local;
    if (status_rank(further.status) < status_rank(status::sent)) return;
    merged.lines = further.lines;
    merged.from_store = further.from_store;
    merged.to_store = further.to_store;
    for (const char* field : {"lines", "from_store", "to_store"}) {
        auto it = further.field_stamps.find(field);
        if (it != further.field_stamps.end()) merged.field_stamps[field] = it->second;
        else merged.field_stamps.erase(field);
    }
}

}  // namespace

TransferApplier::TransferApplier(DomainContext& ctx, const TransferStore& store, ConflictPolicy& policy)
    : ctx_(ctx), store_(store), policy_(&policy) {}

void TransferApplier::use_policy(ConflictPolicy& policy) {
    std::lock_guard lock(mutex_);
    policy_ = &policy;
}

bool TransferApplier::concerns_this_node(const Transfer& t) const {
    if (ctx_.node.role == sdk::NodeRole::hq) return true;
    return t.from_store == ctx_.node.node_id || t.to_store == ctx_.node.node_id;
}

sdk::Result<sdk::Value> TransferApplier::apply(sdk::SqlExecutor& tx, const ReplicatedChange& change) {
    if (change.type != change_type::transfer)
        return invalid("the transfers module does not hold changes of type '" + change.type + "'");
    auto remote = transfer_from_record(change.payload);
    if (!remote) return sdk::Error{remote.error().code, "transfer " + change.entity_id + ": " + remote.error().message};
    if (!change.entity_id.empty() && change.entity_id != remote->id)
        return invalid("transfer " + change.entity_id + ": the record's id is " + remote->id);

    auto found = store_.find(tx, remote->id, TransferStore::Lock::for_update);
    if (!found) return found.error();
    // Not this store's business (and never was): keep nothing.
    if (!*found && !concerns_this_node(*remote)) return change.payload;
    const std::int64_t now = ctx_.clock.now_utc_ms();

    Transfer result;
    if (!*found) {
        result = *remote;
        result.updated_utc_ms = now;
        if (result.created_utc_ms == 0) result.created_utc_ms = now;
        if (auto s = store_.insert(tx, result); !s.ok()) return s.error();
        return transfer_record(result);
    }
    const Transfer& local = **found;
    ConflictPolicy* policy = nullptr;
    {
        std::lock_guard lock(mutex_);
        policy = policy_;
    }
    auto merged_record = policy->resolve(change_type::transfer, transfer_record(local), change.payload, sdk::Value());
    if (!merged_record) return merged_record.error();
    auto merged = transfer_from_record(*merged_record);
    if (!merged)
        return invalid("transfer " + local.id + ": the conflict policy's merge is not a transfer record: " +
                       merged.error().message);
    if (merged->id != local.id)
        return invalid("transfer " + local.id + ": the conflict policy's merge has another id (" + merged->id + ")");
    keep_shipment(*merged, local, *remote);
    if (same_fields_and_stamps(*merged, local)) return transfer_record(local);
    result = std::move(*merged);
    result.version = local.version + 1;
    result.created_utc_ms = local.created_utc_ms;
    result.updated_utc_ms = now;
    auto written = store_.update(tx, result, local.version);
    if (!written) return written.error();
    if (!*written) return sdk::Error{std::string(error_code::conflict), "transfer " + result.id + " changed meanwhile"};
    return transfer_record(result);
}

void TransferApplier::after_commit(const std::vector<ReplicatedChange>& changes) {
    for (const auto& change : changes) {
        auto found = store_.find(ctx_.storage, change.entity_id);
        if (found && *found) ctx_.events.publish("transfer.changed", transfer_to_value(**found));
    }
}

}  // namespace till::domain::transfers
