#include "domain/registers/register_store.hpp"

namespace till::domain::registers {

namespace {

using sdk::Value;

std::string text(const Value& v) { return v.is_string() ? v.as_string() : std::string(); }
std::int64_t integer(const Value& v) { return v.as_int(0); }
Value nullable(const std::string& s) { return s.empty() ? Value() : Value(s); }

const char* const kSessionColumns =
    "session_id, register_id, state, currency, opening_float_minor, opened_by_user_id, opened_by_name, "
    "opened_utc_ms, open_note, closed_by_user_id, closed_by_name, closed_utc_ms, counted_minor, "
    "expected_cash_minor, variance_minor, close_note, z_number";

SessionRow session_from(const std::vector<Value>& r) {
    SessionRow s;
    s.session_id = text(r[0]);
    s.register_id = text(r[1]);
    s.state = text(r[2]);
    s.currency = text(r[3]);
    s.opening_float_minor = integer(r[4]);
    s.opened_by_user_id = text(r[5]);
    s.opened_by_name = text(r[6]);
    s.opened_utc_ms = integer(r[7]);
    s.open_note = text(r[8]);
    s.closed_by_user_id = text(r[9]);
    s.closed_by_name = text(r[10]);
    s.closed_utc_ms = integer(r[11]);
    s.counted_minor = integer(r[12]);
    s.expected_cash_minor = integer(r[13]);
    s.variance_minor = integer(r[14]);
    s.close_note = text(r[15]);
    s.z_number = integer(r[16]);
    return s;
}

RegisterRow register_from(const std::vector<Value>& r) {
    RegisterRow row;
    row.register_id = text(r[0]);
    row.current_session_id = text(r[1]);
    row.next_z_number = integer(r[2]);
    row.first_seen_utc_ms = integer(r[3]);
    row.updated_utc_ms = integer(r[4]);
    return row;
}

ZReportRow z_from(const std::vector<Value>& r) {
    ZReportRow z;
    z.register_id = text(r[0]);
    z.z_number = integer(r[1]);
    z.session_id = text(r[2]);
    z.created_utc_ms = integer(r[3]);
    z.report_json = text(r[4]);
    z.report_sha256 = text(r[5]);
    return z;
}

sdk::Status done(const sdk::Result<std::int64_t>& r) { return r ? sdk::Status() : sdk::Status(r.error()); }

}  // namespace

sdk::Status RegisterStore::ensure_register(const std::string& register_id, std::int64_t now_utc_ms) {
    return done(tx_.execute(
        "INSERT INTO register_registers (register_id, current_session_id, next_z_number, first_seen_utc_ms, "
        "updated_utc_ms) VALUES (?, NULL, 1, ?, ?) ON CONFLICT (register_id) DO NOTHING",
        {register_id, now_utc_ms, now_utc_ms}));
}

sdk::Result<std::optional<RegisterRow>> RegisterStore::lock_register(const std::string& register_id) {
    std::string sql =
        "SELECT register_id, current_session_id, next_z_number, first_seen_utc_ms, updated_utc_ms "
        "FROM register_registers WHERE register_id = ?";
    if (dialect_ == sdk::Dialect::postgresql) sql += " FOR UPDATE";
    auto r = tx_.query(sql, {register_id});
    if (!r) return r.error();
    if (r->rows.empty()) return std::optional<RegisterRow>();
    return std::optional<RegisterRow>(register_from(r->rows[0]));
}

sdk::Result<std::optional<std::string>> RegisterStore::open_session_id(const std::string& register_id) {
    std::string sql = "SELECT current_session_id FROM register_registers WHERE register_id = ?";
    if (dialect_ == sdk::Dialect::postgresql) sql += " FOR SHARE";
    auto r = tx_.query(sql, {register_id});
    if (!r) return r.error();
    if (r->rows.empty()) return std::optional<std::string>();
    return std::optional<std::string>(text(r->rows[0][0]));
}

sdk::Result<std::vector<RegisterRow>> RegisterStore::all_registers() {
    auto r = tx_.query(
        "SELECT register_id, current_session_id, next_z_number, first_seen_utc_ms, updated_utc_ms "
        "FROM register_registers ORDER BY register_id");
    if (!r) return r.error();
    std::vector<RegisterRow> out;
    for (const auto& row : r->rows) out.push_back(register_from(row));
    return out;
}

sdk::Status RegisterStore::set_current_session(const std::string& register_id, const std::string& session_id,
                                               std::int64_t now_utc_ms) {
    return done(tx_.execute(
        "UPDATE register_registers SET current_session_id = ?, updated_utc_ms = ? WHERE register_id = ?",
        {nullable(session_id), now_utc_ms, register_id}));
}

sdk::Result<std::int64_t> RegisterStore::take_z_number(const std::string& register_id, std::int64_t now_utc_ms) {
    auto q = tx_.query("SELECT next_z_number FROM register_registers WHERE register_id = ?", {register_id});
    if (!q) return q.error();
    if (q->rows.empty()) return sdk::Error{"storage_error", "register " + register_id + " has no counter row"};
    const std::int64_t number = integer(q->rows[0][0]);
    auto u = tx_.execute(
        "UPDATE register_registers SET next_z_number = ?, updated_utc_ms = ? WHERE register_id = ? AND "
        "next_z_number = ?",
        {number + 1, now_utc_ms, register_id, number});
    if (!u) return u.error();
    if (u.value() != 1) return sdk::Error{"storage_error", "z counter of register " + register_id + " moved"};
    return number;
}

sdk::Status RegisterStore::insert_session(const SessionRow& s) {
    return done(tx_.execute(
        "INSERT INTO register_sessions (session_id, register_id, state, currency, opening_float_minor, "
        "opened_by_user_id, opened_by_name, opened_utc_ms, open_note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        {s.session_id, s.register_id, s.state, s.currency, s.opening_float_minor, s.opened_by_user_id,
         s.opened_by_name, s.opened_utc_ms, s.open_note}));
}

