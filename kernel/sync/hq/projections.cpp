#include "sync/hq/projections.hpp"

#include "domain/common/replication.hpp"

namespace till::sync::hq {

namespace {

namespace ct = domain::change_type;
using sdk::Value;

Value text_or_null(const Value& v) { return v.is_string() ? v : Value(); }
Value int_or_null(const Value& v) { return v.is_int() ? v : Value(); }

std::int64_t amount(const Value& payload, const char* field) {
    const Value* v = order_amount(payload, field);
    return v ? v->as_int(0) : 0;
}

sdk::Status project_order(sdk::SqlExecutor& tx, const std::string& store_id, const IncomingEvent& e) {
    const Value& p = e.payload;
    std::int64_t settled = e.created_utc_ms;
    for (const char* f : {"paid_utc_ms", "voided_utc_ms", "closed_utc_ms"})
        if (p[f].is_int()) {
            settled = p[f].as_int();
            break;
        }
    auto done = tx.execute(
        "INSERT INTO sync_hq_orders (order_id, store_id, kind, register_session_id, terminal_id, is_return, "
        "original_order_id, currency, total_minor, tax_minor, discount_minor, settled_utc_ms, source_sequence, payload) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (order_id) DO UPDATE SET kind = excluded.kind, register_session_id = excluded.register_session_id, "
        "terminal_id = excluded.terminal_id, is_return = excluded.is_return, original_order_id = "
        "excluded.original_order_id, currency = excluded.currency, total_minor = excluded.total_minor, tax_minor = "
        "excluded.tax_minor, discount_minor = excluded.discount_minor, settled_utc_ms = excluded.settled_utc_ms, "
        "source_sequence = excluded.source_sequence, payload = excluded.payload "
        "WHERE sync_hq_orders.store_id = excluded.store_id AND sync_hq_orders.source_sequence < excluded.source_sequence",
        {p["order_id"].as_string(), store_id, e.type, text_or_null(p["register_session_id"]),
         p["terminal_id"].as_string(""), p["is_return"].as_bool(false) ? 1 : 0, text_or_null(p["original_order_id"]),
         p["currency"].as_string(""), amount(p, "total_minor"), amount(p, "tax_minor"), amount(p, "discount_minor"),
         settled, e.sequence, p.to_json()});
    return done.status();
}

sdk::Status project_session(sdk::SqlExecutor& tx, const std::string& store_id, const IncomingEvent& e) {
    const Value& p = e.payload;
    auto done = tx.execute(
        "INSERT INTO sync_hq_register_sessions (session_id, store_id, register_id, state, opened_utc_ms, "
        "closed_utc_ms, source_sequence, payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (session_id) DO UPDATE SET register_id = excluded.register_id, state = excluded.state, "
        "opened_utc_ms = excluded.opened_utc_ms, closed_utc_ms = excluded.closed_utc_ms, "
        "source_sequence = excluded.source_sequence, payload = excluded.payload "
        "WHERE sync_hq_register_sessions.store_id = excluded.store_id "
        "AND sync_hq_register_sessions.source_sequence < excluded.source_sequence",
        {p["session_id"].as_string(), store_id, p["register_id"].as_string(), p["state"].as_string(),
         int_or_null(p["opened_utc_ms"]), int_or_null(p["closed_utc_ms"]), e.sequence, p.to_json()});
    return done.status();
}

sdk::Status project_cash(sdk::SqlExecutor& tx, const std::string& store_id, const IncomingEvent& e) {
    const Value& p = e.payload;
    const std::int64_t created = p["created_utc_ms"].as_int(e.created_utc_ms);
    auto done = tx.execute(
        "INSERT INTO sync_hq_cash_movements (movement_id, store_id, session_id, register_id, direction, amount_minor, "
        "reason_code, created_utc_ms, payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (movement_id) DO NOTHING",
        {p["movement_id"].as_string(), store_id, text_or_null(p["session_id"]), text_or_null(p["register_id"]),
         p["direction"].as_string(), p["amount_minor"].as_int(), text_or_null(p["reason_code"]), created, p.to_json()});
    return done.status();
}

sdk::Status project_z(sdk::SqlExecutor& tx, const std::string& store_id, const IncomingEvent& e) {
    const Value& p = e.payload;
    const Value& r = p["report"];
    auto done = tx.execute(
        "INSERT INTO sync_hq_z_reports (store_id, register_id, z_number, session_id, created_utc_ms, sha256, "
        "sales_count, sales_total_minor, sales_tax_minor, returns_count, returns_total_minor, voids_count, "
        "net_sales_minor, payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (store_id, register_id, z_number) DO NOTHING",
        {store_id, p["register_id"].as_string(), p["z_number"].as_int(), p["session_id"].as_string(),
         p["created_utc_ms"].as_int(e.created_utc_ms), text_or_null(p["sha256"]), r["sales"]["count"].as_int(0),
         r["sales"]["total_minor"].as_int(0), r["sales"]["tax_minor"].as_int(0), r["returns"]["count"].as_int(0),
         r["returns"]["total_minor"].as_int(0), r["voids"]["count"].as_int(0), r["net_sales_minor"].as_int(0),
         p.to_json()});
    return done.status();
}

sdk::Status project_stock(sdk::SqlExecutor& tx, const std::string& store_id, const IncomingEvent& e) {
    const Value& p = e.payload;
    const std::string sku = p["sku"].as_string();
    const std::int64_t delta = p["qty_delta_milli"].as_int();
    auto inserted = tx.execute(
        "INSERT INTO sync_hq_stock_movements (movement_id, store_id, sku, qty_delta_milli, kind, reason_code, "
        "reference, user_id, created_utc_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (movement_id) DO NOTHING",
        {p["movement_id"].as_string(), store_id, sku, delta, text_or_null(p["kind"]), text_or_null(p["reason_code"]),
         text_or_null(p["reference"]), text_or_null(p["user_id"]), p["created_utc_ms"].as_int(e.created_utc_ms)});
    if (!inserted) return inserted.status();
    if (*inserted == 0) return {};  // the movement is already counted
    auto level = tx.execute(
        "INSERT INTO sync_hq_stock_levels (store_id, sku, on_hand_milli) VALUES (?, ?, ?) "
        "ON CONFLICT (store_id, sku) DO UPDATE SET on_hand_milli = sync_hq_stock_levels.on_hand_milli + "
        "excluded.on_hand_milli",
        {store_id, sku, delta});
    return level.status();
}

}  // namespace

sdk::Status project_event(sdk::SqlExecutor& tx, const std::string& store_id, const IncomingEvent& e) {
    if (e.type == ct::sale || e.type == ct::refund || e.type == ct::order_void) return project_order(tx, store_id, e);
    if (e.type == ct::register_session) return project_session(tx, store_id, e);
    if (e.type == ct::cash_movement) return project_cash(tx, store_id, e);
    if (e.type == ct::z_report) return project_z(tx, store_id, e);
    if (e.type == ct::stock_movement) return project_stock(tx, store_id, e);
    return {};
}

}  // namespace till::sync::hq
