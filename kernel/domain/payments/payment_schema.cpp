#include "domain/payments/payment_schema.hpp"

#include "storage/migrations.hpp"

namespace till::domain::payments {
namespace {

// Shared column list; types valid on both backends (BIGINT for money and
// times, TEXT ids).
constexpr const char* kTables = R"SQL(
CREATE TABLE payments (
  payment_id TEXT PRIMARY KEY,
  idempotency_key TEXT NOT NULL UNIQUE,
  request_json TEXT NOT NULL,
  order_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  method_id TEXT NOT NULL,
  currency TEXT NOT NULL,
  amount_minor BIGINT NOT NULL,
  due_minor BIGINT NOT NULL,
  rounding_minor BIGINT NOT NULL,
  tendered_minor BIGINT NOT NULL,
  change_minor BIGINT NOT NULL,
  tip_minor BIGINT NOT NULL,
  original_payment_id TEXT NOT NULL,
  session_id TEXT NOT NULL,
  terminal_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  authorized_by TEXT NOT NULL,
  created_utc_ms BIGINT NOT NULL
);
CREATE INDEX payments_by_order ON payments (order_id);
CREATE INDEX payments_by_session ON payments (session_id);
CREATE INDEX payments_by_original ON payments (original_payment_id);
CREATE TABLE payment_events (
  payment_id TEXT NOT NULL REFERENCES payments (payment_id),
  step BIGINT NOT NULL,
  status TEXT NOT NULL,
  approved_minor BIGINT NOT NULL,
  applied_minor BIGINT NOT NULL,
  reference TEXT NOT NULL,
  masked_pan TEXT NOT NULL,
  brand TEXT NOT NULL,
  message TEXT NOT NULL,
  details_json TEXT NOT NULL,
  user_id TEXT NOT NULL,
  time_utc_ms BIGINT NOT NULL,
  PRIMARY KEY (payment_id, step)
)
)SQL";

constexpr const char* kPostgresGuards = R"SQL(;
CREATE FUNCTION payments_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the payments ledger is append-only (% on %)', TG_OP, TG_TABLE_NAME;
END
$$;
CREATE TRIGGER payments_append_only BEFORE UPDATE OR DELETE ON payments
  FOR EACH ROW EXECUTE FUNCTION payments_append_only();
CREATE TRIGGER payment_events_append_only BEFORE UPDATE OR DELETE ON payment_events
  FOR EACH ROW EXECUTE FUNCTION payments_append_only()
)SQL";

// A trigger body holds ';', which the migration runner splits on: these run
// one statement per execute() (SQLite prepares a whole CREATE TRIGGER).
constexpr const char* kSqliteGuards[] = {
    "CREATE TRIGGER IF NOT EXISTS payments_no_update BEFORE UPDATE ON payments "
    "BEGIN SELECT RAISE(ABORT, 'the payments ledger is append-only (UPDATE on payments)'); END",
    "CREATE TRIGGER IF NOT EXISTS payments_no_delete BEFORE DELETE ON payments "
    "BEGIN SELECT RAISE(ABORT, 'the payments ledger is append-only (DELETE on payments)'); END",
    "CREATE TRIGGER IF NOT EXISTS payment_events_no_update BEFORE UPDATE ON payment_events "
    "BEGIN SELECT RAISE(ABORT, 'the payments ledger is append-only (UPDATE on payment_events)'); END",
    "CREATE TRIGGER IF NOT EXISTS payment_events_no_delete BEFORE DELETE ON payment_events "
    "BEGIN SELECT RAISE(ABORT, 'the payments ledger is append-only (DELETE on payment_events)'); END",
};

// The tip each state approved (payment_record.hpp, approved_tip). Nullable:
// rows written before this column have NULL, read back with the same rule
// from what they kept (details_json, approved vs due) — the ledger is
// append-only, so they are never back-filled. ADD COLUMN updates no row and
// fires no trigger on either backend.
constexpr const char* kApprovedTip = "ALTER TABLE payment_events ADD COLUMN approved_tip_minor BIGINT";

// Open attempts by age, for the resolver.
constexpr const char* kOpenIndex = "CREATE INDEX payments_by_created ON payments (created_utc_ms)";

}  // namespace

const std::vector<sdk::Migration>& payment_migrations() {
    static const std::vector<sdk::Migration> migrations = {
        {1, "payments ledger: attempts and their append-only events", kTables,
         std::string(kTables) + kPostgresGuards},
        {2, "payments ledger: the tip each state approved; attempts by age",
         std::string(kApprovedTip) + ";\n" + kOpenIndex, ""},
    };
    return migrations;
}

sdk::Status apply_payment_schema(sdk::Storage& storage) {
    if (auto s = storage::apply_migrations(storage, "domain.payments", payment_migrations()); !s.ok()) return s;
    if (storage.dialect() == sdk::Dialect::sqlite) {
        for (const char* sql : kSqliteGuards)
            if (auto r = storage.execute(sql); !r.ok()) return r.status();
    }
    return {};
}

}  // namespace till::domain::payments
