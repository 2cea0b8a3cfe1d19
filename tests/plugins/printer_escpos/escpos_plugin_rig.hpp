// The real printer_escpos .so loaded and started by a PluginHost over real
// SQLite (like tests/plugins/support PluginKernel, which has no device
// lookup), with access to the devices it registered.
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

class EscposPluginRig {
public:
    EscposPluginRig();
    ~EscposPluginRig();
    /// Loads and starts printer_escpos with `config`; ok when it runs.
    sdk::Status start(const sdk::Value& config);
    void stop();
    std::shared_ptr<sdk::Device> device(const std::string& id) const;
    /// <data_dir>/plugins/printer_escpos
    std::string plugin_data_dir() const { return dir_.file("data/plugins/printer_escpos"); }

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
