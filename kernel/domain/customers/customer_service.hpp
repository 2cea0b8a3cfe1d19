// CustomerService: the customer directory a cashier searches and adds to at
// the till (names, email, phone, note, tax exemption, marketing consent),
// and the CustomerLookup seam the order engine uses.
//
//   CustomerService customers(ctx, people, audit);   // Authorizer, AuditLog
//   customers.start();                               // "domain.customers" migrations
//   customers.add_routes(router);
//   // orders: CustomerLookup& lookup = customers;
//
// Every change runs in one storage transaction (with its audit entry when
// the tax exemption changes: action `customer.tax_exempt_changed`) and is
// published after the commit as `customer.created` or `customer.changed`
// (payload: the customer as the API shows it).
//
// Changes are optimistic: update() and deactivate() carry the version the
// caller last saw; a stale one is "conflict" (409) naming the current
// version. Every field a change touches gets a new hybrid-logical-clock
// stamp (field_stamps), so a later sync can merge a store's and HQ's edits
// field by field (docs/domain/customers.md).
//
// Sync: every create, change and deactivation appends a ReplicatedChange
// of type "customer" (payload: the record of customer_record.hpp, with its
// field stamps) in its transaction; a failed append fails the change.
// Customers are written on both sides, so the routes are never refused
// for sync (unlike the catalog and users).
//
// Permissions are checked by the routes (see add_routes); the methods
// trust their caller.
//
// Errors: "invalid_argument" (422, message starts with the JSON path),
// "conflict" (409: duplicate email naming the existing customer, stale
// version), "invalid_state" (409), "not_found" (404); storage failures
// keep their code (500).
//
// Thread-safe after start(): route handlers call it from many threads.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "domain/common/audit.hpp"
#include "domain/common/auth.hpp"
#include "domain/common/context.hpp"
#include "domain/common/customer_lookup.hpp"
#include "domain/customers/customer_model.hpp"
#include "domain/customers/customer_replica.hpp"
#include "domain/customers/customer_store.hpp"
#include "domain/customers/hybrid_clock.hpp"

namespace till::api {
class Router;
}

namespace till::domain::customers {

/// Who makes a change (for the audit log).
struct Actor {
    std::string user_id;
    std::string terminal_id;
    std::string authorized_by;  ///< supervisor of an override, else ""
    std::string reason;         ///< the override's reason, else ""
    static Actor from(const Authorization& authorization);
};

/// Filled by create/update/deactivate when they answer "conflict".
struct ConflictInfo {
    std::int64_t current_version = 0;  ///< stale expected_version: the current one
    std::string existing_customer_id;  ///< duplicate email: who has it
};

class CustomerService final : public CustomerLookup {
public:
    /// `ctx`, `authorizer` and `audit` must outlive the service.
    CustomerService(DomainContext& ctx, Authorizer& authorizer, AuditLog& audit);
    ~CustomerService() override;
    CustomerService(const CustomerService&) = delete;
    CustomerService& operator=(const CustomerService&) = delete;

    /// Applies the "domain.customers" migrations.
    sdk::Status start();

    /// Writes `customer` changes arriving by sync (register it with the
    /// sync engine on a store and with the sync hub on HQ for type
    /// "customer"): each is merged with the local record by `policy`
    /// (customer_replica.hpp). The first call makes the applier, a later one
    /// switches it to `policy`; `policy` must outlive the service (or the
    /// next call). The applier lives as long as the service.
    ReplicaApplier& replica_applier(ConflictPolicy& policy);

    /// POST /api/v1/customers, GET /api/v1/customers, GET|PATCH
    /// /api/v1/customers/{customer_id}, POST
    /// /api/v1/customers/{customer_id}/deactivate (owner "kernel"). Reads
    /// need a login; create and change need "order.create"; a change of the
    /// tax exemption also needs "price.override" (a supervisor, or a
    /// cashier with a supervisor's override); deactivating, or changing
    /// `active` in a PATCH, needs "users.manage".
    sdk::Status add_routes(api::Router& router);

    // CustomerLookup
    sdk::Result<std::optional<CustomerView>> find_customer(sdk::SqlExecutor& tx,
                                                           const std::string& customer_id) override;

    sdk::Result<Customer> create(const Actor& by, const NewCustomer& input, ConflictInfo* conflict = nullptr);
    /// Applies the present fields of `patch` when `patch.expected_version` is
    /// the current version. A patch that changes nothing answers the
    /// customer as it is (no new version, no event).
    sdk::Result<Customer> update(const Actor& by, const std::string& customer_id, const CustomerPatch& patch,
                                 ConflictInfo* conflict = nullptr);
    /// Sets active = false. "invalid_state" when already inactive.
    sdk::Result<Customer> deactivate(const Actor& by, const std::string& customer_id,
                                     std::int64_t expected_version, ConflictInfo* conflict = nullptr);
    /// nullopt when there is no such customer (or the id is not a UUID).
    sdk::Result<std::optional<Customer>> get(const std::string& customer_id);
    /// Customers whose every query word starts one of their name words or
    /// their email, or whose phone digits contain the query's digits when
    /// the query is a phone number (case-insensitive); ordered by display
    /// name. Errors: "bad_request" for a foreign cursor.
    sdk::Result<SearchPage> search(const SearchQuery& query);

private:
    /// Writes `outcome` (stamps, version, time), audits an exemption change;
    /// the caller publishes after the commit.
    sdk::Status write_change(sdk::SqlExecutor& tx, const Actor& by, const Customer& before, Customer& after,
                             const std::vector<std::string>& changed_fields, std::int64_t expected_version);
    sdk::Status audit_exemption(sdk::SqlExecutor& tx, const Actor& by, const Customer& before,
                                const Customer& after);
    /// "conflict" naming the customer that already has `email`, if any.
    sdk::Status check_email_free(sdk::SqlExecutor& tx, const Customer& customer, ConflictInfo* conflict);

    DomainContext& ctx_;
    Authorizer& authorizer_;
    AuditLog& audit_;
    CustomerStore store_;
    HybridClock hlc_;
    std::unique_ptr<CustomerApplier> applier_;
};

}  // namespace till::domain::customers
