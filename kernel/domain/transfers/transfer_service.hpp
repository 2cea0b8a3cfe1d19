// TransferService: stock transfers between stores (transfer orders). A
// transfer is drafted at HQ or at one of its two stores, sent at the store
// it leaves (stock goes down there), and received at the store it arrives
// at (stock goes up there, by the quantities actually received); a draft
// can be cancelled. docs/domain/transfers.md.
//
//   TransferService transfers(ctx, people, audit, inventory, &catalog);
//   transfers.start();                    // "domain.transfers" migrations
//   transfers.add_routes(router);
//   sync.register_applier("transfer", transfers.replica_applier(policy));
//
// Every change runs in one storage transaction with its audit entry
// (transfer.created / changed / sent / received / cancelled), its stock
// movements (send, receive: through the StockLedger) and its replication
// append (a ReplicatedChange of type "transfer" whose payload is the
// record of transfer_model.hpp; high priority for sent, received and
// cancelled). A failure of any of them leaves nothing. After the commit:
// ledger.announce(levels) and the event transfer.changed (payload: the
// transfer as the API shows it).
//
// Changes are optimistic: each carries the version the caller last saw; a
// stale one is "conflict" (409) naming the current version. Every field a
// change touches gets a new hybrid-logical-clock stamp, later than every
// stamp on the record, so sync can merge field by field.
//
// Permissions (transfer.manage, transfer.move) are checked by the routes;
// which node may act (the source sends, the destination receives, a store
// only touches transfers it takes part in) is checked here.
//
// Errors: "invalid_argument" (422, message starts with the JSON path),
// "conflict" (409, stale version), "invalid_state" (409: wrong status or
// wrong node), "forbidden" (403: a store drafting for two other stores),
// "not_found" (404); storage failures keep their code (500).
//
// Thread-safe after start().
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "domain/common/audit.hpp"
#include "domain/common/auth.hpp"
#include "domain/common/catalog_lookup.hpp"
#include "domain/common/context.hpp"
#include "domain/common/stock_ledger.hpp"
#include "domain/customers/hybrid_clock.hpp"
#include "domain/transfers/transfer_model.hpp"
#include "domain/transfers/transfer_replica.hpp"
#include "domain/transfers/transfer_store.hpp"

namespace till::api {
class Router;
}

namespace till::domain::transfers {

/// Who makes a change (for the audit log and the *_by fields).
struct Actor {
    std::string user_id;
    std::string terminal_id;
    std::string authorized_by;  ///< supervisor of an override, else ""
    std::string reason;         ///< the override's reason, else ""
    static Actor from(const Authorization& authorization);
};

class TransferService {
public:
    /// All references must outlive the service; `catalog` may be null (then
    /// any SKU is accepted).
    TransferService(DomainContext& ctx, Authorizer& authorizer, AuditLog& audit, StockLedger& ledger,
                    const CatalogLookup* catalog);
    ~TransferService();
    TransferService(const TransferService&) = delete;
    TransferService& operator=(const TransferService&) = delete;

    /// Applies the "domain.transfers" migrations.
    sdk::Status start();

    /// The applier of "transfer" changes (transfer_replica.hpp). The first
    /// call makes it, a later one switches it to `policy`; `policy` must
    /// outlive the service (or the next call).
    ReplicaApplier& replica_applier(ConflictPolicy& policy);
    /// Switches the applier (made by replica_applier) to `policy`.
    void use_policy(ConflictPolicy& policy);

    /// POST/GET /api/v1/transfers, GET/PATCH /api/v1/transfers/{transfer_id},
    /// POST /api/v1/transfers/{transfer_id}/send|receive|cancel (owner "kernel").
    sdk::Status add_routes(api::Router& router);

    sdk::Result<Transfer> create(const Actor& by, const NewTransfer& input);
    /// Draft only. A patch that changes nothing answers the transfer as it is.
    sdk::Result<Transfer> update(const Actor& by, const std::string& id, const TransferPatch& patch);
    /// At the from_store node only; draft only; moves the stock out.
    sdk::Result<Transfer> send(const Actor& by, const std::string& id, std::int64_t expected_version);
    /// At the to_store node only; sent only; moves the received stock in.
    /// `lines` nullopt = everything received as sent.
    sdk::Result<Transfer> receive(const Actor& by, const std::string& id, std::int64_t expected_version,
                                  const std::optional<std::vector<ReceivedLine>>& lines);
    /// Draft only.
    sdk::Result<Transfer> cancel(const Actor& by, const std::string& id, std::int64_t expected_version);
    /// nullopt when there is no such transfer (or the id is not a UUID).
    sdk::Result<std::optional<Transfer>> get(const std::string& id);
    sdk::Result<ListPage> list(const ListQuery& query);

    /// This node's id and whether it is HQ (for the routes' defaults).
    const std::string& node_id() const;
    bool is_hq() const;

    /// Checks new lines against the limits and the catalog; errors name
    /// `path` ("$.lines[3].sku: ...").
    sdk::Status check_lines(const std::vector<TransferLine>& lines, const std::string& path) const;

private:
    /// "forbidden" unless this node is HQ or takes part in from → to.
    sdk::Status check_involved(const std::string& from_store, const std::string& to_store) const;
    /// Loads `id` for update and checks its version: the transfer, or the error.
    sdk::Result<Transfer> load_for_change(sdk::SqlExecutor& tx, const std::string& id,
                                          std::int64_t expected_version) const;
    /// Stamps `changed` fields, writes `after` (version + 1), appends the
    /// audit entry and the replication change.
    sdk::Status write_change(sdk::SqlExecutor& tx, const Actor& by, const Transfer& before, Transfer& after,
                             const std::vector<std::string>& changed, const std::string& audit_action,
                             const sdk::Value& details);
    sdk::Status record(sdk::SqlExecutor& tx, const Actor& by, const Transfer& transfer, const std::string& audit_action,
                       const sdk::Value& details);
    void after_commit(const Transfer& transfer, const std::vector<StockLevel>& levels);

    DomainContext& ctx_;
    Authorizer& authorizer_;
    AuditLog& audit_;
    StockLedger& ledger_;
    const CatalogLookup* catalog_;
    TransferStore store_;
    customers::HybridClock hlc_;
    std::unique_ptr<TransferApplier> applier_;
};

}  // namespace till::domain::transfers
