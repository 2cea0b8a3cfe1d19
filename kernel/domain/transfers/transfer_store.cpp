#include "domain/transfers/transfer_store.hpp"

#include "domain/common/http_errors.hpp"

namespace till::domain::transfers {
namespace {

// Ids and store ids compare byte-wise on both backends.
constexpr const char* kSchema =
    "CREATE TABLE transfers ("
    " id TEXT {C} PRIMARY KEY,"
    " from_store TEXT NOT NULL,"
    " to_store TEXT NOT NULL,"
    " status TEXT NOT NULL,"
    " created_utc_ms BIGINT NOT NULL,"
    " updated_utc_ms BIGINT NOT NULL,"
    " version BIGINT NOT NULL,"
    " record TEXT NOT NULL);"
    "CREATE INDEX transfers_newest ON transfers (created_utc_ms, id);"
    "CREATE INDEX transfers_from ON transfers (from_store);"
    "CREATE INDEX transfers_to ON transfers (to_store)";

std::string schema_for(const std::string& collate) {
    std::string sql = kSchema;
    for (std::size_t at; (at = sql.find("{C}")) != std::string::npos;) sql.replace(at, 3, collate);
    return sql;
}

constexpr const char* kColumns = "id, version, created_utc_ms, updated_utc_ms, record";

sdk::Result<Transfer> from_row(const std::vector<sdk::Value>& row) {
    auto record = sdk::Value::parse_json(row.at(4).as_string());
    if (!record) return sdk::Error{"storage_error", "transfer " + row.at(0).as_string() + ": unreadable record"};
    auto t = transfer_from_record(*record);
    if (!t) return sdk::Error{"storage_error", "transfer " + row.at(0).as_string() + ": " + t.error().message};
    t->version = row.at(1).as_int();
    t->created_utc_ms = row.at(2).as_int();
    t->updated_utc_ms = row.at(3).as_int();
    return t;
}

}  // namespace

const std::vector<sdk::Migration>& transfer_migrations() {
    static const std::vector<sdk::Migration> migrations = {
        {1, "stock transfers between stores", schema_for(""), schema_for("COLLATE \"C\"")},
    };
    return migrations;
}

sdk::Result<std::optional<Transfer>> TransferStore::find(sdk::SqlExecutor& tx, const std::string& id,
                                                         Lock lock) const {
    std::string sql = std::string("SELECT ") + kColumns + " FROM transfers WHERE id = ?";
    if (lock == Lock::for_update && dialect_ == sdk::Dialect::postgresql) sql += " FOR UPDATE";
    auto rows = tx.query(sql, {id});
    if (!rows) return rows.error();
    if (rows->rows.empty()) return std::optional<Transfer>();
    auto t = from_row(rows->rows[0]);
    if (!t) return t.error();
    return std::optional<Transfer>(std::move(*t));
}

sdk::Status TransferStore::insert(sdk::SqlExecutor& tx, const Transfer& t) const {
    auto n = tx.execute(
        "INSERT INTO transfers (id, from_store, to_store, status, created_utc_ms, updated_utc_ms, version, record) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        {t.id, t.from_store, t.to_store, t.status, t.created_utc_ms, t.updated_utc_ms, t.version,
         transfer_record(t).to_json()});
    return n.status();
}

sdk::Result<bool> TransferStore::update(sdk::SqlExecutor& tx, const Transfer& t, std::int64_t expected_version) const {
    auto n = tx.execute(
        "UPDATE transfers SET from_store = ?, to_store = ?, status = ?, updated_utc_ms = ?, version = ?, record = ? "
        "WHERE id = ? AND version = ?",
        {t.from_store, t.to_store, t.status, t.updated_utc_ms, t.version, transfer_record(t).to_json(), t.id,
         expected_version});
    if (!n) return n.error();
    return *n == 1;
}

sdk::Result<ListPage> TransferStore::list(sdk::SqlExecutor& sql, const ListQuery& query) const {
    std::string where = " WHERE 1 = 1";
    std::vector<sdk::Value> params;
    if (!query.status.empty()) {
        where += " AND status = ?";
        params.emplace_back(query.status);
    }
    if (!query.store.empty()) {
        where += " AND (from_store = ? OR to_store = ?)";
        params.emplace_back(query.store);
        params.emplace_back(query.store);
    }
    auto count = sql.query("SELECT COUNT(*) FROM transfers" + where, params);
    if (!count) return count.error();
    ListPage page;
    page.total = count->rows.at(0).at(0).as_int();
    params.emplace_back(query.limit);
    params.emplace_back(query.offset);
    auto rows = sql.query(std::string("SELECT ") + kColumns + " FROM transfers" + where +
                              " ORDER BY created_utc_ms DESC, id DESC LIMIT ? OFFSET ?",
                          params);
    if (!rows) return rows.error();
    for (const auto& row : rows->rows) {
        auto t = from_row(row);
        if (!t) return t.error();
        page.items.push_back(std::move(*t));
    }
    return page;
}

}  // namespace till::domain::transfers
