// Turns StorageSettings into what Poco::Data needs: connector name and
// connection string, plus a description safe to show (no password).
#pragma once

#include <string>

#include "storage/database.hpp"
#include "till/sdk/status.hpp"
#include "till/sdk/storage.hpp"

namespace till::storage::detail {

struct ConnectionTarget {
    sdk::Dialect dialect = sdk::Dialect::sqlite;
    std::string connector;          ///< "SQLite" or "PostgreSQL"
    std::string connection_string;  ///< file path, or libpq "key='value' ..." (holds the password)
    std::string description;        ///< "sqlite:/abs/path" or "postgresql://user@host:port/db"
    std::string password;           ///< to scrub from messages; "" when none
};

/// SQLite: "" -> <data_dir>/till.db; "sqlite:PATH" relative to data_dir or
/// absolute; "sqlite::memory:" refused. PostgreSQL:
/// postgresql://[user[:password]@][host][:port][/dbname][?key=value&...],
/// percent-decoded. Does not touch the file system.
sdk::Result<ConnectionTarget> parse_storage_url(const StorageSettings& settings);

/// `text` with every occurrence of `secret` replaced by "***".
std::string scrub(std::string text, const std::string& secret);

}  // namespace till::storage::detail
