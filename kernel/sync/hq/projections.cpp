#include "sync/hq/projections.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <utility>
#include <vector>

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

// Multi-row statements: orders and sessions keep only the event with the
// highest sequence per row (the later one wins, as batches applied out of
// order do), and stock movements that are new are summed per SKU into one
// level change each. Cash movements and Z reports (a few per batch) go one
// statement each; their rows are written once and never change.

constexpr std::size_t kRowsPerStatement = 200;

/// "(?, ?, ?), (?, ?, ?)" for `rows` rows of `columns` parameters.
std::string placeholders(std::size_t rows, std::size_t columns) {
    std::string one = "(";
    for (std::size_t c = 0; c < columns; ++c) one += c ? ", ?" : "?";
    one += ")";
    std::string out;
    out.reserve(rows * (one.size() + 2));
    for (std::size_t r = 0; r < rows; ++r) {
        if (r) out += ", ";
        out += one;
    }
    return out;
}

/// Runs `sql_head VALUES (...), (...) sql_tail` for `items` in chunks; `row`
/// appends one item's parameters.
template <typename T, typename RowFn>
sdk::Status insert_chunks(sdk::SqlExecutor& tx, const std::vector<T>& items, std::size_t columns,
                          const std::string& sql_head, const std::string& sql_tail, RowFn row) {
    for (std::size_t start = 0; start < items.size(); start += kRowsPerStatement) {
        const std::size_t end = std::min(items.size(), start + kRowsPerStatement);
        std::vector<Value> params;
        params.reserve((end - start) * columns);
        for (std::size_t i = start; i < end; ++i) row(items[i], params);
        auto done = tx.execute(sql_head + " VALUES " + placeholders(end - start, columns) + " " + sql_tail, params);
        if (!done) return done.status();
    }
    return {};
}

std::int64_t settled_of(const IncomingEvent& e) {
    for (const char* f : {"paid_utc_ms", "voided_utc_ms", "closed_utc_ms"})
        if (e.payload[f].is_int()) return e.payload[f].as_int();
    return e.created_utc_ms;
}

/// The last event (highest sequence) per key, in first-seen key order.
std::vector<const IncomingEvent*> last_per_key(const std::vector<const IncomingEvent*>& events, const char* key) {
    std::map<std::string, std::size_t> at;
    std::vector<const IncomingEvent*> out;
    for (const IncomingEvent* e : events) {
        const std::string k = e->payload[key].as_string();
        auto [it, fresh] = at.emplace(k, out.size());
        if (fresh) out.push_back(e);
        else if (e->sequence > out[it->second]->sequence) out[it->second] = e;
    }
    return out;
}

sdk::Status project_orders(sdk::SqlExecutor& tx, const std::string& store_id,
                           const std::vector<const IncomingEvent*>& events) {
    return insert_chunks(
        tx, last_per_key(events, "order_id"), 14,
        "INSERT INTO sync_hq_orders (order_id, store_id, kind, register_session_id, terminal_id, is_return, "
        "original_order_id, currency, total_minor, tax_minor, discount_minor, settled_utc_ms, source_sequence, payload)",
        "ON CONFLICT (order_id) DO UPDATE SET kind = excluded.kind, register_session_id = excluded.register_session_id, "
        "terminal_id = excluded.terminal_id, is_return = excluded.is_return, original_order_id = "
        "excluded.original_order_id, currency = excluded.currency, total_minor = excluded.total_minor, tax_minor = "
        "excluded.tax_minor, discount_minor = excluded.discount_minor, settled_utc_ms = excluded.settled_utc_ms, "
        "source_sequence = excluded.source_sequence, payload = excluded.payload "
        "WHERE sync_hq_orders.store_id = excluded.store_id AND sync_hq_orders.source_sequence < excluded.source_sequence",
        [&](const IncomingEvent* e, std::vector<Value>& out) {
            const Value& p = e->payload;
            for (Value v : {Value(p["order_id"].as_string()), Value(store_id), Value(e->type),
                            text_or_null(p["register_session_id"]), Value(p["terminal_id"].as_string("")),
                            Value(p["is_return"].as_bool(false) ? 1 : 0), text_or_null(p["original_order_id"]),
                            Value(p["currency"].as_string("")), Value(amount(p, "total_minor")),
                            Value(amount(p, "tax_minor")), Value(amount(p, "discount_minor")), Value(settled_of(*e)),
                            Value(e->sequence), Value(p.to_json())})
                out.push_back(std::move(v));
        });
}

