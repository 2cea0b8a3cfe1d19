#include "domain/inventory/inventory_schema.hpp"

namespace till::domain {

const std::vector<sdk::Migration>& inventory_migrations() {
    // Same text on both backends: TEXT ids, BIGINT quantities and times.
    static const std::vector<sdk::Migration> migrations = {
        {1, "stock movements and per-SKU levels",
         "CREATE TABLE stock_movements ("
         "  movement_id TEXT PRIMARY KEY,"
         "  sku TEXT NOT NULL,"
         "  qty_delta_milli BIGINT NOT NULL,"
         "  kind TEXT NOT NULL,"
         "  reason_code TEXT NOT NULL DEFAULT '',"
         "  reference TEXT NOT NULL DEFAULT '',"
         "  user_id TEXT NOT NULL DEFAULT '',"
         "  note TEXT NOT NULL DEFAULT '',"
         "  recorded_utc_ms BIGINT NOT NULL);"
         "CREATE INDEX stock_movements_by_sku ON stock_movements (sku, movement_id);"
         "CREATE TABLE stock_levels ("
         "  sku TEXT PRIMARY KEY,"
         "  on_hand_milli BIGINT NOT NULL DEFAULT 0,"
         "  low_stock_threshold_milli BIGINT NOT NULL DEFAULT -1,"
         "  updated_utc_ms BIGINT NOT NULL);"
         "CREATE INDEX stock_levels_low ON stock_levels (low_stock_threshold_milli, sku)",
         ""},
    };
    return migrations;
}

}  // namespace till::domain
