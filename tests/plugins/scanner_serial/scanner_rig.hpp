// Test rig for the scanner plugins: the real built .so loaded and started by
// a PluginHost over real SQLite (like tests/plugins/support PluginKernel,
// which has no device lookup), the scanner it registered, and a handler
// that collects scans and waits for them with a bound. Shared by the
// scanner_serial and scanner_hid tests.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "api/router.hpp"
#include "domain_fixture.hpp"
#include "events/event_bus.hpp"
#include "log/log_manager.hpp"
#include "plugin_host/plugin_host.hpp"
#include "storage/database.hpp"
#include "support/temp_dir.hpp"
#include "till/sdk/device.hpp"

namespace till::test {

class ScannerPluginRig {
public:
    explicit ScannerPluginRig(std::string plugin_id);
    ~ScannerPluginRig();
    /// Loads and starts the plugin with `config`; ok when it runs.
    sdk::Status start(const sdk::Value& config);
    void stop();
    std::shared_ptr<sdk::Scanner> scanner(const std::string& device_id) const;
    /// The kernel log (the plugin's warnings and notes land here).
    std::string log_text() const;
    TempDir& dir() { return dir_; }

private:
    const std::string plugin_id_;
    TempDir dir_;
    std::unique_ptr<log::LogManager> logs_;
    ManualClock clock_;
    std::unique_ptr<storage::Database> db_;
    std::unique_ptr<events::EventBusImpl> bus_;
    api::Router router_;
    std::unique_ptr<plugin_host::PluginHost> host_;
};

/// Collects the scans a device delivers (on its thread).
class ScanCollector {
public:
    sdk::Scanner::ScanHandler handler();
    /// Waits up to timeout_ms for at least `count` scans; returns them all.
    std::vector<sdk::ScanData> wait_for(std::size_t count, int timeout_ms = 5000);
    std::vector<sdk::ScanData> scans() const;

private:
    mutable std::mutex mutex_;
    std::condition_variable changed_;
    std::vector<sdk::ScanData> scans_;
};

/// Brings a scanner to enabled (open, claim, enable); REQUIREs success.
void enable_scanner(sdk::Scanner& scanner);

}  // namespace till::test
