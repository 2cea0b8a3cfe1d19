#include "sync_rig.hpp"

#include <stdexcept>

#include "sync/outbox.hpp"

namespace till::test {

ItemApplier::ItemApplier(sdk::Storage& storage) {
    auto made = storage.execute("CREATE TABLE IF NOT EXISTS test_items (id TEXT PRIMARY KEY, name TEXT NOT NULL)");
    if (!made) throw std::runtime_error(made.error().message);
}

sdk::Result<sdk::Value> ItemApplier::apply(sdk::SqlExecutor& tx, const domain::ReplicatedChange& change) {
    if (fail_ids.count(change.entity_id))
        return sdk::Error{"invalid_argument", "item " + change.entity_id + " refers to an unknown department"};
    auto done = tx.execute("INSERT INTO test_items (id, name) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET name = ?",
                           {sdk::Value(change.entity_id), change.payload["name"], change.payload["name"]});
    if (!done) return done.error();
    return change.payload;
}

void ItemApplier::after_commit(const std::vector<domain::ReplicatedChange>& changes) {
    std::vector<std::string> ids;
    for (const auto& c : changes) ids.push_back(c.entity_id);
    committed.push_back(ids);
}

std::map<std::string, std::string> ItemApplier::rows(sdk::Storage& storage) const {
    std::map<std::string, std::string> out;
    auto rows = storage.query("SELECT id, name FROM test_items");
    if (!rows) throw std::runtime_error(rows.error().message);
    for (const auto& r : rows->rows) out[r[0].as_string()] = r[1].as_string();
    return out;
}

SyncRig::SyncRig(bool enabled) {
    sync::ReplicationSettings rs;
    rs.role = sdk::NodeRole::store;
    rs.node_id = "store-test";
    rs.sync_enabled = enabled;
    log = std::make_unique<sync::SyncReplicationLog>(rs, f.clock());
    if (auto s = log->start(f.db()); !s.ok()) throw std::runtime_error(s.message());
    items = std::make_unique<ItemApplier>(f.db());
    appliers.add("item", *items);
    settings.enabled = enabled;
    settings.transport = "test";
    settings.push_interval_ms = 30000;
    settings.pull_interval_ms = 60000;
    settings.batch_max_events = 10;
    settings.request_timeout_ms = 2000;
    settings.backoff_initial_ms = 1000;
    settings.backoff_max_ms = 60000;
}

SyncRig::~SyncRig() {
    if (engine) engine->stop();
}

void SyncRig::register_transport() {
    plugin_host::StagedCapabilities staged;
    staged.sync_transports["test"] = transport;
    f.registry().add("sync_test", staged);
}

sync::SyncEngine& SyncRig::make_engine(bool start) {
    if (engine) engine->stop();
    engine = std::make_unique<sync::SyncEngine>(
        sync::SyncEngineDeps{f.db(), f.bus(), f.clock(), f.registry(), appliers, f.ctx().logger, "store-test", random},
        settings);
    if (start) {
        if (auto s = engine->start(); !s.ok()) throw std::runtime_error(s.message());
    }
    return *engine;
}

std::vector<std::string> SyncRig::sell(int count) {
    std::vector<std::string> ids;
    for (int i = 0; i < count; ++i) {
        const std::string order_id = f.ctx().ids.next();
        sdk::Value payload = sdk::Value::map();
        payload.set("order_id", order_id);
        payload.set("total_minor", 100 + i);
        auto s = f.db().transaction([&](sdk::SqlExecutor& tx) {
            return log->append(tx, domain::ReplicatedChange{"sale", order_id, payload, false});
        });
        if (!s.ok()) throw std::runtime_error(s.message());
        ids.push_back(order_id);
    }
    return ids;
}

sdk::Value SyncRig::change(std::int64_t revision, const std::string& type, const std::string& id,
                           const std::string& name) {
    sdk::Value c = sdk::Value::map();
    c.set("revision", revision);
    c.set("type", type);
    c.set("entity_id", id);
    sdk::Value payload = sdk::Value::map();
    payload.set("id", id);
    payload.set("name", name);
    c.set("payload", payload);
    c.set("created_utc_ms", 1768471200000LL);
    return c;
}

}  // namespace till::test
