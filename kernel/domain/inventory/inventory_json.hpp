// The inventory resources as the API (and event payloads) show them.
#pragma once

#include "domain/common/stock_ledger.hpp"
#include "domain/inventory/stock_store.hpp"
#include "till/sdk/value.hpp"

namespace till::domain {

/// {movement_id, sku, qty_delta_milli, kind, reason_code, reference, user_id, note, recorded_utc_ms}
sdk::Value movement_json(const MovementRecord& movement);
/// A movement as sent to HQ (`stock_movement`, docs/sync.md): movement_json()
/// plus "on_hand_milli" (the SKU's on-hand after it) and "created_utc_ms"
/// (= recorded_utc_ms, the wire format's name).
sdk::Value replicated_movement_json(const MovementRecord& movement, const StockLevel& level_after);
/// {sku, on_hand_milli, low_stock_threshold_milli, low_stock}
sdk::Value level_json(const StockLevel& level);
/// The inventory.low_stock payload: {sku, on_hand_milli, threshold_milli}
sdk::Value low_stock_event_json(const StockLevel& level);
/// True when the SKU has a threshold and is at or below it.
bool is_low(const StockLevel& level) noexcept;

}  // namespace till::domain
