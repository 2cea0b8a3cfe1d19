// A ReplicationLog for the domain tests that keeps what it is given: each
// appended change is written to a table of its own (test_replication_log) in
// the caller's transaction, so a change whose transaction rolls back leaves
// nothing there — exactly like the sync engine's outbox. It can be told to
// fail appends (all, or of one type) with a storage error, as a full disk
// would, to check that the change then fails and leaves nothing.
//
//   DomainFixture f;
//   RecordingReplication recorded(f.db());
//   f.use_replication(recorded);        // before building services
//   ... a sale ...
//   auto sales = recorded.committed("sale");
//
// Thread-safe.
#pragma once

#include <atomic>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/common/replication.hpp"
#include "till/sdk/storage.hpp"

namespace till::test {

class RecordingReplication final : public domain::ReplicationLog {
public:
    /// Creates test_replication_log in `storage` (SQLite or PostgreSQL) when
    /// missing. `storage` must outlive this object.
    explicit RecordingReplication(sdk::Storage& storage);

    sdk::Status append(sdk::SqlExecutor& tx, const domain::ReplicatedChange& change) override;
    sdk::Status may_edit_master_data(std::string_view type) const override;
    void committed_high_priority() override;

    /// From now on append fails with "storage_error" — for changes of `type`
    /// only, or for all when `type` is empty — until succeed_appends().
    void fail_appends(std::string type = {});
    void succeed_appends();
    /// From now on may_edit_master_data refuses ("forbidden") — for `type`
    /// only, or for all when `type` is empty — until allow_master_data().
    void refuse_master_data(std::string type = {});
    void allow_master_data();

    /// The changes whose transaction committed, in append order; only those
    /// of `type` when it is given.
    std::vector<domain::ReplicatedChange> committed(std::string_view type = {}) const;
    /// Appends refused by fail_appends() so far.
    int refused_appends() const noexcept { return refused_.load(); }
    /// committed_high_priority() calls so far.
    int high_priority_wakeups() const noexcept { return wakeups_.load(); }

private:
    sdk::Storage& storage_;
    mutable std::mutex mutex_;
    std::optional<std::string> failing_type_;     ///< "" = every type
    std::optional<std::string> refused_master_;   ///< "" = every type
    std::atomic<int> refused_{0};
    std::atomic<int> wakeups_{0};
};

}  // namespace till::test
