#include "domain/payments/payment_ledger.hpp"

#include <map>

namespace till::domain::payments {
namespace {

constexpr const char* kSelect =
    "SELECT p.payment_id, p.idempotency_key, p.request_json, p.order_id, p.kind, p.method_id, p.currency, "
    "p.amount_minor, p.due_minor, p.rounding_minor, p.tendered_minor, p.change_minor, p.tip_minor, "
    "p.original_payment_id, p.session_id, p.terminal_id, p.user_id, p.authorized_by, p.created_utc_ms, "
    "e.step, e.time_utc_ms, e.status, e.approved_minor, e.applied_minor, e.reference, e.masked_pan, e.brand, "
    "e.message, e.details_json, e.user_id, e.approved_tip_minor "
    "FROM payments p JOIN payment_events e ON e.payment_id = p.payment_id "
    "AND e.step = (SELECT MAX(x.step) FROM payment_events x WHERE x.payment_id = p.payment_id) ";

sdk::Value parse_details(const std::string& text) {
    if (text.empty()) return {};
    auto v = sdk::Value::parse_json(text);
    return v ? *v : sdk::Value();
}

// Columns at..at+9 of a payment_events row (see kSelect); the approved tip
// of a row written before it had its own column follows approved_tip()'s
// rule from what the row kept.
PaymentOutcomeRecord outcome_from(const std::vector<sdk::Value>& row, std::size_t at, std::int64_t tip_minor,
                                  std::int64_t due_minor) {
    PaymentOutcomeRecord o;
    o.status = parse_status(row[at].as_string()).value_or(PaymentStatus::pending);
    o.approved_minor = row[at + 1].as_int();
    o.applied_minor = row[at + 2].as_int();
    o.reference = row[at + 3].as_string();
    o.masked_pan = row[at + 4].as_string();
    o.brand = row[at + 5].as_string();
    o.message = row[at + 6].as_string();
    o.details = parse_details(row[at + 7].as_string());
    o.user_id = row[at + 8].as_string();
    if (!row[at + 9].is_null())
        o.approved_tip_minor = row[at + 9].as_int();
    else if (o.status == PaymentStatus::approved)
        o.approved_tip_minor = approved_tip(o.details, tip_minor, o.approved_minor >= due_minor);
    return o;
}

PaymentRecord record_from(const std::vector<sdk::Value>& row) {
    PaymentRecord r;
    r.payment_id = row[0].as_string();
    r.idempotency_key = row[1].as_string();
    r.request_json = row[2].as_string();
    r.order_id = row[3].as_string();
    r.kind = row[4].as_string() == "refund" ? PaymentKind::refund : PaymentKind::sale;
    r.method_id = row[5].as_string();
    r.currency = row[6].as_string();
    r.amount_minor = row[7].as_int();
    r.due_minor = row[8].as_int();
    r.rounding_minor = row[9].as_int();
    r.tendered_minor = row[10].as_int();
    r.change_minor = row[11].as_int();
    r.tip_minor = row[12].as_int();
    r.original_payment_id = row[13].as_string();
    r.session_id = row[14].as_string();
    r.terminal_id = row[15].as_string();
    r.user_id = row[16].as_string();
    r.authorized_by = row[17].as_string();
    r.created_utc_ms = row[18].as_int();
    r.step = static_cast<int>(row[19].as_int());
    r.updated_utc_ms = row[20].as_int();
    r.outcome = outcome_from(row, 21, r.tip_minor, r.due_minor);
    return r;
}

sdk::Status insert_event(sdk::SqlExecutor& tx, const std::string& payment_id, int step,
                         const PaymentOutcomeRecord& o, std::int64_t time_utc_ms) {
    auto r = tx.execute(
        "INSERT INTO payment_events (payment_id, step, status, approved_minor, applied_minor, reference, "
        "masked_pan, brand, message, details_json, user_id, time_utc_ms, approved_tip_minor) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        {payment_id, step, status_name(o.status), o.approved_minor, o.applied_minor, o.reference, o.masked_pan,
         o.brand, o.message, o.details.is_null() ? std::string() : o.details.to_json(), o.user_id, time_utc_ms,
         o.approved_tip_minor});
    return r.status();
}

}  // namespace

