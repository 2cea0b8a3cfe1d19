// The inventory ledger as the sales modules see it: every sale, refund and
// adjustment appends a stock movement within the caller's transaction;
// on-hand is the sum of movements.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "till/sdk/status.hpp"
#include "till/sdk/storage.hpp"

namespace till::domain {

struct StockMovement {
    std::string sku;
    std::int64_t qty_delta_milli = 0;  ///< negative for a sale, positive for a restocked return
    std::string kind;                  ///< "sale" | "refund" | "adjustment" | "void"
    std::string reason_code;           ///< adjustments and returns: the configured reason code
    std::string reference;             ///< "order:<id>" / "adjustment:<id>"
    std::string user_id;
};

/// Where a movement left the SKU: the caller publishes inventory.low_stock
/// after its transaction commits when `crossed_low_stock` is true.
struct StockLevel {
    std::string sku;
    std::int64_t on_hand_milli = 0;
    std::int64_t low_stock_threshold_milli = -1;  ///< -1 = no threshold set
    bool crossed_low_stock = false;               ///< this movement took it to or below the threshold
};

class StockLedger {
public:
    virtual ~StockLedger();
    virtual sdk::Result<StockLevel> record(sdk::SqlExecutor& tx, const StockMovement& movement) = 0;
    /// Publishes "inventory.low_stock" for each level that crossed its
    /// threshold. Call after the transaction committed.
    virtual void announce(const std::vector<StockLevel>& levels) = 0;
};

}  // namespace till::domain
