#include "domain/registers/register_schema.hpp"

namespace till::domain::registers {

namespace {

// Same text on both backends: TEXT ids, BIGINT money and times.
// register_registers is the per-register row every change locks first: it
// holds the open session (at most one) and the next Z number, so numbers are
// handed out in the closing transaction and roll back with it.
const char* const kV1 = R"SQL(
CREATE TABLE register_registers (
  register_id TEXT PRIMARY KEY,
  current_session_id TEXT NULL,
  next_z_number BIGINT NOT NULL DEFAULT 1,
  first_seen_utc_ms BIGINT NOT NULL,
  updated_utc_ms BIGINT NOT NULL
);
CREATE TABLE register_sessions (
  session_id TEXT PRIMARY KEY,
  register_id TEXT NOT NULL,
  state TEXT NOT NULL,
  currency TEXT NOT NULL,
  opening_float_minor BIGINT NOT NULL,
  opened_by_user_id TEXT NOT NULL,
  opened_by_name TEXT NOT NULL,
  opened_utc_ms BIGINT NOT NULL,
  open_note TEXT NOT NULL,
  closed_by_user_id TEXT NULL,
  closed_by_name TEXT NULL,
  closed_utc_ms BIGINT NULL,
  counted_minor BIGINT NULL,
  expected_cash_minor BIGINT NULL,
  variance_minor BIGINT NULL,
  close_note TEXT NULL,
  z_number BIGINT NULL
);
CREATE UNIQUE INDEX register_sessions_one_open ON register_sessions (register_id) WHERE state = 'open';
CREATE INDEX register_sessions_by_register ON register_sessions (register_id, opened_utc_ms);
CREATE TABLE register_cash_movements (
  movement_id TEXT PRIMARY KEY,
  session_id TEXT NOT NULL,
  register_id TEXT NOT NULL,
  direction TEXT NOT NULL,
  amount_minor BIGINT NOT NULL,
  reason_code TEXT NOT NULL,
  note TEXT NOT NULL,
  user_id TEXT NOT NULL,
  authorized_by TEXT NOT NULL,
  created_utc_ms BIGINT NOT NULL
);
CREATE INDEX register_cash_movements_by_session ON register_cash_movements (session_id);
CREATE TABLE register_no_sales (
  no_sale_id TEXT PRIMARY KEY,
  session_id TEXT NULL,
  register_id TEXT NOT NULL,
  reason TEXT NOT NULL,
  user_id TEXT NOT NULL,
  authorized_by TEXT NOT NULL,
  created_utc_ms BIGINT NOT NULL
);
CREATE INDEX register_no_sales_by_session ON register_no_sales (session_id);
CREATE TABLE register_z_reports (
  register_id TEXT NOT NULL,
  z_number BIGINT NOT NULL,
  session_id TEXT NOT NULL UNIQUE,
  created_utc_ms BIGINT NOT NULL,
  report_json TEXT NOT NULL,
  report_sha256 TEXT NOT NULL,
  PRIMARY KEY (register_id, z_number)
)
)SQL";

// Z reports refuse UPDATE and DELETE at the database too, not only by having
// no code path that does it. PostgreSQL: a trigger function (dollar-quoted,
// which the migration runner keeps whole). SQLite: a trigger body holds ';',
// which the migration runner would split, so its triggers are made by
// sqlite_immutability_statements() at start instead.
const char* const kV2Sqlite =
    "CREATE INDEX register_no_sales_by_register ON register_no_sales (register_id, created_utc_ms)";

const char* const kV2Postgresql = R"SQL(
CREATE INDEX register_no_sales_by_register ON register_no_sales (register_id, created_utc_ms);
CREATE FUNCTION register_z_reports_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'z reports are immutable'; END
$$;
CREATE TRIGGER register_z_reports_no_change BEFORE UPDATE OR DELETE ON register_z_reports
FOR EACH ROW EXECUTE FUNCTION register_z_reports_immutable()
)SQL";

}  // namespace

const std::vector<sdk::Migration>& register_migrations() {
    static const std::vector<sdk::Migration> migrations = {
        {1, "registers, sessions, cash movements, no-sales, z reports", kV1, ""},
        {2, "z reports refuse update and delete", kV2Sqlite, kV2Postgresql},
    };
    return migrations;
}

const std::vector<std::string>& sqlite_immutability_statements() {
    static const std::vector<std::string> statements = {
        "CREATE TRIGGER IF NOT EXISTS register_z_reports_no_update BEFORE UPDATE ON register_z_reports "
        "BEGIN SELECT RAISE(ABORT, 'z reports are immutable'); END",
        "CREATE TRIGGER IF NOT EXISTS register_z_reports_no_delete BEFORE DELETE ON register_z_reports "
        "BEGIN SELECT RAISE(ABORT, 'z reports are immutable'); END",
    };
    return statements;
}

}  // namespace till::domain::registers