sdk::Status PaymentLedger::lock_order(sdk::SqlExecutor& tx, const std::string& order_id) const {
    if (dialect_ != sdk::Dialect::postgresql) return {};
    // pg_advisory_xact_lock returns void: wrap it so no void column comes back.
    auto r = tx.query("SELECT 1 AS locked FROM (SELECT pg_advisory_xact_lock(hashtext(CAST(? AS TEXT)))) AS l",
                      {"payments:" + order_id});
    return r.status();
}

sdk::Result<std::vector<PaymentRecord>> PaymentLedger::select(sdk::SqlExecutor& tx, const std::string& where,
                                                              const std::vector<sdk::Value>& params) const {
    auto r = tx.query(std::string(kSelect) + where, params);
    if (!r) return r.error();
    std::vector<PaymentRecord> out;
    out.reserve(r->rows.size());
    for (const auto& row : r->rows) out.push_back(record_from(row));
    return out;
}

sdk::Result<std::optional<PaymentRecord>> PaymentLedger::find(sdk::SqlExecutor& tx,
                                                              const std::string& payment_id) const {
    auto r = select(tx, "WHERE p.payment_id = ?", {payment_id});
    if (!r) return r.error();
    if (r->empty()) return std::optional<PaymentRecord>();
    return std::optional<PaymentRecord>(std::move(r->front()));
}

sdk::Result<std::optional<PaymentRecord>> PaymentLedger::find_by_key(sdk::SqlExecutor& tx,
                                                                     const std::string& key) const {
    auto r = select(tx, "WHERE p.idempotency_key = ?", {key});
    if (!r) return r.error();
    if (r->empty()) return std::optional<PaymentRecord>();
    return std::optional<PaymentRecord>(std::move(r->front()));
}

sdk::Result<std::vector<PaymentRecord>> PaymentLedger::for_order(sdk::SqlExecutor& tx,
                                                                 const std::string& order_id) const {
    return select(tx, "WHERE p.order_id = ? ORDER BY p.created_utc_ms, p.payment_id", {order_id});
}

sdk::Result<std::vector<PaymentRecord>> PaymentLedger::refunds_of(sdk::SqlExecutor& tx,
                                                                  const std::string& original_payment_id) const {
    return select(tx, "WHERE p.original_payment_id = ? AND p.kind = 'refund' ORDER BY p.created_utc_ms, p.payment_id",
                  {original_payment_id});
}

sdk::Result<std::vector<PaymentRecord>> PaymentLedger::open_attempts(sdk::SqlExecutor& tx,
                                                                     std::int64_t created_by_utc_ms,
                                                                     const OpenCursor& after, std::size_t limit) const {
    return select(tx,
                  "WHERE e.status IN ('pending', 'uncertain') AND p.created_utc_ms <= ? "
                  "AND (p.created_utc_ms > ? OR (p.created_utc_ms = ? AND p.payment_id > ?)) "
                  "ORDER BY p.created_utc_ms, p.payment_id LIMIT " + std::to_string(limit),
                  {created_by_utc_ms, after.created_utc_ms, after.created_utc_ms, after.payment_id});
}

sdk::Result<std::vector<PaymentEventRow>> PaymentLedger::history(sdk::SqlExecutor& tx,
                                                                 const std::string& payment_id) const {
    auto r = tx.query(
        "SELECT e.step, e.time_utc_ms, e.status, e.approved_minor, e.applied_minor, e.reference, e.masked_pan, "
        "e.brand, e.message, e.details_json, e.user_id, e.approved_tip_minor, p.tip_minor, p.due_minor "
        "FROM payment_events e JOIN payments p ON p.payment_id = e.payment_id WHERE e.payment_id = ? ORDER BY e.step",
        {payment_id});
    if (!r) return r.error();
    std::vector<PaymentEventRow> out;
    for (const auto& row : r->rows) {
        PaymentEventRow e;
        e.step = static_cast<int>(row[0].as_int());
        e.time_utc_ms = row[1].as_int();
        e.outcome = outcome_from(row, 2, row[12].as_int(), row[13].as_int());
        out.push_back(std::move(e));
    }
    return out;
}

