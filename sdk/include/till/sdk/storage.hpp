// Till SDK — storage: the node's database (SQLite on a store, PostgreSQL at
// HQ or where configured).
//
// A plugin owns its own tables and creates them through migrations added in
// on_register (Registrar::add_migration). It never writes kernel tables: it
// goes through the Host services for those.
//
// SQL uses `?` placeholders on both backends (the kernel rewrites them for
// PostgreSQL). Parameters and results are Values: integers are int64,
// strings are text, null is NULL, booleans are stored as 0/1. Store money as
// integer minor units and times as integer UTC milliseconds.
//
// Thread-safety: Storage is safe to use from several threads; each call takes
// a connection from the node's pool. A Transaction is bound to one
// connection and must stay on the thread that began it.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "till/sdk/status.hpp"
#include "till/sdk/value.hpp"

namespace till::sdk {

enum class Dialect { sqlite, postgresql };

/// Rows of a query: column names, then one Value per column per row.
struct QueryResult {
    std::vector<std::string> columns;
    std::vector<std::vector<Value>> rows;
};

/// Statements run on one connection; see Storage::transaction.
class SqlExecutor {
public:
    virtual ~SqlExecutor();
    /// Runs a statement that returns rows.
    virtual Result<QueryResult> query(std::string_view sql, const std::vector<Value>& params = {}) = 0;
    /// Runs a statement that changes rows; returns the number of rows affected.
    virtual Result<std::int64_t> execute(std::string_view sql, const std::vector<Value>& params = {}) = 0;
};

/// One schema step of a module (the kernel or one plugin). Versions start at 1
/// and grow by one; applied versions are recorded in schema_migrations and
/// never run again. A database whose recorded version is newer than the code
/// makes the module fail to start rather than risk the data.
struct Migration {
    int version = 0;
    std::string description;
    std::string sql_sqlite;      ///< statements separated by ';'
    std::string sql_postgresql;  ///< empty = same as sql_sqlite
};

class Storage : public SqlExecutor {
public:
    ~Storage() override;
    virtual Dialect dialect() const noexcept = 0;
    /// Runs `work` inside one transaction on one connection. Commits when
    /// `work` returns success, rolls back when it fails or throws. A committed
    /// transaction is on disk (SQLite synchronous=FULL).
    virtual Status transaction(const std::function<Status(SqlExecutor&)>& work) = 0;
    /// Like transaction(), but the commit is not forced to the disk: it
    /// survives the process being killed, and may be lost on power loss
    /// until the next transaction() commit (which forces everything before
    /// it to disk too). For drafts such as an open cart — never for money.
    /// (SQLite: synchronous=NORMAL for this commit; PostgreSQL:
    /// synchronous_commit off for this transaction.) The default runs
    /// transaction().
    virtual Status relaxed_transaction(const std::function<Status(SqlExecutor&)>& work);
};

}  // namespace till::sdk
