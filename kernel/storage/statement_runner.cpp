#include "storage/statement_runner.hpp"

#include <Poco/Data/MetaColumn.h>
#include <Poco/Data/RecordSet.h>
#include <Poco/Data/SQLite/Utility.h>
#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <Poco/Exception.h>
#include <sqlite3.h>

#include <cctype>
#include <memory>

#include "storage/sql_text.hpp"

namespace till::storage::detail {
namespace {

using Poco::Data::MetaColumn;

[[noreturn]] void fail_storage(const std::string& what, std::string_view sql) {
    throw StorageFailure("storage_error", with_sql(what, sql));
}

struct StmtFinalizer {
    void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};

bool only_trailing_noise(const char* tail) {
    if (!tail) return true;
    return count_placeholders(tail) == 0 && split_statements(tail).empty();
}

sdk::Value sqlite_column(sqlite3_stmt* stmt, int col, std::string_view sql) {
    switch (sqlite3_column_type(stmt, col)) {
        case SQLITE_INTEGER:
            return sdk::Value(static_cast<long long>(sqlite3_column_int64(stmt, col)));
        case SQLITE_TEXT: {
            const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, col));
            return sdk::Value(std::string(text ? text : "", static_cast<std::size_t>(sqlite3_column_bytes(stmt, col))));
        }
        case SQLITE_BLOB: {
            const auto* bytes = static_cast<const char*>(sqlite3_column_blob(stmt, col));
            return sdk::Value(std::string(bytes ? bytes : "", static_cast<std::size_t>(sqlite3_column_bytes(stmt, col))));
        }
        case SQLITE_NULL:
            return sdk::Value();
        default:
            throw StorageFailure("storage_error",
                                 with_sql(std::string("unsupported column type (floating point) in column \"") +
                                              sqlite3_column_name(stmt, col) +
                                              "\": store money and quantities as integers",
                                          sql));
    }
}

sdk::Value pg_cell(Poco::Data::RecordSet& rs, std::size_t col, std::size_t row, std::string_view sql) {
    if (rs.isNull(col, row)) return sdk::Value();
    const Poco::Dynamic::Var& v = rs.value(col, row);
    switch (rs.columnType(col)) {
        case MetaColumn::FDT_BOOL:
            return sdk::Value(v.convert<bool>());
        case MetaColumn::FDT_INT8:
        case MetaColumn::FDT_UINT8:
        case MetaColumn::FDT_INT16:
        case MetaColumn::FDT_UINT16:
        case MetaColumn::FDT_INT32:
        case MetaColumn::FDT_UINT32:
        case MetaColumn::FDT_INT64:
        case MetaColumn::FDT_UINT64:
            // Always through Int64: a narrower type silently truncates.
            return sdk::Value(static_cast<long long>(v.convert<Poco::Int64>()));
        case MetaColumn::FDT_BLOB: {
            const auto& blob = v.extract<Poco::Data::BLOB>();
            return sdk::Value(std::string(reinterpret_cast<const char*>(blob.rawContent()), blob.size()));
        }
        case MetaColumn::FDT_CLOB: {
            const auto& clob = v.extract<Poco::Data::CLOB>();
            return sdk::Value(std::string(clob.rawContent(), clob.size()));
        }
        case MetaColumn::FDT_STRING:
        case MetaColumn::FDT_UNKNOWN:
            return sdk::Value(v.convert<std::string>());
        case MetaColumn::FDT_FLOAT:
        case MetaColumn::FDT_DOUBLE:
            throw StorageFailure("storage_error",
                                 with_sql("unsupported column type (floating point or NUMERIC) in column \"" +
                                              rs.columnName(col) + "\": store money and quantities as integers",
                                          sql));
        default:
            throw StorageFailure("storage_error",
                                 with_sql("unsupported column type in column \"" + rs.columnName(col) +
                                              "\" (dates and times are stored as integer UTC milliseconds)",
                                          sql));
    }
}

}  // namespace

std::string with_sql(const std::string& what, std::string_view sql) {
    std::string shown(sql.substr(0, 200));
    if (sql.size() > 200) shown += "...";
    return what + " (SQL: " + shown + ")";
}

void check_params(std::string_view sql, const std::vector<sdk::Value>& params) {
    std::size_t expected = count_placeholders(sql);
    if (expected != params.size())
        throw StorageFailure("invalid_argument", with_sql("statement has " + std::to_string(expected) +
                                                              " placeholder(s) but " + std::to_string(params.size()) +
                                                              " parameter(s) were given",
                                                          sql));
    for (std::size_t i = 0; i < params.size(); ++i) {
        if (params[i].is_list() || params[i].is_map())
            throw StorageFailure("invalid_argument",
                                 with_sql("parameter " + std::to_string(i + 1) + " is a " +
                                              sdk::Value::type_name(params[i].type()) +
                                              ": only null, boolean, integer and string can be bound",
                                          sql));
    }
}

