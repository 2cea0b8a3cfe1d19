// scanner_hid: the plugin glue. Reads the config, registers the scanner;
// on_start gives it the node's clock and logger. The kernel's scanning
// service opens, claims and enables it and sets the scan handler.
#include <memory>

#include <till/sdk/host.hpp>
#include <till/sdk/plugin.hpp>

#include "hid_scanner.hpp"

namespace {

using namespace till::sdk;
using till::scanner_hid::HidScanner;

class ScannerHidPlugin final : public Plugin {
public:
    Status on_register(Registrar& registrar) override {
        auto options = till::scanner_hid::hid_options_from(registrar.config());
        if (!options.ok()) return options.status();
        scanner_ = std::make_shared<HidScanner>(*options);
        return registrar.add_device(scanner_);
    }

    Status on_start(Host& host) override {
        scanner_->attach_host(&host.clock(), &host.logger());
        host.logger().info("device " + scanner_->device_id() + ": " + scanner_->description());
        return {};
    }

    void on_stop() noexcept override {
        if (!scanner_) return;
        if (scanner_->state() != DeviceState::closed) scanner_->close();
        scanner_->attach_host(nullptr, nullptr);  // the host's clock and logger end with on_stop
    }

private:
    std::shared_ptr<HidScanner> scanner_;
};

}  // namespace

TILL_PLUGIN(ScannerHidPlugin, "scanner_hid", "0.1.0")
