// The master-data change feed of an HQ node: every change to a product,
// price, department, tax class, modifier group, user or customer becomes one
// revision (1, 2, 3, ...) that stores pull with changes_since().
//
// Revisions are strictly increasing in commit order: append() takes the row
// lock of the counter row sync_hq_revision in the caller's transaction and
// holds it until that transaction ends, so revision 6 cannot commit before 5
// and a store that saw 6 never misses 5. On PostgreSQL append() also sends
// NOTIFY till_sync '<revision>' in the transaction (delivered at commit to
// every HQ node's RevisionListener).
//
// The cost of that order is that master-data writers on HQ are serialised
// at the append (they already are on SQLite). Thread-safe: every call uses
// the caller's executor or one statement on the storage.
#pragma once

#include <cstdint>
#include <vector>

#include "domain/common/replication.hpp"
#include "till/sdk/clock.hpp"
#include "till/sdk/status.hpp"
#include "till/sdk/storage.hpp"
#include "till/sdk/value.hpp"

namespace till::sync::hq {

/// NOTIFY channel shared by every HQ node on one PostgreSQL database.
inline constexpr const char* kNotifyChannel = "till_sync";

/// One page of the feed.
struct ChangePage {
    /// Change objects of the wire format:
    /// {"revision", "type", "entity_id", "payload", "created_utc_ms"}.
    std::vector<sdk::Value> changes;
    std::int64_t revision = 0;  ///< newest included, or `since` when none
    bool more = false;          ///< further changes follow
};

class ChangeFeed {
public:
    /// `storage` and `clock` must outlive the feed. Needs the "sync.hq"
    /// migrations applied.
    ChangeFeed(sdk::Storage& storage, const sdk::Clock& clock);

    /// Records `change` in the caller's transaction `tx` (which must be a
    /// transaction on the same storage) and returns its revision. Fails only
    /// on a storage fault; the caller's transaction must then fail too.
    sdk::Result<std::int64_t> append(sdk::SqlExecutor& tx, const domain::ReplicatedChange& change);

    /// Changes with revision > since_revision, oldest first, at most `limit`
    /// (clamped to 1..100000).
    sdk::Result<ChangePage> changes_since(std::int64_t since_revision, std::int64_t limit);
    /// Same, inside a transaction.
    sdk::Result<ChangePage> changes_since(sdk::SqlExecutor& tx, std::int64_t since_revision, std::int64_t limit);

    /// Newest committed revision, 0 when none.
    sdk::Result<std::int64_t> current_revision();

private:
    sdk::Storage& storage_;
    const sdk::Clock& clock_;
};

}  // namespace till::sync::hq
