#include "domain/audit/audit_trail.hpp"

#include "storage/migrations.hpp"

namespace till::domain::audit {

const std::vector<sdk::Migration>& audit_migrations() {
    static const std::vector<sdk::Migration> migrations = {
        {1, "audit log and its chain head",
         "CREATE TABLE audit_log ("
         " seq BIGINT PRIMARY KEY,"
         " time_utc_ms BIGINT NOT NULL,"
         " actor_user_id TEXT NOT NULL,"
         " action TEXT NOT NULL,"
         " subject TEXT NOT NULL,"
         " reason TEXT NOT NULL,"
         " authorized_by TEXT NOT NULL,"
         " terminal_id TEXT NOT NULL,"
         " details TEXT NOT NULL,"
         " prev_hash TEXT NOT NULL,"
         " hash TEXT NOT NULL);"
         "CREATE INDEX audit_log_action ON audit_log (action, seq);"
         "CREATE TABLE audit_head ("
         " id INTEGER PRIMARY KEY CHECK (id = 1),"
         " seq BIGINT NOT NULL,"
         " hash TEXT NOT NULL);"
         "INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '" +
             std::string(kGenesisHash) + "')",
         ""},
    };
    return migrations;
}

AuditTrail::AuditTrail(DomainContext& ctx) : ctx_(ctx) {}

sdk::Status AuditTrail::start() { return storage::apply_migrations(ctx_.storage, "domain.audit", audit_migrations()); }

sdk::Status AuditTrail::append(sdk::SqlExecutor& tx, const AuditEntry& entry) {
    // PostgreSQL: the row lock makes concurrent appenders wait for each
    // other; READ COMMITTED then re-reads the head the winner wrote.
    const bool postgres = ctx_.storage.dialect() == sdk::Dialect::postgresql;
    auto head = tx.query(postgres ? "SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE"
                                  : "SELECT seq, hash FROM audit_head WHERE id = 1");
    if (!head) return head.status();
    if (head->rows.empty())
        return sdk::Status::failure("storage_error", "audit_head is missing: the audit log cannot be appended to");

    StoredEntry e;
    e.seq = head->rows[0].at(0).as_int() + 1;
    e.time_utc_ms = ctx_.clock.now_utc_ms();
    e.actor_user_id = entry.actor_user_id;
    e.action = entry.action;
    e.subject = entry.subject;
    e.reason = entry.reason;
    e.authorized_by = entry.authorized_by;
    e.terminal_id = entry.terminal_id;
    e.details_json = entry.details.is_null() ? std::string("{}") : entry.details.to_json();
    e.prev_hash = head->rows[0].at(1).as_string();
    e.hash = compute_hash(e);

    auto inserted = tx.execute(
        "INSERT INTO audit_log (seq, time_utc_ms, actor_user_id, action, subject, reason, authorized_by, "
        "terminal_id, details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        {e.seq, e.time_utc_ms, e.actor_user_id, e.action, e.subject, e.reason, e.authorized_by, e.terminal_id,
         e.details_json, e.prev_hash, e.hash});
    if (!inserted) return inserted.status();
    auto moved = tx.execute("UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1", {e.seq, e.hash});
    if (!moved) return moved.status();
    return sdk::Status::success();
}

sdk::Result<std::vector<StoredEntry>> AuditTrail::list(std::int64_t after_seq, std::int64_t limit) {
    return read_entries(ctx_.storage, after_seq, limit);
}

sdk::Result<ChainReport> AuditTrail::verify() { return verify_chain(ctx_.storage); }

sdk::Value entry_to_value(const StoredEntry& e) {
    sdk::Value v = sdk::Value::map();
    v.set("seq", e.seq);
    v.set("time_utc_ms", e.time_utc_ms);
    v.set("actor_user_id", e.actor_user_id);
    v.set("action", e.action);
    v.set("subject", e.subject);
    v.set("reason", e.reason);
    v.set("authorized_by", e.authorized_by);
    v.set("terminal_id", e.terminal_id);
    auto details = sdk::Value::parse_json(e.details_json);
    v.set("details", details ? details.value() : sdk::Value(e.details_json));
    v.set("prev_hash", e.prev_hash);
    v.set("hash", e.hash);
    return v;
}

}  // namespace till::domain::audit
