#include "domain/orders/order_store.hpp"

#include <map>

#include "domain/orders/order_json.hpp"

namespace till::domain::orders {

namespace {
using V = sdk::Value;

V i64(std::int64_t n) { return V(static_cast<long long>(n)); }

const char* kOrderColumns =
    "order_id, order_type_id, state, version, currency, customer_id, fields_json, register_session_id, "
    "settled_session_id, terminal_id, user_id, is_return, original_order_id, reason_code, refund_authorized_by, "
    "discount_kind, discount_percent_bp, discount_amount_minor, gross_minor, discount_minor, tax_minor, "
    "total_minor, taxes_json, opened_utc_ms, submitted_utc_ms, paid_utc_ms, closed_utc_ms, voided_utc_ms, "
    "void_reason, submit_hook_ran, tax_exempt";
constexpr int kOrderColumnCount = 31;

const char* kLineColumns =
    "line_id, order_id, position, sku, name, department_id, item_json, qty_milli, unit_price_minor, "
    "modifiers_json, note, discount_kind, discount_percent_bp, discount_amount_minor, gross_minor, "
    "line_discount_minor, order_discount_minor, net_minor, tax_minor, total_minor, taxes_json, original_line_id, "
    "voided, voided_utc_ms, void_reason";
constexpr int kLineColumnCount = 25;

std::string placeholders(int n) {
    std::string out;
    for (int i = 0; i < n; ++i) out += i ? ", ?" : "?";
    return out;
}

V parse_or(const V& text, V fallback) {
    auto parsed = V::parse_json(text.as_string());
    return parsed ? parsed.value() : fallback;
}

const char* kind_name(Discount::Kind k) {
    switch (k) {
        case Discount::Kind::percent: return "percent";
        case Discount::Kind::amount: return "amount";
        default: return "none";
    }
}

Discount discount_from(const V& kind, const V& percent, const V& amount) {
    Discount d;
    if (kind.as_string() == "percent") d.kind = Discount::Kind::percent;
    if (kind.as_string() == "amount") d.kind = Discount::Kind::amount;
    d.percent_bp = percent.as_int();
    d.amount_minor = amount.as_int();
    return d;
}

std::vector<V> order_params(const Order& o) {
    return {o.order_id,
            o.order_type_id,
            state_name(o.state),
            i64(o.version),
            o.currency,
            o.customer_id,
            (o.fields.is_map() ? o.fields : V::map()).to_json(),
            o.register_session_id,
            o.settled_session_id,
            o.terminal_id,
            o.user_id,
            i64(o.is_return ? 1 : 0),
            o.original_order_id,
            o.reason_code,
            o.refund_authorized_by,
            kind_name(o.order_discount.kind),
            i64(o.order_discount.percent_bp),
            i64(o.order_discount.amount_minor),
            i64(o.totals.gross_minor),
            i64(o.totals.discount_minor),
            i64(o.totals.tax_minor),
            i64(o.totals.total_minor),
            taxes_to_json(o.totals.taxes).to_json(),
            i64(o.opened_utc_ms),
            i64(o.submitted_utc_ms),
            i64(o.paid_utc_ms),
            i64(o.closed_utc_ms),
            i64(o.voided_utc_ms),
            o.void_reason,
            i64(o.submit_hook_ran ? 1 : 0),
            i64(o.tax_exempt ? 1 : 0)};
}

Order order_from_row(const std::vector<V>& r) {
    Order o;
    o.order_id = r[0].as_string();
    o.order_type_id = r[1].as_string();
    o.state = state_from_name(r[2].as_string()).value_or(State::open);
    o.version = r[3].as_int();
    o.currency = r[4].as_string();
    o.customer_id = r[5].as_string();
    o.fields = parse_or(r[6], V::map());
    o.register_session_id = r[7].as_string();
    o.settled_session_id = r[8].as_string();
    o.terminal_id = r[9].as_string();
    o.user_id = r[10].as_string();
    o.is_return = r[11].as_int() != 0;
    o.original_order_id = r[12].as_string();
    o.reason_code = r[13].as_string();
    o.refund_authorized_by = r[14].as_string();
    o.order_discount = discount_from(r[15], r[16], r[17]);
    o.totals.gross_minor = r[18].as_int();
    o.totals.discount_minor = r[19].as_int();
    o.totals.tax_minor = r[20].as_int();
    o.totals.total_minor = r[21].as_int();
    o.totals.taxes = taxes_from_json(parse_or(r[22], V::list()));
    o.opened_utc_ms = r[23].as_int();
    o.submitted_utc_ms = r[24].as_int();
    o.paid_utc_ms = r[25].as_int();
    o.closed_utc_ms = r[26].as_int();
    o.voided_utc_ms = r[27].as_int();
    o.void_reason = r[28].as_string();
    o.submit_hook_ran = r[29].as_int() != 0;
    o.tax_exempt = r[30].as_int() != 0;
    return o;
}

std::vector<V> line_params(const std::string& order_id, const OrderLine& l) {
    return {l.line_id,
            order_id,
            i64(l.position),
            l.sku,
            l.name,
            l.department_id,
            item_to_json(l.item).to_json(),
            i64(l.qty_milli),
            i64(l.unit_price_minor),
            modifiers_to_json(l.modifiers).to_json(),
            l.note,
            kind_name(l.discount.kind),
            i64(l.discount.percent_bp),
            i64(l.discount.amount_minor),
            i64(l.amounts.gross_minor),
            i64(l.amounts.line_discount_minor),
            i64(l.amounts.order_discount_minor),
            i64(l.amounts.net_minor),
            i64(l.amounts.tax_minor),
            i64(l.amounts.total_minor),
            taxes_to_json(l.amounts.taxes).to_json(),
            l.original_line_id,
            i64(l.voided ? 1 : 0),
            i64(l.voided_utc_ms),
            l.void_reason};
}

OrderLine line_from_row(const std::vector<V>& r) {
    OrderLine l;
    l.line_id = r[0].as_string();
    l.position = r[2].as_int();
    l.sku = r[3].as_string();
    l.name = r[4].as_string();
    l.department_id = r[5].as_string();
    l.item = item_from_json(parse_or(r[6], V::map()));
    l.qty_milli = r[7].as_int();
    l.unit_price_minor = r[8].as_int();
    l.modifiers = modifiers_from_json(parse_or(r[9], V::list()));
    l.note = r[10].as_string();
    l.discount = discount_from(r[11], r[12], r[13]);
    l.amounts.gross_minor = r[14].as_int();
    l.amounts.line_discount_minor = r[15].as_int();
    l.amounts.order_discount_minor = r[16].as_int();
    l.amounts.net_minor = r[17].as_int();
    l.amounts.tax_minor = r[18].as_int();
    l.amounts.total_minor = r[19].as_int();
    l.amounts.taxes = taxes_from_json(parse_or(r[20], V::list()));
    l.original_line_id = r[21].as_string();
    l.voided = r[22].as_int() != 0;
    l.voided_utc_ms = r[23].as_int();
    l.void_reason = r[24].as_string();
    return l;
}

bool same_line(const OrderLine& a, const OrderLine& b) {
    return line_params("", a) == line_params("", b);
}

sdk::Status insert_line(sdk::SqlExecutor& tx, const std::string& order_id, const OrderLine& l) {
    std::string sql = std::string("INSERT INTO order_lines (") + kLineColumns + ") VALUES (" +
                      placeholders(kLineColumnCount) + ")";
    return tx.execute(sql, line_params(order_id, l)).status();
}

sdk::Status update_line(sdk::SqlExecutor& tx, const std::string& order_id, const OrderLine& l) {
    static const char* kSet =
        "UPDATE order_lines SET position = ?, sku = ?, name = ?, department_id = ?, item_json = ?, qty_milli = ?, "
        "unit_price_minor = ?, modifiers_json = ?, note = ?, discount_kind = ?, discount_percent_bp = ?, "
        "discount_amount_minor = ?, gross_minor = ?, line_discount_minor = ?, order_discount_minor = ?, "
        "net_minor = ?, tax_minor = ?, total_minor = ?, taxes_json = ?, original_line_id = ?, voided = ?, "
        "voided_utc_ms = ?, void_reason = ? WHERE line_id = ?";
    auto p = line_params(order_id, l);
    std::vector<V> params(p.begin() + 2, p.end());
    params.push_back(l.line_id);
    return tx.execute(kSet, params).status();
}
}  // namespace

sdk::Result<std::optional<Order>> OrderStore::load(sdk::SqlExecutor& tx, const std::string& order_id,
                                                   Lock lock) const {
    std::string sql = std::string("SELECT ") + kOrderColumns + " FROM orders WHERE order_id = ?";
    if (lock == Lock::for_update && dialect_ == sdk::Dialect::postgresql) sql += " FOR UPDATE";
    auto rows = tx.query(sql, {order_id});
    if (!rows) return rows.error();
    if (rows->rows.empty()) return std::optional<Order>{};
    Order order = order_from_row(rows->rows.front());
    auto lines = tx.query(std::string("SELECT ") + kLineColumns +
                              " FROM order_lines WHERE order_id = ? ORDER BY position",
                          {order_id});
    if (!lines) return lines.error();
    for (const auto& r : lines->rows) order.lines.push_back(line_from_row(r));
    return std::optional<Order>(std::move(order));
}

sdk::Status OrderStore::insert(sdk::SqlExecutor& tx, const Order& order) const {
    std::string sql = std::string("INSERT INTO orders (") + kOrderColumns + ") VALUES (" +
                      placeholders(kOrderColumnCount) + ")";
    if (auto s = tx.execute(sql, order_params(order)); !s) return s.status();
    for (const auto& l : order.lines)
        if (auto s = insert_line(tx, order.order_id, l); !s.ok()) return s;
    return {};
}

sdk::Status OrderStore::save(sdk::SqlExecutor& tx, const Order& before, const Order& after) const {
    static const char* kUpdate =
        "UPDATE orders SET order_type_id = ?, state = ?, version = ?, currency = ?, customer_id = ?, "
        "fields_json = ?, register_session_id = ?, settled_session_id = ?, terminal_id = ?, user_id = ?, "
        "is_return = ?, original_order_id = ?, reason_code = ?, refund_authorized_by = ?, discount_kind = ?, "
        "discount_percent_bp = ?, discount_amount_minor = ?, gross_minor = ?, discount_minor = ?, tax_minor = ?, "
        "total_minor = ?, taxes_json = ?, opened_utc_ms = ?, submitted_utc_ms = ?, paid_utc_ms = ?, "
        "closed_utc_ms = ?, voided_utc_ms = ?, void_reason = ?, submit_hook_ran = ?, tax_exempt = ? WHERE order_id = ?";
    auto p = order_params(after);
    std::vector<V> params(p.begin() + 1, p.end());
    params.push_back(after.order_id);
    auto updated = tx.execute(kUpdate, params);
    if (!updated) return updated.status();
    if (*updated != 1)
        return sdk::Status::failure("storage_error", "order " + after.order_id + " is not in the database");

    std::map<std::string, const OrderLine*> old_lines;
    for (const auto& l : before.lines) old_lines[l.line_id] = &l;
    // Deletes first, so a reused position never meets the UNIQUE constraint.
    for (const auto& l : before.lines) {
        if (after.find_line(l.line_id)) continue;
        if (auto s = tx.execute("DELETE FROM order_lines WHERE line_id = ?", {l.line_id}); !s) return s.status();
    }
    for (const auto& l : after.lines) {
        auto it = old_lines.find(l.line_id);
        if (it == old_lines.end()) {
            if (auto s = insert_line(tx, after.order_id, l); !s.ok()) return s;
        } else if (!same_line(*it->second, l)) {
            if (auto s = update_line(tx, after.order_id, l); !s.ok()) return s;
        }
    }
    return {};
}

sdk::Result<std::vector<Order>> OrderStore::list(sdk::SqlExecutor& tx, const ListQuery& q) const {
    std::string sql = std::string("SELECT ") + kOrderColumns + " FROM orders WHERE 1 = 1";
    std::vector<V> params;
    if (!q.state.empty()) {
        sql += " AND state = ?";
        params.emplace_back(q.state);
    }
    if (!q.session_id.empty()) {
        sql += " AND (register_session_id = ? OR settled_session_id = ?)";
        params.emplace_back(q.session_id);
        params.emplace_back(q.session_id);
    }
    if (!q.after_id.empty()) {
        sql += " AND order_id < ?";
        params.emplace_back(q.after_id);
    }
    sql += " ORDER BY order_id DESC LIMIT " + std::to_string(q.limit);
    auto rows = tx.query(sql, params);
    if (!rows) return rows.error();
    std::vector<Order> out;
    std::map<std::string, std::size_t> index;
    for (const auto& r : rows->rows) {
        out.push_back(order_from_row(r));
        index[out.back().order_id] = out.size() - 1;
    }
    if (out.empty()) return out;
    std::string in;
    std::vector<V> ids;
    for (const auto& o : out) {
        in += ids.empty() ? "?" : ", ?";
        ids.emplace_back(o.order_id);
    }
    auto lines = tx.query(std::string("SELECT ") + kLineColumns + " FROM order_lines WHERE order_id IN (" + in +
                              ") ORDER BY order_id, position",
                          ids);
    if (!lines) return lines.error();
    for (const auto& r : lines->rows) out[index[r[1].as_string()]].lines.push_back(line_from_row(r));
    return out;
}

sdk::Result<std::vector<OrderStore::ReturnedLine>> OrderStore::returned_lines(
    sdk::SqlExecutor& tx, const std::string& original_order_id) const {
    std::string cols;
    {
        // The line columns qualified with the alias "l".
        std::string all = kLineColumns;
        std::size_t start = 0;
        while (start < all.size()) {
            auto comma = all.find(',', start);
            std::string name = all.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
            while (!name.empty() && name.front() == ' ') name.erase(name.begin());
            cols += (cols.empty() ? "l." : ", l.") + name;
            if (comma == std::string::npos) break;
            start = comma + 1;
        }
    }
    auto rows = tx.query("SELECT o.order_id, o.state, " + cols +
                             " FROM orders o JOIN order_lines l ON l.order_id = o.order_id "
                             "WHERE o.original_order_id = ? AND o.is_return = 1 AND o.state <> 'voided' "
                             "AND l.voided = 0 AND l.original_line_id <> '' ORDER BY o.order_id, l.position",
                         {original_order_id});
    if (!rows) return rows.error();
    std::vector<ReturnedLine> out;
    for (const auto& r : rows->rows) {
        ReturnedLine rl;
        rl.return_order_id = r[0].as_string();
        rl.return_state = state_from_name(r[1].as_string()).value_or(State::open);
        rl.line = line_from_row(std::vector<V>(r.begin() + 2, r.end()));
        out.push_back(std::move(rl));
    }
    return out;
}

}  // namespace till::domain::orders
