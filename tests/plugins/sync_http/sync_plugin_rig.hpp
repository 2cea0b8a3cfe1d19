// A node for one sync transport plugin: the real built .so from the build's
// plugin folder, loaded and started by a PluginHost over a real SQLite file,
// as a store or (with a SyncHub) as HQ. Shared by the sync_http and
// sync_file tests.
#pragma once

#include <memory>
#include <string>

#include "api/router.hpp"
#include "domain_fixture.hpp"
#include "events/event_bus.hpp"
#include "log/log_manager.hpp"
#include "plugin_host/plugin_host.hpp"
#include "storage/database.hpp"
#include "support/temp_dir.hpp"
#include "till/sdk/sync_hub.hpp"

namespace till::test {

class SyncPluginRig {
public:
    /// `node_id` becomes NodeInfo::node_id; `hub` non-null makes it an HQ node.
    explicit SyncPluginRig(std::string node_id = "store-001", sdk::SyncHub* hub = nullptr);
    ~SyncPluginRig();

    /// Loads and starts `plugin_id` with `config`; ok when it reached running.
    sdk::Status start(const std::string& plugin_id, const sdk::Value& config);
    void stop();

    /// The transport the plugin registered, or nullptr.
    std::shared_ptr<sdk::SyncTransport> transport(const std::string& id) const;
    /// <data_dir>/plugins/<plugin_id>
    std::string plugin_dir(const std::string& plugin_id) const;
    const std::string& dir() const { return dir_.path(); }
    ManualClock& clock() { return clock_; }
    /// The node's log file (for messages the plugin logged).
    std::string log_text() const;

private:
    TempDir dir_;
    std::string node_id_;
    sdk::SyncHub* hub_;
    std::unique_ptr<log::LogManager> logs_;
    ManualClock clock_;
    std::unique_ptr<storage::Database> db_;
    std::unique_ptr<events::EventBusImpl> bus_;
    api::Router router_;
    std::unique_ptr<plugin_host::PluginHost> host_;
};

}  // namespace till::test
