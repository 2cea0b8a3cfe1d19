// The plugin host: discovers plugins, validates nothing itself but hands
// their schemas to the config layer, then loads, registers, migrates and
// starts them in dependency order, and stops them in reverse.
//
// A plugin that fails at any step is rolled back completely (its routes,
// capabilities and subscriptions removed, its object destroyed) and recorded
// with a state and a one-line reason; the node goes on. start() fails only
// when a plugin the config marks required did not reach `running`.
//
// Library handles are kept until the PluginHost is destroyed, after every
// object from them is gone: plugins are never unloaded while the node runs.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "api/router.hpp"
#include "config/schema.hpp"
#include "events/event_bus.hpp"
#include "log/log_manager.hpp"
#include "plugin_host/capability_registry.hpp"
#include "plugin_host/discovery.hpp"
#include "till/sdk/host.hpp"

namespace till::plugin_host {

enum class PluginState {
    discovered,       ///< found, not started yet
    disabled,         ///< left out by plugins.enabled / plugins.disabled
    incompatible,     ///< built for another SDK ABI or C++ ABI, or not a Till plugin
    failed_to_load,   ///< manifest missing or invalid, file unreadable, not ELF, undefined symbol
    failed_to_start,  ///< constructor, on_register, migrations or on_start failed; dependency problem
    running,
    stopped,
};

const char* state_name(PluginState state) noexcept;

struct PluginStatus {
    std::string id;
    std::string version;
    std::vector<std::string> kinds;
    std::string stability;    ///< manifest status: stable | beta | experimental
    std::string description;
    std::string location;     ///< plugin folder (or loose file)
    PluginState state = PluginState::discovered;
    std::string reason;       ///< one line when state is a failure
    bool required = false;
};

struct PluginSelection {
    bool enabled_given = false;
    std::vector<std::string> enabled;
    std::vector<std::string> disabled;
    std::vector<std::string> required;
};

struct HostServices {
    sdk::NodeInfo node;
    log::LogManager& logs;
    sdk::Clock& clock;
    sdk::Storage& storage;
    events::EventBusImpl& bus;
    api::Router& router;
};

class PluginHost {
public:
    explicit PluginHost(HostServices services);
    ~PluginHost();  ///< stops if needed, then releases libraries last
    PluginHost(const PluginHost&) = delete;
    PluginHost& operator=(const PluginHost&) = delete;

    /// Takes the result of discover_plugins() (manifests only; no plugin
    /// code has run).
    void adopt(Discovery discovery);
    const Discovery& discovery() const noexcept { return discovery_; }
    /// Config schemas of every plugin with a valid manifest, by id.
    std::map<std::string, std::vector<config::KeySpec>> schemas() const;

    /// Loads and starts the selected plugins with their validated configs.
    sdk::Status start(const std::map<std::string, sdk::Value>& configs, const PluginSelection& selection);
    /// Stops running plugins in reverse start order and destroys their
    /// objects. Idempotent. Libraries stay loaded until destruction.
    void stop();

    std::vector<PluginStatus> statuses() const;
    const sdk::Registry& registry() const noexcept { return registry_; }
    /// The HQ sync hub plugins get from Host::sync_hub(); set before start()
    /// on an HQ node (it must outlive the plugins). nullptr on a store.
    void set_sync_hub(sdk::SyncHub* hub) noexcept { sync_hub_ = hub; }

private:
    struct Record;
    void start_one(Record& record);
    void fail(Record& record, PluginState state, std::string reason);
    void rollback(Record& record);
    bool dependencies_ready(Record& record);

    HostServices services_;
    std::shared_ptr<sdk::Logger> logger_;
    Discovery discovery_;
    CapabilityRegistry registry_;
    sdk::SyncHub* sync_hub_ = nullptr;
    mutable std::mutex status_mutex_;
    std::vector<std::unique_ptr<Record>> records_;  ///< sorted by id
    std::vector<Record*> started_;                  ///< in start order
    bool stopped_ = false;
};

}  // namespace till::plugin_host