sdk::Status PaymentLedger::insert(sdk::SqlExecutor& tx, const PaymentRecord& p) const {
    auto r = tx.execute(
        "INSERT INTO payments (payment_id, idempotency_key, request_json, order_id, kind, method_id, currency, "
        "amount_minor, due_minor, rounding_minor, tendered_minor, change_minor, tip_minor, original_payment_id, "
        "session_id, terminal_id, user_id, authorized_by, created_utc_ms) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (idempotency_key) DO NOTHING",
        {p.payment_id, p.idempotency_key, p.request_json, p.order_id, kind_name(p.kind), p.method_id, p.currency,
         p.amount_minor, p.due_minor, p.rounding_minor, p.tendered_minor, p.change_minor, p.tip_minor,
         p.original_payment_id, p.session_id, p.terminal_id, p.user_id, p.authorized_by, p.created_utc_ms});
    if (!r) return r.status();
    // Another node (PostgreSQL: its own KeyFlights and, for another order,
    // its own order lock) committed this key first: a client's conflict, not
    // a storage fault.
    if (*r == 0)
        return sdk::Status::failure("conflict", "idempotency_key " + p.idempotency_key +
                                                    " was used meanwhile; send the request again to get its result");
    PaymentOutcomeRecord pending;
    pending.status = PaymentStatus::pending;
    pending.user_id = p.user_id;
    return insert_event(tx, p.payment_id, 1, pending, p.created_utc_ms);
}

sdk::Status PaymentLedger::append(sdk::SqlExecutor& tx, const PaymentRecord& current,
                                  const PaymentOutcomeRecord& next, std::int64_t time_utc_ms) const {
    if (!may_follow(current.outcome.status, next.status))
        return sdk::Status::failure("invalid_state", std::string("payment ") + current.payment_id + " is " +
                                                         status_name(current.outcome.status) + " and cannot become " +
                                                         status_name(next.status));
    return insert_event(tx, current.payment_id, current.step + 1, next, time_utc_ms);
}

sdk::Result<std::vector<TenderTotals>> PaymentLedger::tender_totals(sdk::SqlExecutor& tx,
                                                                    const std::string& session_id) const {
    auto rows =
        select(tx, "WHERE p.session_id = ? ORDER BY p.method_id, p.created_utc_ms, p.payment_id", {session_id});
    if (!rows) return rows.error();
    std::map<std::string, TenderTotals> by_method;
    for (const auto& p : *rows) {
        if (is_open(p.outcome.status)) {
            TenderTotals& t = by_method[p.method_id];
            t.method_id = p.method_id;
            ++t.pending_count;
            t.pending_payment_ids.push_back(p.payment_id);
            continue;
        }
        if (p.outcome.status != PaymentStatus::approved) continue;
        TenderTotals& t = by_method[p.method_id];
        t.method_id = p.method_id;
        // What moved minus what counted against the order: the cash rounding
        // (0 for other methods and for a partial approval).
        const std::int64_t rounding = p.outcome.approved_minor - p.outcome.applied_minor;
        if (p.kind == PaymentKind::sale) {
            ++t.sales_count;
            t.sales_minor += p.outcome.approved_minor;
            t.tips_minor += p.outcome.approved_tip_minor;  // not the requested tip: see approved_tip()
            t.rounding_minor += rounding;
        } else {
            ++t.refunds_count;
            t.refunds_minor += p.outcome.approved_minor;
            t.rounding_minor -= rounding;
        }
    }
    std::vector<TenderTotals> out;
    for (auto& [id, t] : by_method) out.push_back(t);
    return out;
}

OrderPaymentSums sum_payments(const std::vector<PaymentRecord>& payments) {
    OrderPaymentSums s;
    for (const auto& p : payments) {
        const std::int64_t sign = p.kind == PaymentKind::sale ? 1 : -1;
        if (p.outcome.status == PaymentStatus::approved)
            s.applied_minor += sign * p.outcome.applied_minor;
        else if (is_open(p.outcome.status))
            s.reserved_minor += sign * p.amount_minor;
    }
    return s;
}

}  // namespace till::domain::payments
