#include "domain/customers/customer_replica.hpp"

#include "domain/common/http_errors.hpp"
#include "domain/customers/customer_record.hpp"
#include "domain/customers/customer_rules.hpp"

namespace till::domain::customers {
namespace {

sdk::Error invalid(const std::string& message) { return sdk::Error{std::string(error_code::invalid_argument), message}; }

}  // namespace

CustomerApplier::CustomerApplier(DomainContext& ctx, const CustomerStore& store, ConflictPolicy& policy)
    : ctx_(ctx), store_(store), policy_(&policy) {}

void CustomerApplier::use_policy(ConflictPolicy& policy) {
    std::lock_guard lock(mutex_);
    policy_ = &policy;
}

sdk::Result<sdk::Value> CustomerApplier::apply(sdk::SqlExecutor& tx, const ReplicatedChange& change) {
    if (change.type != change_type::customer)
        return invalid("the customers module does not hold changes of type '" + change.type + "'");
    auto remote = customer_from_record(change.payload);
    if (!remote) return sdk::Error{remote.error().code, "customer " + change.entity_id + ": " + remote.error().message};
    if (!change.entity_id.empty() && change.entity_id != remote->id)
        return invalid("customer " + change.entity_id + ": the record's id is " + remote->id);

    auto found = store_.find(tx, remote->id, CustomerStore::Lock::for_update);
    if (!found) return found.error();
    const std::int64_t now = ctx_.clock.now_utc_ms();

    Customer result;
    if (!*found) {
        result = *remote;
        if (result.version < 1) result.version = 1;
        result.updated_utc_ms = now;
        if (result.created_utc_ms == 0) result.created_utc_ms = now;
    } else {
        const Customer& local = **found;
        ConflictPolicy* policy = nullptr;
        {
            std::lock_guard lock(mutex_);
            policy = policy_;
        }
        auto merged_record = policy->resolve(change_type::customer, customer_record(local), change.payload, sdk::Value());
        if (!merged_record) return merged_record.error();
        auto merged = customer_from_record(*merged_record);
        if (!merged)
            return invalid("customer " + local.id + ": the conflict policy's merge is not a customer record: " +
                           merged.error().message);
        if (merged->id != local.id)
            return invalid("customer " + local.id + ": the conflict policy's merge has another id (" + merged->id + ")");
        if (same_fields_and_stamps(*merged, local)) return customer_record(local);
        result = std::move(*merged);
        result.version = local.version + 1;
        result.created_utc_ms = local.created_utc_ms;
        result.updated_utc_ms = now;
    }

    // An email another customer here already has (both nodes created one
    // independently): keep the record, outside the unique index.
    auto key = CustomerStore::EmailKey::unique;
    if (!result.email.empty()) {
        auto owner = store_.id_by_email(tx, email_key(result.email));
        if (!owner) return owner.error();
        if (*owner && **owner != result.id) {
            key = CustomerStore::EmailKey::shared;
            if (ctx_.logger)
                ctx_.logger->warn("sync: customer " + result.id + " has the email of customer " + **owner +
                                  "; kept both — merge them by hand");
        }
    }
    if (!*found) {
        if (auto s = store_.insert(tx, result, key); !s.ok()) return s.error();
    } else {
        auto written = store_.update(tx, result, (*found)->version, key);
        if (!written) return written.error();
        if (!*written) return sdk::Error{std::string(error_code::conflict), "customer " + result.id + " changed meanwhile"};
    }
    return customer_record(result);
}

void CustomerApplier::after_commit(const std::vector<ReplicatedChange>& changes) {
    for (const auto& change : changes) {
        auto found = store_.find(ctx_.storage, change.entity_id);
        if (found && *found) ctx_.events.publish("customer.changed", customer_to_value(**found));
    }
}

}  // namespace till::domain::customers
