#include "domain/inventory/inventory_service.hpp"

#include <algorithm>

#include "domain/common/body_reader.hpp"
#include "domain/common/http_errors.hpp"
#include "domain/inventory/inventory_json.hpp"
#include "domain/inventory/inventory_schema.hpp"
#include "storage/migrations.hpp"

namespace till::domain {
namespace {

constexpr std::size_t kMaxSkuLength = 100;
constexpr std::size_t kMaxNoteLength = 500;
constexpr std::int64_t kMaxAdjustmentMilli = 1'000'000'000'000;  // a billion units

std::string join(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& i : items) out += (out.empty() ? "" : ", ") + i;
    return out;
}

}  // namespace

InventoryService::InventoryService(DomainContext& ctx, Authorizer& authorizer, AuditLog& audit,
                                   const CatalogLookup* catalog)
    : ctx_(ctx), authorizer_(authorizer), audit_(audit), catalog_(catalog) {}

sdk::Status InventoryService::start() {
    return storage::apply_migrations(ctx_.storage, kInventoryModule, inventory_migrations());
}

sdk::Result<StockLevel> InventoryService::record(sdk::SqlExecutor& tx, const StockMovement& movement) {
    if (movement.sku.empty()) return invalid_field("$.sku", "a stock movement needs a SKU");
    if (movement.kind.empty()) return invalid_field("$.kind", "a stock movement needs a kind");
    if (movement.qty_delta_milli == 0) {
        auto current = stock_store::level(tx, movement.sku);
        if (!current) return current.error();
        if (*current) return **current;
        return StockLevel{movement.sku, 0, -1, false};
    }
    MovementRecord m;
    m.movement_id = ctx_.ids.next();
    m.sku = movement.sku;
    m.qty_delta_milli = movement.qty_delta_milli;
    m.kind = movement.kind;
    m.reason_code = movement.reason_code;
    m.reference = movement.reference;
    m.user_id = movement.user_id;
    m.recorded_utc_ms = ctx_.clock.now_utc_ms();
    auto level = stock_store::append(tx, m);
    if (!level) return level;
    if (auto s = replicate(tx, m, *level); !s.ok()) return s.error();
    return level;
}

sdk::Status InventoryService::replicate(sdk::SqlExecutor& tx, const MovementRecord& movement,
                                        const StockLevel& level) {
    ReplicatedChange change;
    change.type = std::string(change_type::stock_movement);
    change.entity_id = movement.movement_id;
    change.payload = replicated_movement_json(movement, level);
    return ctx_.replication.append(tx, change);
}

void InventoryService::announce(const std::vector<StockLevel>& levels) {
    for (const auto& level : levels)
        if (level.crossed_low_stock) ctx_.events.publish("inventory.low_stock", low_stock_event_json(level));
}

sdk::Status InventoryService::check_known_sku(const std::string& sku, const std::string& json_path) const {
    if (!catalog_) return {};
    auto item = catalog_->find_item(sku);
    if (!item || item->sku != sku) return invalid_field(json_path, "unknown SKU \"" + sku + "\"");
    return {};
}

sdk::Result<StockLevel> InventoryService::level(const std::string& sku) {
    auto found = stock_store::level(ctx_.storage, sku);
    if (!found) return found.error();
    if (*found) return **found;
    if (catalog_) {
        auto item = catalog_->find_item(sku);
        if (item && item->sku == sku) return StockLevel{sku, 0, -1, false};
    }
    return sdk::Error{std::string(error_code::not_found), "no stock record for SKU \"" + sku + "\""};
}

sdk::Result<MovementPage> InventoryService::movements(const std::string& sku, const std::string& before_id,
                                                      std::int64_t limit) {
    // One more than asked tells whether another page follows.
    auto rows = stock_store::movements(ctx_.storage, sku, before_id, limit + 1);
    if (!rows) return rows.error();
    MovementPage page;
    page.items = std::move(*rows);
    if (static_cast<std::int64_t>(page.items.size()) > limit) {
        page.items.resize(static_cast<std::size_t>(limit));
        page.next_before = page.items.back().movement_id;
    }
    return page;
}

