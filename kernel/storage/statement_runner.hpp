// Runs one SQL statement on one Poco session and converts its result to
// sdk::Values. Internal to till_storage; throws StorageFailure (never lets a
// Poco exception out).
//
// SQLite statements go through the sqlite3 handle of the Poco session:
// Poco's SQLite RecordSet types columns by their declared type, so
// `SELECT COUNT(*)` comes back as a string and an `INT` column as a 32-bit
// value (silently truncated). sqlite3_column_type gives the stored type.
// PostgreSQL statements use Poco's Statement and RecordSet (types from OIDs).
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "till/sdk/storage.hpp"

namespace Poco::Data {
class Session;
}

namespace till::storage::detail {

struct StatementOutcome {
    sdk::QueryResult result;
    std::int64_t rows_affected = 0;
};

class StorageFailure : public std::runtime_error {
public:
    StorageFailure(std::string code, const std::string& message, bool connection_lost_before_run = false)
        : std::runtime_error(message), code_(std::move(code)), lost_before_run_(connection_lost_before_run) {}
    const std::string& code() const noexcept { return code_; }
    /// The connection was found dead before the statement reached the server:
    /// running it again on a fresh connection cannot run it twice.
    bool connection_lost_before_run() const noexcept { return lost_before_run_; }

private:
    std::string code_;
    bool lost_before_run_;
};

/// Checks the placeholder count and parameter types (invalid_argument).
void check_params(std::string_view sql, const std::vector<sdk::Value>& params);

StatementOutcome run_sqlite(Poco::Data::Session& session, std::string_view sql,
                            const std::vector<sdk::Value>& params);

/// `sql` uses `?`; it is renumbered to $1, $2, ... here.
StatementOutcome run_postgresql(Poco::Data::Session& session, std::string_view sql,
                                const std::vector<sdk::Value>& params);

/// "<what> (SQL: <first 200 chars of sql>)".
std::string with_sql(const std::string& what, std::string_view sql);

}  // namespace till::storage::detail
