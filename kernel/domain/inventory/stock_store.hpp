// SQL of the inventory ledger, run on a caller's executor (usually inside
// one storage transaction). No caching, no events: InventoryService adds those.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/common/stock_ledger.hpp"
#include "till/sdk/status.hpp"
#include "till/sdk/storage.hpp"

namespace till::domain {

/// A stored stock movement, as the API shows it.
struct MovementRecord {
    std::string movement_id;  ///< UUIDv7
    std::string sku;
    std::int64_t qty_delta_milli = 0;
    std::string kind;         ///< "sale" | "refund" | "adjustment" | "void"
    std::string reason_code;
    std::string reference;    ///< "order:<id>" / "adjustment:<id>"
    std::string user_id;
    std::string note;
    std::int64_t recorded_utc_ms = 0;
};

/// A SKU whose kept on-hand differs from the sum of its movements.
struct LedgerDrift {
    std::string sku;
    std::int64_t on_hand_milli = 0;     ///< what stock_levels says
    std::int64_t ledger_sum_milli = 0;  ///< the sum of its movements (the truth)
};

namespace stock_store {

/// Appends `movement` and moves the SKU's on-hand by its delta (creating the
/// SKU's level row on its first movement). The level returned says whether
/// this movement crossed the low-stock threshold (from above it to at or
/// below it). Concurrent callers on one SKU serialise on the level row.
sdk::Result<StockLevel> append(sdk::SqlExecutor& tx, const MovementRecord& movement);

/// The SKU's level; nullopt when it has neither a movement nor a threshold.
sdk::Result<std::optional<StockLevel>> level(sdk::SqlExecutor& tx, const std::string& sku);

/// The SKU's movements, newest first, with ids below `before_id` ("" = from
/// the newest), at most `limit`.
sdk::Result<std::vector<MovementRecord>> movements(sdk::SqlExecutor& tx, const std::string& sku,
                                                   const std::string& before_id, std::int64_t limit);

/// Sets the SKU's threshold (-1 = none), creating its level row if needed.
sdk::Result<StockLevel> set_threshold(sdk::SqlExecutor& tx, const std::string& sku, std::int64_t threshold_milli,
                                      std::int64_t now_utc_ms);

/// SKUs at or below their threshold, by SKU, after `after_sku`, at most `limit`.
sdk::Result<std::vector<StockLevel>> low_stock(sdk::SqlExecutor& tx, const std::string& after_sku,
                                               std::int64_t limit);

/// Every SKU whose kept on-hand differs from the sum of its movements
/// (including SKUs with movements but no level row).
sdk::Result<std::vector<LedgerDrift>> drift(sdk::SqlExecutor& tx);

/// Sets each drifted SKU's on-hand to its ledger sum.
sdk::Status repair(sdk::SqlExecutor& tx, const std::vector<LedgerDrift>& drifts, std::int64_t now_utc_ms);

}  // namespace stock_store
}  // namespace till::domain
