#include "domain/customers/customer_service.hpp"

#include "domain/common/http_errors.hpp"
#include "domain/customers/customer_record.hpp"
#include "domain/customers/customer_rules.hpp"
#include "storage/migrations.hpp"

namespace till::domain::customers {

namespace {

sdk::Error not_found(const std::string& id) {
    return sdk::Error{std::string(error_code::not_found), "no customer with id " + id};
}

sdk::Error stale(const std::string& id, std::int64_t current, std::int64_t expected) {
    return sdk::Error{std::string(error_code::conflict),
                      "$.expected_version: customer " + id + " is at version " + std::to_string(current) +
                          ", not " + std::to_string(expected) + "; reload it and apply the change again"};
}

sdk::Error email_taken(const std::string& existing_id) {
    return sdk::Error{std::string(error_code::conflict),
                      "$.email: customer " + existing_id + " already has this email"};
}

}  // namespace

Actor Actor::from(const Authorization& a) {
    return Actor{a.principal.user_id, a.principal.terminal_id, a.override_user_id, a.override_reason};
}

CustomerService::CustomerService(DomainContext& ctx, Authorizer& authorizer, AuditLog& audit)
    : ctx_(ctx),
      authorizer_(authorizer),
      audit_(audit),
      store_(ctx.storage.dialect()),
      hlc_(ctx.clock, ctx.node.node_id) {}

CustomerService::~CustomerService() = default;

ReplicaApplier& CustomerService::replica_applier(ConflictPolicy& policy) {
    if (!applier_) applier_ = std::make_unique<CustomerApplier>(ctx_, store_, policy);
    else applier_->use_policy(policy);
    return *applier_;
}

sdk::Status CustomerService::start() {
    return storage::apply_migrations(ctx_.storage, "domain.customers", customer_migrations());
}

sdk::Result<std::optional<CustomerView>> CustomerService::find_customer(sdk::SqlExecutor& tx,
                                                                        const std::string& customer_id) {
    if (!is_uuid_text(customer_id)) return std::optional<CustomerView>();
    auto found = store_.find(tx, customer_id);
    if (!found) return found.error();
    if (!*found) return std::optional<CustomerView>();
    const Customer& c = **found;
    return std::optional<CustomerView>(
        CustomerView{c.id, c.display_name, c.tax_exempt, c.tax_exempt_reference, c.active});
}

sdk::Result<std::optional<Customer>> CustomerService::get(const std::string& customer_id) {
    if (!is_uuid_text(customer_id)) return std::optional<Customer>();
    return store_.find(ctx_.storage, customer_id);
}

sdk::Result<SearchPage> CustomerService::search(const SearchQuery& query) {
    return store_.search(ctx_.storage, query);
}

sdk::Status CustomerService::check_email_free(sdk::SqlExecutor& tx, const Customer& customer,
                                              ConflictInfo* conflict) {
    if (customer.email.empty()) return {};
    auto owner = store_.id_by_email(tx, email_key(customer.email));
    if (!owner) return owner.status();
    if (*owner && **owner != customer.id) {
        if (conflict) conflict->existing_customer_id = **owner;
        return email_taken(**owner);
    }
    return {};
}

sdk::Status CustomerService::audit_exemption(sdk::SqlExecutor& tx, const Actor& by, const Customer& before,
                                             const Customer& after) {
    AuditEntry entry;
    entry.actor_user_id = by.user_id;
    entry.action = "customer.tax_exempt_changed";
    entry.subject = "customer:" + after.id;
    entry.reason = by.reason;
    entry.authorized_by = by.authorized_by;
    entry.terminal_id = by.terminal_id;
    entry.details = sdk::Value::map();
    entry.details.set("display_name", after.display_name);
    entry.details.set("tax_exempt_before", before.tax_exempt);
    entry.details.set("tax_exempt_after", after.tax_exempt);
    entry.details.set("tax_exempt_reference_before", before.tax_exempt_reference);
    entry.details.set("tax_exempt_reference_after", after.tax_exempt_reference);
    return audit_.append(tx, entry);
}

sdk::Result<Customer> CustomerService::create(const Actor& by, const NewCustomer& input, ConflictInfo* conflict) {
    auto made = customer_from_new(input);
    if (!made) return made.error();
    Customer c = std::move(*made);
    c.id = ctx_.ids.next();
    c.created_utc_ms = c.updated_utc_ms = ctx_.clock.now_utc_ms();
    c.version = 1;
    const FieldStamp stamp = hlc_.next();
    for (const std::string& field : stamped_fields()) c.field_stamps[field] = stamp;

    auto done = ctx_.storage.transaction([&](sdk::SqlExecutor& tx) -> sdk::Status {
        if (auto s = check_email_free(tx, c, conflict); !s.ok()) return s;
        if (auto s = store_.insert(tx, c); !s.ok()) return s;
        if (c.tax_exempt)
            if (auto s = audit_exemption(tx, by, Customer{}, c); !s.ok()) return s;
        return ctx_.replication.append(tx, {std::string(change_type::customer), c.id, customer_record(c), false});
    });
    if (!done.ok()) {
        // Two terminals adding the same email at once: the unique index
        // refused the second one (PostgreSQL); answer as the check would.
        if (done.error().code != error_code::conflict && !c.email.empty()) {
            auto owner = store_.id_by_email(ctx_.storage, email_key(c.email));
            if (owner && *owner) {
                if (conflict) conflict->existing_customer_id = **owner;
                return email_taken(**owner);
            }
        }
        return done.error();
    }
    ctx_.events.publish("customer.created", customer_to_value(c));
    return c;
}

sdk::Status CustomerService::write_change(sdk::SqlExecutor& tx, const Actor& by, const Customer& before,
                                          Customer& after, const std::vector<std::string>& changed_fields,
                                          std::int64_t expected_version) {
    const FieldStamp stamp = hlc_.next(before.field_stamps);
    for (const std::string& field : changed_fields) after.field_stamps[field] = stamp;
    after.version = before.version + 1;
    after.updated_utc_ms = ctx_.clock.now_utc_ms();
    auto written = store_.update(tx, after, expected_version);
    if (!written) return written.status();
    if (!*written) return stale(after.id, before.version, expected_version);
    if (before.tax_exempt != after.tax_exempt || before.tax_exempt_reference != after.tax_exempt_reference)
        if (auto s = audit_exemption(tx, by, before, after); !s.ok()) return s;
    return ctx_.replication.append(tx, {std::string(change_type::customer), after.id, customer_record(after), false});
}

sdk::Result<Customer> CustomerService::update(const Actor& by, const std::string& customer_id,
                                              const CustomerPatch& patch, ConflictInfo* conflict) {
    if (!is_uuid_text(customer_id)) return not_found(customer_id);
    Customer result;
    bool changed = false;
    auto done = ctx_.storage.transaction([&](sdk::SqlExecutor& tx) -> sdk::Status {
        auto found = store_.find(tx, customer_id, CustomerStore::Lock::for_update);
        if (!found) return found.status();
        if (!*found) return not_found(customer_id);
        const Customer& before = **found;
        if (before.version != patch.expected_version) {
            if (conflict) conflict->current_version = before.version;
            return stale(customer_id, before.version, patch.expected_version);
        }
        auto outcome = apply_patch(before, patch);
        if (!outcome) return outcome.status();
        result = outcome->after;
        if (outcome->changed_fields.empty()) return {};
        changed = true;
        if (auto s = check_email_free(tx, result, conflict); !s.ok()) return s;
        return write_change(tx, by, before, result, outcome->changed_fields, patch.expected_version);
    });
    if (!done.ok()) {
        if (done.error().code != error_code::conflict && patch.email && !result.email.empty()) {
            auto owner = store_.id_by_email(ctx_.storage, email_key(result.email));
            if (owner && *owner && **owner != customer_id) {
                if (conflict) conflict->existing_customer_id = **owner;
                return email_taken(**owner);
            }
        }
        return done.error();
    }
    if (changed) ctx_.events.publish("customer.changed", customer_to_value(result));
    return result;
}

sdk::Result<Customer> CustomerService::deactivate(const Actor& by, const std::string& customer_id,
                                                  std::int64_t expected_version, ConflictInfo* conflict) {
    if (!is_uuid_text(customer_id)) return not_found(customer_id);
    Customer result;
    auto done = ctx_.storage.transaction([&](sdk::SqlExecutor& tx) -> sdk::Status {
        auto found = store_.find(tx, customer_id, CustomerStore::Lock::for_update);
        if (!found) return found.status();
        if (!*found) return not_found(customer_id);
        const Customer& before = **found;
        if (before.version != expected_version) {
            if (conflict) conflict->current_version = before.version;
            return stale(customer_id, before.version, expected_version);
        }
        if (!before.active)
            return sdk::Error{std::string(error_code::invalid_state), "customer " + customer_id + " is already inactive"};
        result = before;
        result.active = false;
        return write_change(tx, by, before, result, {"active"}, expected_version);
    });
    if (!done.ok()) return done.error();
    ctx_.events.publish("customer.changed", customer_to_value(result));
    return result;
}

}  // namespace till::domain::customers
