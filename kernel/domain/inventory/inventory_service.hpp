// InventoryService: the stock ledger of a node.
//
// Every sale, refund, void and adjustment appends a stock movement; on-hand
// is the sum of a SKU's movements. For O(1) reads each SKU also has a level
// row whose on_hand_milli moves in the same transaction as each movement;
// check_ledger()/rebuild_on_hand() compare it with the sum (and repair it).
//
// It is the StockLedger the orders module writes through (record() within
// the order's transaction, announce() after the commit), and it serves:
//   GET  /api/v1/inventory/{sku}                 on-hand and threshold
//   GET  /api/v1/inventory/{sku}/movements       newest first, ?limit=&before=
//   POST /api/v1/inventory/adjustments           inventory.adjust, audited
//   PUT  /api/v1/inventory/{sku}/threshold       inventory.adjust
//   GET  /api/v1/inventory/low-stock             SKUs at or below their threshold
//
// Every movement is also appended to ctx.replication in its transaction as a
// `stock_movement` change for HQ (docs/sync.md): the movement with the SKU's
// on-hand after it.
//
// Events (after the commit): inventory.adjusted, inventory.threshold_changed,
// inventory.low_stock {sku, on_hand_milli, threshold_milli} once per crossing
// (a movement that takes on-hand from above the threshold to at or below it).
//
// Threading: every method may be called from several threads at once.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "api/router.hpp"
#include "domain/common/audit.hpp"
#include "domain/common/auth.hpp"
#include "domain/common/catalog_lookup.hpp"
#include "domain/common/context.hpp"
#include "domain/common/stock_ledger.hpp"
#include "domain/inventory/stock_store.hpp"

namespace till::domain {

/// A stock adjustment asked for by a user (counted stock, goods received,
/// damage, theft, transfer).
struct StockAdjustment {
    std::string sku;
    std::int64_t qty_delta_milli = 0;  ///< not 0
    std::string reason_code;           ///< one of sales.stock_adjustment_reasons
    std::string note;
};

/// What an adjustment did: its movement and the SKU's level after it.
struct AdjustmentOutcome {
    MovementRecord movement;
    StockLevel level;
};

/// One page of a SKU's movements; `next_before` is the cursor of the next
/// page ("" when this is the last).
struct MovementPage {
    std::vector<MovementRecord> items;
    std::string next_before;
};

class InventoryService final : public StockLedger {
public:
    /// `catalog` may be null: then any SKU is accepted for adjustments and
    /// thresholds. All references must outlive the service.
    InventoryService(DomainContext& ctx, Authorizer& authorizer, AuditLog& audit,
                     const CatalogLookup* catalog = nullptr);

    /// Applies the "domain.inventory" migrations.
    sdk::Status start();
    /// Adds the five inventory routes (owner "kernel").
    sdk::Status add_routes(api::Router& router);

    // StockLedger
    /// Appends `movement` within `tx`. Errors: "invalid_argument" for an
    /// empty SKU or kind, or a delta that would take on-hand outside the
    /// int64 range ("$.qty_delta_milli"); a storage error otherwise. A zero delta writes
    /// nothing and returns the current level.
    sdk::Result<StockLevel> record(sdk::SqlExecutor& tx, const StockMovement& movement) override;
    void announce(const std::vector<StockLevel>& levels) override;

    /// The SKU's level; "not_found" when the SKU has no stock record and is
    /// not in the catalog (a catalog SKU without movements has 0 on hand).
    sdk::Result<StockLevel> level(const std::string& sku);
    sdk::Result<MovementPage> movements(const std::string& sku, const std::string& before_id, std::int64_t limit);
    /// Records an adjustment by `by` (with its audit entry) in one
    /// transaction, then publishes inventory.adjusted (and low_stock).
    /// Errors "invalid_argument" name the JSON path ($.sku, $.qty_delta_milli,
    /// $.reason_code).
    sdk::Result<AdjustmentOutcome> adjust(const StockAdjustment& adjustment, const Authorization& by);
    /// -1 removes the threshold.
    sdk::Result<StockLevel> set_threshold(const std::string& sku, std::int64_t threshold_milli,
                                          const Authorization& by);
    sdk::Result<std::vector<StockLevel>> low_stock(const std::string& after_sku, std::int64_t limit);

    /// SKUs whose kept on-hand differs from the sum of their movements.
    sdk::Result<std::vector<LedgerDrift>> check_ledger();
    /// Repairs every drifted SKU (on-hand := sum) in one transaction and
    /// returns what was repaired.
    sdk::Result<std::vector<LedgerDrift>> rebuild_on_hand();

private:
    sdk::HttpResponse get_level(const sdk::HttpRequest& request);
    sdk::HttpResponse get_movements(const sdk::HttpRequest& request);
    sdk::HttpResponse post_adjustment(const sdk::HttpRequest& request);
    sdk::HttpResponse put_threshold(const sdk::HttpRequest& request);
    sdk::HttpResponse get_low_stock(const sdk::HttpRequest& request);
    sdk::Status check_known_sku(const std::string& sku, const std::string& json_path) const;
    /// Appends `movement` (now stored, leaving the SKU at `level`) to the
    /// replication log in `tx`.
    sdk::Status replicate(sdk::SqlExecutor& tx, const MovementRecord& movement, const StockLevel& level);

    DomainContext& ctx_;
    Authorizer& authorizer_;
    AuditLog& audit_;
    const CatalogLookup* catalog_;
};

}  // namespace till::domain