sdk::Result<std::optional<SessionRow>> RegisterStore::session(const std::string& session_id) {
    auto r = tx_.query(std::string("SELECT ") + kSessionColumns + " FROM register_sessions WHERE session_id = ?",
                       {session_id});
    if (!r) return r.error();
    if (r->rows.empty()) return std::optional<SessionRow>();
    return std::optional<SessionRow>(session_from(r->rows[0]));
}

sdk::Status RegisterStore::mark_closed(const SessionRow& s) {
    auto r = tx_.execute(
        "UPDATE register_sessions SET state = 'closed', closed_by_user_id = ?, closed_by_name = ?, "
        "closed_utc_ms = ?, counted_minor = ?, expected_cash_minor = ?, variance_minor = ?, close_note = ?, "
        "z_number = ? WHERE session_id = ? AND state = 'open'",
        {s.closed_by_user_id, s.closed_by_name, s.closed_utc_ms, s.counted_minor, s.expected_cash_minor,
         s.variance_minor, s.close_note, s.z_number, s.session_id});
    if (!r) return r.error();
    if (r.value() != 1) return sdk::Error{"invalid_state", "session " + s.session_id + " is not open"};
    return {};
}

sdk::Status RegisterStore::insert_cash_movement(const CashMovementRow& m) {
    return done(tx_.execute(
        "INSERT INTO register_cash_movements (movement_id, session_id, register_id, direction, amount_minor, "
        "reason_code, note, user_id, authorized_by, created_utc_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        {m.movement_id, m.session_id, m.register_id, m.direction, m.amount_minor, m.reason_code, m.note,
         m.user_id, m.authorized_by, m.created_utc_ms}));
}

sdk::Result<CashSummary> RegisterStore::cash_summary(const std::string& session_id) {
    auto r = tx_.query(
        "SELECT direction, reason_code, COUNT(*), CAST(SUM(amount_minor) AS BIGINT) FROM register_cash_movements "
        "WHERE session_id = ? GROUP BY direction, reason_code ORDER BY direction, reason_code",
        {session_id});
    if (!r) return r.error();
    CashSummary out;
    for (const auto& row : r->rows) {
        CashSummary::ByReason b{text(row[0]), text(row[1]), integer(row[2]), integer(row[3])};
        if (b.direction == "in") {
            out.in_count += b.count;
            out.in_minor += b.amount_minor;
        } else {
            out.out_count += b.count;
            out.out_minor += b.amount_minor;
        }
        out.by_reason.push_back(std::move(b));
    }
    return out;
}

sdk::Status RegisterStore::insert_no_sale(const std::string& no_sale_id, const std::string& session_id,
                                          const std::string& register_id, const std::string& reason,
                                          const std::string& user_id, const std::string& authorized_by,
                                          std::int64_t now_utc_ms) {
    return done(tx_.execute(
        "INSERT INTO register_no_sales (no_sale_id, session_id, register_id, reason, user_id, authorized_by, "
        "created_utc_ms) VALUES (?, ?, ?, ?, ?, ?, ?)",
        {no_sale_id, nullable(session_id), register_id, reason, user_id, authorized_by, now_utc_ms}));
}

sdk::Result<std::int64_t> RegisterStore::no_sale_count(const std::string& session_id) {
    auto r = tx_.query("SELECT COUNT(*) FROM register_no_sales WHERE session_id = ?", {session_id});
    if (!r) return r.error();
    return r->rows.empty() ? 0 : integer(r->rows[0][0]);
}

sdk::Status RegisterStore::insert_z_report(const ZReportRow& z) {
    return done(tx_.execute(
        "INSERT INTO register_z_reports (register_id, z_number, session_id, created_utc_ms, report_json, "
        "report_sha256) VALUES (?, ?, ?, ?, ?, ?)",
        {z.register_id, z.z_number, z.session_id, z.created_utc_ms, z.report_json, z.report_sha256}));
}

sdk::Result<std::optional<ZReportRow>> RegisterStore::z_report(const std::string& register_id,
                                                               std::int64_t z_number) {
    auto r = tx_.query(
        "SELECT register_id, z_number, session_id, created_utc_ms, report_json, report_sha256 "
        "FROM register_z_reports WHERE register_id = ? AND z_number = ?",
        {register_id, z_number});
    if (!r) return r.error();
    if (r->rows.empty()) return std::optional<ZReportRow>();
    return std::optional<ZReportRow>(z_from(r->rows[0]));
}

sdk::Result<std::vector<ZReportRow>> RegisterStore::z_reports(const std::string& register_id,
                                                              std::int64_t after_number, std::int64_t limit) {
    auto r = tx_.query(
        "SELECT register_id, z_number, session_id, created_utc_ms, report_json, report_sha256 "
        "FROM register_z_reports WHERE register_id = ? AND z_number > ? ORDER BY z_number LIMIT ?",
        {register_id, after_number, limit});
    if (!r) return r.error();
    std::vector<ZReportRow> out;
    for (const auto& row : r->rows) out.push_back(z_from(row));
    return out;
}

}  // namespace till::domain::registers
