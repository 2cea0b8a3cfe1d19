// Transfers in the node's database (module "domain.transfers", SQLite and
// PostgreSQL): one row per transfer with the columns lists filter on and
// the whole record as JSON. Every function runs on the caller's executor,
// so it takes part in the caller's transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/transfers/transfer_model.hpp"
#include "till/sdk/status.hpp"
#include "till/sdk/storage.hpp"

namespace till::domain::transfers {

/// The schema, in order (storage::apply_migrations(storage, "domain.transfers", ...)).
const std::vector<sdk::Migration>& transfer_migrations();

/// GET /api/v1/transfers: newest first.
struct ListQuery {
    std::string status;  ///< "" = any
    std::string store;   ///< "" = any; else from_store or to_store
    std::int64_t offset = 0;
    std::int64_t limit = 50;  ///< 1..500
};

struct ListPage {
    std::vector<Transfer> items;
    std::int64_t total = 0;  ///< matching transfers, all pages
};

class TransferStore {
public:
    explicit TransferStore(sdk::Dialect dialect) : dialect_(dialect) {}

    enum class Lock { none, for_update };
    sdk::Result<std::optional<Transfer>> find(sdk::SqlExecutor& tx, const std::string& id,
                                              Lock lock = Lock::none) const;
    sdk::Status insert(sdk::SqlExecutor& tx, const Transfer& transfer) const;
    /// Writes `transfer` (version already advanced) when the stored version
    /// is still `expected_version`; false when it is not (nothing written).
    sdk::Result<bool> update(sdk::SqlExecutor& tx, const Transfer& transfer, std::int64_t expected_version) const;
    sdk::Result<ListPage> list(sdk::SqlExecutor& sql, const ListQuery& query) const;

private:
    sdk::Dialect dialect_;
};

}  // namespace till::domain::transfers
