// The seam between the domain modules and the sync engine (kernel/sync).
//
// Up (store → HQ): every module appends a ReplicatedChange for each upstream
// change (a sale settled, a refund, a void, a register session opened or
// closed, a Z report, a cash movement, a stock movement, a customer edit)
// **inside the transaction that makes the change**, so the change and its
// outbox row commit or vanish together.
//
// Down (HQ → store): master-data modules (catalog, people, customers) append
// their changes on HQ the same way (they become revisions of the change
// feed), and register a ReplicaApplier that writes a change pulled from HQ
// into their own tables on the store, without appending it again.
//
// Which change goes where is the sync engine's business (role, direction
// table in docs/sync.md); a module only says what changed.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "till/sdk/status.hpp"
#include "till/sdk/storage.hpp"
#include "till/sdk/value.hpp"

namespace till::domain {

/// Change types on the wire (docs/sync.md). Upstream:
namespace change_type {
inline constexpr std::string_view sale = "sale";                        ///< an order settled (paid): order with lines and payments
inline constexpr std::string_view refund = "refund";                    ///< a return/exchange settled
inline constexpr std::string_view order_void = "void";                  ///< an order voided
inline constexpr std::string_view register_session = "register_session";  ///< opened or closed (payload: the session)
inline constexpr std::string_view cash_movement = "cash_movement";      ///< cash in/out, no-sale
inline constexpr std::string_view z_report = "z_report";                ///< the stored Z report
inline constexpr std::string_view stock_movement = "stock_movement";    ///< one inventory ledger entry
// Both ways (merged by the conflict policies):
inline constexpr std::string_view customer = "customer";  ///< record shape of script/conflict_resolver.hpp
inline constexpr std::string_view transfer = "transfer";  ///< a stock transfer between stores (same record shape)
// Down (HQ is the master):
inline constexpr std::string_view department = "department";
inline constexpr std::string_view tax_class = "tax_class";
inline constexpr std::string_view modifier_group = "modifier_group";
inline constexpr std::string_view product = "product";  ///< with variants, prices, barcodes
inline constexpr std::string_view user = "user";        ///< with role and PIN hash (never the PIN)
inline constexpr std::string_view role = "role";        ///< a role's granted actions
}  // namespace change_type

struct ReplicatedChange {
    std::string type;       ///< one of change_type
    std::string entity_id;  ///< the record's id (order id, sku, user id, ...)
    /// The record as the API shows it (plus what another node needs to
    /// rebuild it, e.g. a user's PIN hash). {"deleted": true, "id": ...}
    /// for a deletion of master data.
    sdk::Value payload;
    bool high_priority = false;  ///< push at once instead of at the next interval
};

class ReplicationLog {
public:
    virtual ~ReplicationLog();
    /// Records `change` in the caller's transaction `tx`. Fails only on a
    /// storage fault (then the caller's transaction must fail too).
    virtual sdk::Status append(sdk::SqlExecutor& tx, const ReplicatedChange& change) = 0;
    /// Whether this node may edit master data of `type` itself. A store
    /// synced with HQ may not (unless `sync.allow_local_master_data`):
    /// error "forbidden" with a message for the person asking.
    virtual sdk::Status may_edit_master_data(std::string_view type) const = 0;
    /// Called after the caller's transaction committed, for high-priority
    /// changes: wakes the pusher. Default: nothing.
    virtual void committed_high_priority();
};

/// Writes master data pulled from HQ into a module's tables (store side).
/// Registered with the sync engine by the module that owns the type.
class ReplicaApplier {
public:
    virtual ~ReplicaApplier();
    /// Applies `change` in `tx` (the engine's transaction for the whole
    /// batch) and returns the record as it is now stored (for a merged
    /// customer: the merge). Must not append to the ReplicationLog: on HQ the
    /// sync hub puts the returned record into the change feed itself. A
    /// change that cannot be applied (unknown reference, invalid record) is
    /// an error "invalid_argument" naming what is wrong; the engine then
    /// keeps the batch unapplied and reports it.
    ///
    /// Used on a store for master data pulled from HQ, and on HQ for the
    /// kinds both sides write (customers) arriving from a store.
    virtual sdk::Result<sdk::Value> apply(sdk::SqlExecutor& tx, const ReplicatedChange& change) = 0;
    /// After the batch's transaction committed: refresh caches, publish
    /// events (e.g. catalog.product_changed). `changes` are the ones this
    /// applier applied, in order.
    virtual void after_commit(const std::vector<ReplicatedChange>& changes) = 0;
};

/// The merge of a record both sides changed (the deployment's Lua conflict
/// policies, docs/rules.md). Implemented by the node over the rules engine;
/// with no rules configured, the built-in defaults (per-field
/// last-writer-wins by HLC stamp).
class ConflictPolicy {
public:
    virtual ~ConflictPolicy();
    virtual sdk::Result<sdk::Value> resolve(std::string_view kind, const sdk::Value& local, const sdk::Value& remote,
                                            const sdk::Value& base) = 0;
};

/// For tests and tools that build the domain without sync: append does
/// nothing, master data is editable.
class NoReplication final : public ReplicationLog {
public:
    sdk::Status append(sdk::SqlExecutor&, const ReplicatedChange&) override { return {}; }
    sdk::Status may_edit_master_data(std::string_view) const override { return {}; }
};

}  // namespace till::domain
