// The node's database: a Poco::Data session pool over SQLite (default, a file
// in the data dir, WAL, synchronous=FULL) or PostgreSQL (`postgresql://` URL).
// Implements sdk::Storage, so plugins and the kernel use the same API.
// Poco stays out of this header.
#pragma once

#include <memory>
#include <string>

#include "till/sdk/storage.hpp"

namespace till::storage {

struct StorageSettings {
    std::string url;          ///< "" = sqlite at <data_dir>/till.db; "sqlite:PATH"; "postgresql://user:pass@host:port/db"
    std::string data_dir;     ///< absolute; base for relative sqlite paths
    int pool_size = 4;
    int busy_timeout_ms = 5000;
};

class Database final : public sdk::Storage {
public:
    /// Connects (and creates the SQLite file if needed). Errors name the URL
    /// without its password.
    static sdk::Result<std::unique_ptr<Database>> open(const StorageSettings& settings);
    ~Database() override;

    sdk::Dialect dialect() const noexcept override;
    sdk::Result<sdk::QueryResult> query(std::string_view sql, const std::vector<sdk::Value>& params = {}) override;
    sdk::Result<std::int64_t> execute(std::string_view sql, const std::vector<sdk::Value>& params = {}) override;
    /// Not re-entrant: calling transaction() (or query/execute on this
    /// Database rather than on the given executor) from inside `work` takes
    /// a second connection, which is not part of the transaction and, with
    /// SQLite, waits for the first one's write lock. Use the executor.
    sdk::Status transaction(const std::function<sdk::Status(sdk::SqlExecutor&)>& work) override;
    sdk::Status relaxed_transaction(const std::function<sdk::Status(sdk::SqlExecutor&)>& work) override;

    /// "sqlite:/abs/path/till.db" or "postgresql://user@host:port/db" (no password).
    std::string describe() const;

private:
    Database();
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace till::storage
