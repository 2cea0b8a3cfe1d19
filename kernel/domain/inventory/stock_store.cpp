#include "domain/inventory/stock_store.hpp"

#include <limits>

namespace till::domain::stock_store {
namespace {

using sdk::Value;

StockLevel level_from(const std::vector<Value>& row) {
    // columns: sku, on_hand_milli, low_stock_threshold_milli
    StockLevel l;
    l.sku = row.at(0).as_string();
    l.on_hand_milli = row.at(1).as_int();
    l.low_stock_threshold_milli = row.at(2).as_int(-1);
    return l;
}

MovementRecord movement_from(const std::vector<Value>& row) {
    MovementRecord m;
    m.movement_id = row.at(0).as_string();
    m.sku = row.at(1).as_string();
    m.qty_delta_milli = row.at(2).as_int();
    m.kind = row.at(3).as_string();
    m.reason_code = row.at(4).as_string();
    m.reference = row.at(5).as_string();
    m.user_id = row.at(6).as_string();
    m.note = row.at(7).as_string();
    m.recorded_utc_ms = row.at(8).as_int();
    return m;
}

constexpr const char* kLevelColumns = "sku, on_hand_milli, low_stock_threshold_milli";
constexpr const char* kMovementColumns =
    "movement_id, sku, qty_delta_milli, kind, reason_code, reference, user_id, note, recorded_utc_ms";

sdk::Status ensure_level_row(sdk::SqlExecutor& tx, const std::string& sku, std::int64_t now_utc_ms) {
    auto r = tx.execute(
        "INSERT INTO stock_levels (sku, on_hand_milli, low_stock_threshold_milli, updated_utc_ms) "
        "VALUES (?, 0, -1, ?) ON CONFLICT (sku) DO NOTHING",
        {Value(sku), Value(now_utc_ms)});
    return r.status();
}

sdk::Result<StockLevel> read_level_row(sdk::SqlExecutor& tx, const std::string& sku) {
    auto rows = tx.query(std::string("SELECT ") + kLevelColumns + " FROM stock_levels WHERE sku = ?", {Value(sku)});
    if (!rows) return rows.error();
    if (rows->rows.empty()) return sdk::Error{"storage_error", "stock level row of " + sku + " is missing"};
    return level_from(rows->rows.front());
}

}  // namespace

sdk::Result<StockLevel> append(sdk::SqlExecutor& tx, const MovementRecord& m) {
    if (auto s = ensure_level_row(tx, m.sku, m.recorded_utc_ms); !s.ok()) return s.error();
    // The UPDATE takes the row's write lock (PostgreSQL) or runs under the
    // database write lock (SQLite): concurrent movements on one SKU queue here.
    // The WHERE keeps the sum inside int64: past it SQLite silently turns the
    // column into a float and PostgreSQL fails the statement.
    const bool up = m.qty_delta_milli > 0;
    const std::int64_t bound = up ? std::numeric_limits<std::int64_t>::max() - m.qty_delta_milli
                                  : std::numeric_limits<std::int64_t>::min() - m.qty_delta_milli;
    auto updated = tx.execute(std::string("UPDATE stock_levels SET on_hand_milli = on_hand_milli + ?, "
                                          "updated_utc_ms = ? WHERE sku = ? AND on_hand_milli ") +
                                  (up ? "<= ?" : ">= ?"),
                              {Value(m.qty_delta_milli), Value(m.recorded_utc_ms), Value(m.sku), Value(bound)});
    if (!updated) return updated.error();
    if (*updated != 1)
        return sdk::Error{"invalid_argument", "$.qty_delta_milli: would take the on-hand of SKU \"" + m.sku +
                                                  "\" outside the 64-bit range"};
    auto after = read_level_row(tx, m.sku);
    if (!after) return after.error();
    auto inserted = tx.execute(std::string("INSERT INTO stock_movements (") + kMovementColumns +
                                   ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                               {Value(m.movement_id), Value(m.sku), Value(m.qty_delta_milli), Value(m.kind),
                                Value(m.reason_code), Value(m.reference), Value(m.user_id), Value(m.note),
                                Value(m.recorded_utc_ms)});
    if (!inserted) return inserted.error();
    StockLevel level = *after;
    // On-hand read back near the int64 edge (PostgreSQL reads huge negative
    // values imprecisely, see docs/architecture.md): never overflow here.
    std::int64_t before_milli = 0;
    if (__builtin_sub_overflow(level.on_hand_milli, m.qty_delta_milli, &before_milli))
        before_milli = level.on_hand_milli;
    const std::int64_t threshold = level.low_stock_threshold_milli;
    level.crossed_low_stock = threshold >= 0 && before_milli > threshold && level.on_hand_milli <= threshold;
    return level;
}

sdk::Result<std::optional<StockLevel>> level(sdk::SqlExecutor& tx, const std::string& sku) {
    auto rows = tx.query(std::string("SELECT ") + kLevelColumns + " FROM stock_levels WHERE sku = ?", {Value(sku)});
    if (!rows) return rows.error();
    if (rows->rows.empty()) return std::optional<StockLevel>();
    return std::optional<StockLevel>(level_from(rows->rows.front()));
}

sdk::Result<std::vector<MovementRecord>> movements(sdk::SqlExecutor& tx, const std::string& sku,
                                                   const std::string& before_id, std::int64_t limit) {
    std::string sql = std::string("SELECT ") + kMovementColumns + " FROM stock_movements WHERE sku = ?";
    std::vector<Value> params{Value(sku)};
    if (!before_id.empty()) {
        sql += " AND movement_id < ?";
        params.emplace_back(before_id);
    }
    sql += " ORDER BY movement_id DESC LIMIT ?";
    params.emplace_back(limit);
    auto rows = tx.query(sql, params);
    if (!rows) return rows.error();
    std::vector<MovementRecord> out;
    out.reserve(rows->rows.size());
    for (const auto& row : rows->rows) out.push_back(movement_from(row));
    return out;
}

sdk::Result<StockLevel> set_threshold(sdk::SqlExecutor& tx, const std::string& sku, std::int64_t threshold_milli,
                                      std::int64_t now_utc_ms) {
    if (auto s = ensure_level_row(tx, sku, now_utc_ms); !s.ok()) return s.error();
    auto updated = tx.execute(
        "UPDATE stock_levels SET low_stock_threshold_milli = ?, updated_utc_ms = ? WHERE sku = ?",
        {Value(threshold_milli), Value(now_utc_ms), Value(sku)});
    if (!updated) return updated.error();
    return read_level_row(tx, sku);
}

sdk::Result<std::vector<StockLevel>> low_stock(sdk::SqlExecutor& tx, const std::string& after_sku,
                                               std::int64_t limit) {
    auto rows = tx.query(std::string("SELECT ") + kLevelColumns +
                             " FROM stock_levels WHERE low_stock_threshold_milli >= 0"
                             " AND on_hand_milli <= low_stock_threshold_milli AND sku > ?"
                             " ORDER BY sku LIMIT ?",
                         {Value(after_sku), Value(limit)});
    if (!rows) return rows.error();
    std::vector<StockLevel> out;
    for (const auto& row : rows->rows) out.push_back(level_from(row));
    return out;
}

sdk::Result<std::vector<LedgerDrift>> drift(sdk::SqlExecutor& tx) {
    // CAST: PostgreSQL's SUM(BIGINT) is NUMERIC, which storage refuses to read.
    auto rows = tx.query(
        "SELECT s.sku, COALESCE(l.on_hand_milli, 0), s.total FROM ("
        "  SELECT sku, CAST(SUM(qty_delta_milli) AS BIGINT) AS total FROM stock_movements GROUP BY sku"
        "  UNION ALL"
        "  SELECT sku, CAST(0 AS BIGINT) AS total FROM stock_levels l2"
        "   WHERE NOT EXISTS (SELECT 1 FROM stock_movements m WHERE m.sku = l2.sku)"
        ") s LEFT JOIN stock_levels l ON l.sku = s.sku"
        " WHERE l.sku IS NULL OR l.on_hand_milli <> s.total ORDER BY s.sku");
    if (!rows) return rows.error();
    std::vector<LedgerDrift> out;
    for (const auto& row : rows->rows)
        out.push_back(LedgerDrift{row.at(0).as_string(), row.at(1).as_int(), row.at(2).as_int()});
    return out;
}

sdk::Status repair(sdk::SqlExecutor& tx, const std::vector<LedgerDrift>& drifts, std::int64_t now_utc_ms) {
    for (const auto& d : drifts) {
        if (auto s = ensure_level_row(tx, d.sku, now_utc_ms); !s.ok()) return s;
        auto r = tx.execute("UPDATE stock_levels SET on_hand_milli = ?, updated_utc_ms = ? WHERE sku = ?",
                            {Value(d.ledger_sum_milli), Value(now_utc_ms), Value(d.sku)});
        if (!r) return r.status();
    }
    return {};
}

}  // namespace till::domain::stock_store