StatementOutcome run_sqlite(Poco::Data::Session& session, std::string_view sql,
                            const std::vector<sdk::Value>& params) {
    check_params(sql, params);
    sqlite3* db = nullptr;
    try {
        db = Poco::Data::SQLite::Utility::dbHandle(session);
    } catch (const Poco::Exception& e) {
        fail_storage("no SQLite handle: " + e.displayText(), sql);
    }
    sqlite3_stmt* raw = nullptr;
    const char* tail = nullptr;
    int rc = sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &raw, &tail);
    std::unique_ptr<sqlite3_stmt, StmtFinalizer> stmt(raw);
    if (rc != SQLITE_OK) fail_storage(std::string("prepare failed: ") + sqlite3_errmsg(db), sql);
    StatementOutcome out;
    if (!stmt) return out;  // only whitespace or comments
    if (tail && tail < sql.data() + sql.size() &&
        !only_trailing_noise(std::string(tail, sql.data() + sql.size() - tail).c_str()))
        throw StorageFailure("invalid_argument", with_sql("one statement per call, please", sql));

    for (std::size_t i = 0; i < params.size(); ++i) {
        const sdk::Value& p = params[i];
        int pos = static_cast<int>(i + 1);
        switch (p.type()) {
            case sdk::Value::Type::null:
                rc = sqlite3_bind_null(stmt.get(), pos);
                break;
            case sdk::Value::Type::boolean:
                rc = sqlite3_bind_int64(stmt.get(), pos, p.as_bool() ? 1 : 0);
                break;
            case sdk::Value::Type::integer:
                rc = sqlite3_bind_int64(stmt.get(), pos, p.as_int());
                break;
            case sdk::Value::Type::string:
                rc = sqlite3_bind_text64(stmt.get(), pos, p.as_string().data(), p.as_string().size(),
                                         SQLITE_TRANSIENT, SQLITE_UTF8);
                break;
            default:
                rc = SQLITE_MISUSE;  // excluded by check_params
        }
        if (rc != SQLITE_OK) fail_storage("binding parameter " + std::to_string(pos) + " failed: " + sqlite3_errmsg(db), sql);
    }

    const int columns = sqlite3_column_count(stmt.get());
    for (int c = 0; c < columns; ++c) out.result.columns.emplace_back(sqlite3_column_name(stmt.get(), c));
    const sqlite3_int64 changes_before = sqlite3_total_changes64(db);
    for (;;) {
        rc = sqlite3_step(stmt.get());
        if (rc == SQLITE_DONE) break;
        if (rc != SQLITE_ROW) fail_storage(sqlite3_errmsg(db), sql);
        std::vector<sdk::Value> row;
        row.reserve(static_cast<std::size_t>(columns));
        for (int c = 0; c < columns; ++c) row.push_back(sqlite_column(stmt.get(), c, sql));
        out.result.rows.push_back(std::move(row));
    }
    // sqlite3_changes keeps the count of the last DML statement, so a DDL
    // statement would report it again: only trust it when something changed.
    if (sqlite3_total_changes64(db) != changes_before) out.rows_affected = sqlite3_changes64(db);
    return out;
}

StatementOutcome run_postgresql(Poco::Data::Session& session, std::string_view sql,
                                const std::vector<sdk::Value>& params) {
    check_params(sql, params);
    using namespace Poco::Data::Keywords;
    const std::string numbered = number_placeholders(sql);
    StatementOutcome out;
    try {
        Poco::Data::Statement stmt(session);
        stmt << numbered;
        for (const sdk::Value& p : params) {
            switch (p.type()) {
                case sdk::Value::Type::null:
                    stmt.addBind(use(Poco::Data::Keywords::null));
                    break;
                case sdk::Value::Type::boolean:
                    stmt.addBind(bind(static_cast<Poco::Int64>(p.as_bool() ? 1 : 0)));
                    break;
                case sdk::Value::Type::integer:
                    stmt.addBind(bind(static_cast<Poco::Int64>(p.as_int())));
                    break;
                default:
                    stmt.addBind(bind(p.as_string()));
            }
        }
        std::size_t n = stmt.execute();
        if (stmt.columnsExtracted() > 0) {
            Poco::Data::RecordSet rs(stmt);
            const std::size_t columns = rs.columnCount();
            const std::size_t rows = rs.rowCount();
            for (std::size_t c = 0; c < columns; ++c) out.result.columns.push_back(rs.columnName(c));
            out.result.rows.reserve(rows);
            for (std::size_t r = 0; r < rows; ++r) {
                std::vector<sdk::Value> row;
                row.reserve(columns);
                for (std::size_t c = 0; c < columns; ++c) row.push_back(pg_cell(rs, c, r, sql));
                out.result.rows.push_back(std::move(row));
            }
        } else {
            out.rows_affected = static_cast<std::int64_t>(n);
        }
    } catch (const StorageFailure&) {
        throw;
    } catch (const Poco::Exception& e) {
        std::string text = e.displayText();
        // PQprepare failing means the server never ran the statement; if the
        // connection is now bad, a retry on a fresh one is safe.
        bool before_run = text.find("postgresql_stmt_prepare error") != std::string::npos ||
                          text.find("Not connected") != std::string::npos;
        bool dead = false;
        try {
            dead = !session.isConnected();
        } catch (...) {
            dead = true;
        }
        throw StorageFailure("storage_error", with_sql(text, sql), dead && before_run);
    } catch (const std::exception& e) {
        fail_storage(e.what(), sql);
    }
    return out;
}

}  // namespace till::storage::detail
