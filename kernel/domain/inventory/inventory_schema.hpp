// The inventory module's tables (storage module "domain.inventory"):
//
//   stock_movements  append-only; one row per sale line, refund line, void or
//                    adjustment. The truth: on-hand is the sum of qty_delta_milli.
//   stock_levels     one row per SKU: on_hand_milli (kept equal to that sum in
//                    the same transaction as each movement, so reads are O(1))
//                    and low_stock_threshold_milli (-1 = none).
#pragma once

#include <vector>

#include "till/sdk/storage.hpp"

namespace till::domain {

inline constexpr const char* kInventoryModule = "domain.inventory";

/// Migrations for SQLite and PostgreSQL, versions 1, 2, ...
const std::vector<sdk::Migration>& inventory_migrations();

}  // namespace till::domain
