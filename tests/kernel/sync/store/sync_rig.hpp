// A store's sync parts on a real SQLite database (DomainFixture): the
// replication log with its outbox, a TestTransport registered as plugin
// capability "test", an ApplierRegistry with a real table-writing applier,
// and an engine built on demand.
#pragma once

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "domain_fixture.hpp"
#include "sync/applier_registry.hpp"
#include "sync/replication_log.hpp"
#include "sync/sync_engine.hpp"
#include "test_transport.hpp"

namespace till::test {

/// Writes `item` changes into a real table test_items(id, name); fails the
/// change whose entity id is in fail_ids; remembers after_commit calls.
class ItemApplier final : public domain::ReplicaApplier {
public:
    explicit ItemApplier(sdk::Storage& storage);
    sdk::Result<sdk::Value> apply(sdk::SqlExecutor& tx, const domain::ReplicatedChange& change) override;
    void after_commit(const std::vector<domain::ReplicatedChange>& changes) override;

    std::set<std::string> fail_ids;
    std::vector<std::vector<std::string>> committed;  ///< entity ids per after_commit call
    /// id → name as stored now.
    std::map<std::string, std::string> rows(sdk::Storage& storage) const;
};

struct SyncRig {
    explicit SyncRig(bool enabled = true);
    ~SyncRig();

    DomainFixture f;
    std::unique_ptr<sync::SyncReplicationLog> log;
    std::shared_ptr<TestTransport> transport = std::make_shared<TestTransport>();
    sync::ApplierRegistry appliers;
    std::unique_ptr<ItemApplier> items;
    sync::SyncSettings settings;
    sync::RandomSource random;  ///< empty = the engine's default
    std::unique_ptr<sync::SyncEngine> engine;

    /// Registers the transport as plugin "test" (capability id "test").
    void register_transport();
    /// Builds (and starts when `start`) the engine from `settings`.
    sync::SyncEngine& make_engine(bool start = false);
    /// Commits `count` sales (each in its own transaction); returns their ids.
    std::vector<std::string> sell(int count);
    /// Change object of the wire format for the pull side.
    static sdk::Value change(std::int64_t revision, const std::string& type, const std::string& id,
                             const std::string& name);
};

}  // namespace till::test
