// A kernel for one bundled plugin: the real built .so from the build's
// plugin folder, loaded and started by a PluginHost over a real SQLite file,
// the event bus, a router and a settable test clock.
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

namespace till::test {

class PluginKernel {
public:
    /// Opens the database in a fresh temp dir; start() loads the plugin.
    PluginKernel();
    ~PluginKernel();

    /// Loads and starts `plugin_id` (and nothing else) with `config`.
    /// The status says whether the plugin reached `running`.
    sdk::Status start(const std::string& plugin_id, const sdk::Value& config = sdk::Value::map());
    /// Stops the plugins and drops the host (the database stays).
    void stop();

    std::shared_ptr<sdk::OrderType> order_type(const std::string& id) const;
    sdk::HttpResponse get(const std::string& path, std::map<std::string, std::string> query = {}) const;

    ManualClock& clock() { return clock_; }
    storage::Database& db() { return *db_; }

private:
    TempDir dir_;
    std::unique_ptr<log::LogManager> logs_;
    ManualClock clock_;
    std::unique_ptr<storage::Database> db_;
    std::unique_ptr<events::EventBusImpl> bus_;
    api::Router router_;
    std::unique_ptr<plugin_host::PluginHost> host_;
};

}  // namespace till::test
