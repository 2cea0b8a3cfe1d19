#include "domain/inventory/inventory_json.hpp"

namespace till::domain {

sdk::Value movement_json(const MovementRecord& m) {
    sdk::Value v = sdk::Value::map();
    v.set("movement_id", m.movement_id);
    v.set("sku", m.sku);
    v.set("qty_delta_milli", m.qty_delta_milli);
    v.set("kind", m.kind);
    v.set("reason_code", m.reason_code);
    v.set("reference", m.reference);
    v.set("user_id", m.user_id);
    v.set("note", m.note);
    v.set("recorded_utc_ms", m.recorded_utc_ms);
    return v;
}

bool is_low(const StockLevel& level) noexcept {
    return level.low_stock_threshold_milli >= 0 && level.on_hand_milli <= level.low_stock_threshold_milli;
}

sdk::Value replicated_movement_json(const MovementRecord& movement, const StockLevel& level_after) {
    sdk::Value v = movement_json(movement);
    v.set("on_hand_milli", level_after.on_hand_milli);
    v.set("created_utc_ms", movement.recorded_utc_ms);
    return v;
}

sdk::Value level_json(const StockLevel& level) {
    sdk::Value v = sdk::Value::map();
    v.set("sku", level.sku);
    v.set("on_hand_milli", level.on_hand_milli);
    v.set("low_stock_threshold_milli", level.low_stock_threshold_milli);
    v.set("low_stock", is_low(level));
    return v;
}

sdk::Value low_stock_event_json(const StockLevel& level) {
    sdk::Value v = sdk::Value::map();
    v.set("sku", level.sku);
    v.set("on_hand_milli", level.on_hand_milli);
    v.set("threshold_milli", level.low_stock_threshold_milli);
    return v;
}

}  // namespace till::domain