sdk::Status project_sessions(sdk::SqlExecutor& tx, const std::string& store_id,
                             const std::vector<const IncomingEvent*>& events) {
    return insert_chunks(
        tx, last_per_key(events, "session_id"), 8,
        "INSERT INTO sync_hq_register_sessions (session_id, store_id, register_id, state, opened_utc_ms, "
        "closed_utc_ms, source_sequence, payload)",
        "ON CONFLICT (session_id) DO UPDATE SET register_id = excluded.register_id, state = excluded.state, "
        "opened_utc_ms = excluded.opened_utc_ms, closed_utc_ms = excluded.closed_utc_ms, "
        "source_sequence = excluded.source_sequence, payload = excluded.payload "
        "WHERE sync_hq_register_sessions.store_id = excluded.store_id "
        "AND sync_hq_register_sessions.source_sequence < excluded.source_sequence",
        [&](const IncomingEvent* e, std::vector<Value>& out) {
            const Value& p = e->payload;
            for (Value v : {Value(p["session_id"].as_string()), Value(store_id), Value(p["register_id"].as_string()),
                            Value(p["state"].as_string()), int_or_null(p["opened_utc_ms"]),
                            int_or_null(p["closed_utc_ms"]), Value(e->sequence), Value(p.to_json())})
                out.push_back(std::move(v));
        });
}

/// New stock movements (not held yet, first of each id in the batch), their
/// rows, then one level change per SKU.
sdk::Status project_stock_many(sdk::SqlExecutor& tx, const std::string& store_id,
                               const std::vector<const IncomingEvent*>& events) {
    std::set<std::string> held;
    for (std::size_t start = 0; start < events.size(); start += kRowsPerStatement) {
        const std::size_t end = std::min(events.size(), start + kRowsPerStatement);
        std::string sql = "SELECT movement_id FROM sync_hq_stock_movements WHERE movement_id IN (";
        std::vector<Value> params;
        for (std::size_t i = start; i < end; ++i) {
            sql += i == start ? "?" : ", ?";
            params.emplace_back(events[i]->payload["movement_id"].as_string());
        }
        sql += ")";
        auto rows = tx.query(sql, params);
        if (!rows) return rows.status();
        for (const auto& r : rows->rows) held.insert(r.at(0).as_string());
    }
    std::vector<const IncomingEvent*> fresh;
    std::map<std::string, std::int64_t> delta_by_sku;
    for (const IncomingEvent* e : events) {
        if (!held.insert(e->payload["movement_id"].as_string()).second) continue;  // counted already
        fresh.push_back(e);
        delta_by_sku[e->payload["sku"].as_string()] += e->payload["qty_delta_milli"].as_int();
    }
    if (auto s = insert_chunks(
            tx, fresh, 9,
            "INSERT INTO sync_hq_stock_movements (movement_id, store_id, sku, qty_delta_milli, kind, reason_code, "
            "reference, user_id, created_utc_ms)",
            "",
            [&](const IncomingEvent* e, std::vector<Value>& out) {
                const Value& p = e->payload;
                for (Value v : {Value(p["movement_id"].as_string()), Value(store_id), Value(p["sku"].as_string()),
                                Value(p["qty_delta_milli"].as_int()), text_or_null(p["kind"]),
                                text_or_null(p["reason_code"]), text_or_null(p["reference"]),
                                text_or_null(p["user_id"]), Value(p["created_utc_ms"].as_int(e->created_utc_ms))})
                    out.push_back(std::move(v));
            });
        !s.ok())
        return s;
    std::vector<std::pair<std::string, std::int64_t>> levels(delta_by_sku.begin(), delta_by_sku.end());
    return insert_chunks(
        tx, levels, 3, "INSERT INTO sync_hq_stock_levels (store_id, sku, on_hand_milli)",
        "ON CONFLICT (store_id, sku) DO UPDATE SET on_hand_milli = sync_hq_stock_levels.on_hand_milli + "
        "excluded.on_hand_milli",
        [&](const std::pair<std::string, std::int64_t>& level, std::vector<Value>& out) {
            out.emplace_back(store_id);
            out.emplace_back(level.first);
            out.emplace_back(level.second);
        });
}

}  // namespace

sdk::Status project_events(sdk::SqlExecutor& tx, const std::string& store_id,
                           const std::vector<const IncomingEvent*>& events) {
    std::vector<const IncomingEvent*> orders, sessions, stock, one_by_one;
    for (const IncomingEvent* e : events) {
        if (e->type == ct::sale || e->type == ct::refund || e->type == ct::order_void) orders.push_back(e);
        else if (e->type == ct::register_session) sessions.push_back(e);
        else if (e->type == ct::stock_movement) stock.push_back(e);
        else one_by_one.push_back(e);  // cash movements, Z reports (few per batch), kinds without a projection
    }
    if (auto s = project_orders(tx, store_id, orders); !s.ok()) return s;
    if (auto s = project_sessions(tx, store_id, sessions); !s.ok()) return s;
    if (auto s = project_stock_many(tx, store_id, stock); !s.ok()) return s;
    for (const IncomingEvent* e : one_by_one) {
        if (e->type == ct::cash_movement) {
            if (auto s = project_cash(tx, store_id, *e); !s.ok()) return s;
        } else if (e->type == ct::z_report) {
            if (auto s = project_z(tx, store_id, *e); !s.ok()) return s;
        }  // customers and transfers go to their appliers; unknown kinds are kept, not projected
    }
    return {};
}

}  // namespace till::sync::hq
