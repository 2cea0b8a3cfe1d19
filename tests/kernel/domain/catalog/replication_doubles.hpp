// ReplicationLogs for the master-data tests (catalog, people, customers):
// real classes with real behaviour, standing in for the sync engine's log
// at the ReplicationLog seam (domain/common/replication.hpp).
//
//   RecordingReplication log;            // keeps every append, in order
//   log.fail_appends = true;             // append fails: the change must roll back
//   log.refuse_master_data = true;       // a store synced with HQ
//   ReplicatingContext rc(fixture, "hq", log);   // fixture's parts, this log and node id
//   CatalogService catalog(rc.ctx(), ...);
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "domain/common/context.hpp"
#include "domain/common/http_errors.hpp"
#include "domain_fixture.hpp"

namespace till::test {

class RecordingReplication final : public domain::ReplicationLog {
public:
    bool fail_appends = false;
    bool refuse_master_data = false;

    sdk::Status append(sdk::SqlExecutor&, const domain::ReplicatedChange& change) override {
        std::lock_guard lock(mutex_);
        if (fail_appends) return sdk::Status::failure("storage", "test: the outbox refused the append");
        changes_.push_back(change);
        return {};
    }
    sdk::Status may_edit_master_data(std::string_view type) const override {
        if (!refuse_master_data) return {};
        return sdk::Status::failure(std::string(domain::error_code::forbidden),
                                    "master data (" + std::string(type) +
                                        ") is managed at HQ on this store (sync.enabled); set "
                                        "sync.allow_local_master_data to edit it here");
    }
    std::vector<domain::ReplicatedChange> changes() const {
        std::lock_guard lock(mutex_);
        return changes_;
    }
    std::vector<domain::ReplicatedChange> of_type(std::string_view type) const {
        std::vector<domain::ReplicatedChange> out;
        for (auto& c : changes())
            if (c.type == type) out.push_back(c);
        return out;
    }
    void clear() {
        std::lock_guard lock(mutex_);
        changes_.clear();
    }

private:
    mutable std::mutex mutex_;
    std::vector<domain::ReplicatedChange> changes_;
};

/// A DomainContext over a DomainFixture's parts with another ReplicationLog
/// and node id (two fixtures = two nodes).
class ReplicatingContext {
public:
    ReplicatingContext(DomainFixture& f, const std::string& node_id, domain::ReplicationLog& log) {
        const domain::DomainContext& base = f.ctx();
        node_ = base.node;
        node_.node_id = node_id;
        ctx_.reset(new domain::DomainContext{base.storage, base.events, base.clock, base.registry, base.logger, node_,
                                             base.sales, base.auth, base.ids, log});
    }
    domain::DomainContext& ctx() { return *ctx_; }

private:
    sdk::NodeInfo node_;
    std::unique_ptr<domain::DomainContext> ctx_;
};

/// Applies `changes` through `applier` in one transaction of `storage`, as
/// the sync engine does, then after_commit. The first error (nothing kept).
inline sdk::Status apply_batch(sdk::Storage& storage, domain::ReplicaApplier& applier,
                               const std::vector<domain::ReplicatedChange>& changes,
                               std::vector<sdk::Value>* stored = nullptr) {
    std::vector<sdk::Value> results;
    auto s = storage.transaction([&](sdk::SqlExecutor& tx) -> sdk::Status {
        results.clear();
        for (const auto& c : changes) {
            auto r = applier.apply(tx, c);
            if (!r) return r.error();
            results.push_back(*r);
        }
        return {};
    });
    if (!s.ok()) return s;
    applier.after_commit(changes);
    if (stored) *stored = std::move(results);
    return {};
}

}  // namespace till::test