sdk::Result<AdjustmentOutcome> InventoryService::adjust(const StockAdjustment& a, const Authorization& by) {
    if (a.sku.empty()) return invalid_field("$.sku", "must not be empty");
    if (a.sku.size() > kMaxSkuLength)
        return invalid_field("$.sku", "is longer than " + std::to_string(kMaxSkuLength) + " characters");
    if (a.qty_delta_milli == 0) return invalid_field("$.qty_delta_milli", "must not be 0");
    if (a.qty_delta_milli > kMaxAdjustmentMilli || a.qty_delta_milli < -kMaxAdjustmentMilli)
        return invalid_field("$.qty_delta_milli",
                             "must be between -" + std::to_string(kMaxAdjustmentMilli) + " and " +
                                 std::to_string(kMaxAdjustmentMilli));
    const auto& reasons = ctx_.sales.stock_adjustment_reasons;
    if (std::find(reasons.begin(), reasons.end(), a.reason_code) == reasons.end())
        return invalid_field("$.reason_code", "unknown reason code \"" + a.reason_code + "\"; expected one of: " +
                                                  join(reasons));
    if (a.note.size() > kMaxNoteLength)
        return invalid_field("$.note", "is longer than " + std::to_string(kMaxNoteLength) + " characters");
    if (auto s = check_known_sku(a.sku, "$.sku"); !s.ok()) return s.error();

    AdjustmentOutcome out;
    out.movement.movement_id = ctx_.ids.next();
    out.movement.sku = a.sku;
    out.movement.qty_delta_milli = a.qty_delta_milli;
    out.movement.kind = "adjustment";
    out.movement.reason_code = a.reason_code;
    out.movement.reference = "adjustment:" + out.movement.movement_id;
    out.movement.user_id = by.principal.user_id;
    out.movement.note = a.note;
    out.movement.recorded_utc_ms = ctx_.clock.now_utc_ms();

    auto committed = ctx_.storage.transaction([&](sdk::SqlExecutor& tx) -> sdk::Status {
        auto level = stock_store::append(tx, out.movement);
        if (!level) return level.status();
        out.level = *level;
        if (auto s = replicate(tx, out.movement, out.level); !s.ok()) return s;
        AuditEntry entry;
        entry.actor_user_id = by.principal.user_id;
        entry.action = "inventory.adjust";
        entry.subject = "sku:" + a.sku;
        entry.reason = a.note.empty() ? a.reason_code : a.reason_code + ": " + a.note;
        entry.authorized_by = by.override_user_id;
        entry.terminal_id = by.principal.terminal_id;
        entry.details = sdk::Value::map();
        entry.details.set("movement_id", out.movement.movement_id);
        entry.details.set("qty_delta_milli", a.qty_delta_milli);
        entry.details.set("reason_code", a.reason_code);
        entry.details.set("on_hand_milli", out.level.on_hand_milli);
        return audit_.append(tx, entry);
    });
    if (!committed.ok()) return committed.error();

    sdk::Value payload = sdk::Value::map();
    payload.set("movement", movement_json(out.movement));
    payload.set("level", level_json(out.level));
    ctx_.events.publish("inventory.adjusted", payload);
    announce({out.level});
    return out;
}

sdk::Result<StockLevel> InventoryService::set_threshold(const std::string& sku, std::int64_t threshold_milli,
                                                        const Authorization& by) {
    if (sku.empty() || sku.size() > kMaxSkuLength)
        return sdk::Error{std::string(error_code::invalid_argument),
                          "path parameter sku: must be 1 to " + std::to_string(kMaxSkuLength) + " characters"};
    if (threshold_milli < -1) return invalid_field("$.low_stock_threshold_milli", "must be -1 (none) or more");
    // The SKU is in the path here: an unknown one is "not found", not a bad field.
    if (auto s = check_known_sku(sku, "$.sku"); !s.ok())
        return sdk::Error{std::string(error_code::not_found), "unknown SKU \"" + sku + "\""};
    StockLevel level;
    auto committed = ctx_.storage.transaction([&](sdk::SqlExecutor& tx) -> sdk::Status {
        auto set = stock_store::set_threshold(tx, sku, threshold_milli, ctx_.clock.now_utc_ms());
        if (!set) return set.status();
        level = *set;
        return {};
    });
    if (!committed.ok()) return committed.error();
    sdk::Value payload = level_json(level);
    payload.set("changed_by", by.principal.user_id);
    ctx_.events.publish("inventory.threshold_changed", payload);
    return level;
}

sdk::Result<std::vector<StockLevel>> InventoryService::low_stock(const std::string& after_sku, std::int64_t limit) {
    return stock_store::low_stock(ctx_.storage, after_sku, limit);
}

sdk::Result<std::vector<LedgerDrift>> InventoryService::check_ledger() {
    std::vector<LedgerDrift> drifts;
    // In a transaction so the sums and the levels are read at one moment.
    auto s = ctx_.storage.transaction([&](sdk::SqlExecutor& tx) -> sdk::Status {
        auto found = stock_store::drift(tx);
        if (!found) return found.status();
        drifts = std::move(*found);
        return {};
    });
    if (!s.ok()) return s.error();
    return drifts;
}

sdk::Result<std::vector<LedgerDrift>> InventoryService::rebuild_on_hand() {
    std::vector<LedgerDrift> drifts;
    auto s = ctx_.storage.transaction([&](sdk::SqlExecutor& tx) -> sdk::Status {
        auto found = stock_store::drift(tx);
        if (!found) return found.status();
        drifts = std::move(*found);
        return stock_store::repair(tx, drifts, ctx_.clock.now_utc_ms());
    });
    if (!s.ok()) return s.error();
    for (const auto& d : drifts)
        ctx_.logger->warn("inventory: on-hand of " + d.sku + " was " + std::to_string(d.on_hand_milli) +
                          ", ledger sum " + std::to_string(d.ledger_sum_milli) + "; repaired");
    return drifts;
}

}  // namespace till::domain
