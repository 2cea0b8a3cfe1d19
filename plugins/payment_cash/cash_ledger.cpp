#include "cash_ledger.hpp"

namespace till::payment_cash {

using namespace till::sdk;

Migration cash_migration() {
    Migration m;
    m.version = 1;
    m.description = "payment_cash: answered request keys";
    m.sql_sqlite =
        "CREATE TABLE payment_cash_requests ("
        " idempotency_key TEXT PRIMARY KEY,"
        " operation TEXT NOT NULL,"
        " order_id TEXT NOT NULL,"
        " amount_minor BIGINT NOT NULL,"
        " currency TEXT NOT NULL,"
        " reference TEXT NOT NULL,"
        " original_reference TEXT NOT NULL,"
        " created_utc_ms BIGINT NOT NULL)";
    return m;
}

namespace {
CashEntry entry_from(const std::vector<Value>& row) {
    CashEntry e;
    e.idempotency_key = row[0].as_string();
    e.operation = row[1].as_string();
    e.order_id = row[2].as_string();
    e.amount_minor = row[3].as_int();
    e.currency = row[4].as_string();
    e.reference = row[5].as_string();
    e.original_reference = row[6].as_string();
    e.created_utc_ms = row[7].as_int();
    return e;
}
constexpr const char* kSelect =
    "SELECT idempotency_key, operation, order_id, amount_minor, currency, reference, original_reference, "
    "created_utc_ms FROM payment_cash_requests WHERE idempotency_key = ?";
}  // namespace

Result<std::pair<CashEntry, bool>> CashLedger::remember(const CashEntry& entry) {
    std::pair<CashEntry, bool> out;
    // Relaxed: the kernel's payments ledger is the record of money; this one
    // only answers a repeated key, and the kernel's settling commit right
    // after forces it to disk anyway.
    auto s = storage_.relaxed_transaction([&](SqlExecutor& tx) -> Status {
        auto inserted = tx.execute(
            "INSERT INTO payment_cash_requests (idempotency_key, operation, order_id, amount_minor, currency, "
            "reference, original_reference, created_utc_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (idempotency_key) DO NOTHING",
            {entry.idempotency_key, entry.operation, entry.order_id, entry.amount_minor, entry.currency,
             entry.reference, entry.original_reference, entry.created_utc_ms});
        if (!inserted) return inserted.status();
        auto row = tx.query(kSelect, {entry.idempotency_key});
        if (!row) return row.status();
        if (row->rows.empty()) return Status::failure("storage_error", "cash request vanished");
        out.first = entry_from(row->rows.front());
        out.second = *inserted == 1;
        return {};
    });
    if (!s.ok()) return s.error();
    return out;
}

Result<std::optional<CashEntry>> CashLedger::find(const std::string& idempotency_key) {
    auto row = storage_.query(kSelect, {idempotency_key});
    if (!row) return row.error();
    if (row->rows.empty()) return std::optional<CashEntry>();
    return std::optional<CashEntry>(entry_from(row->rows.front()));
}

}  // namespace till::payment_cash
