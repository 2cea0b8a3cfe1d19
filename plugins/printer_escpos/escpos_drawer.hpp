// printer_escpos: the cash drawer wired to a printer's drawer port, as its
// own CashDrawer device. open_drawer() sends ESC p through the printer;
// drawer_state() asks the printer (DLE EOT 1) when its transport can answer,
// else `unknown`. Its lifecycle is its own (UnifiedPOS treats the drawer as
// a separate device even when it shares the printer's cable).
#pragma once

#include <memory>
#include <mutex>

#include <till/sdk/device.hpp>

#include "escpos_printer.hpp"
#include "printer_config.hpp"

namespace till::printer_escpos {

class EscposDrawer final : public sdk::CashDrawer {
public:
    EscposDrawer(DrawerConfig config, std::shared_ptr<EscposPrinter> printer);

    std::string device_id() const override { return config_.device_id; }
    sdk::DeviceKind kind() const override { return sdk::DeviceKind::cash_drawer; }
    std::string description() const override;
    sdk::DeviceState state() const override;

    sdk::DeviceResult open() override;
    sdk::DeviceResult claim(std::int64_t timeout_ms) override;
    sdk::DeviceResult enable() override;
    sdk::DeviceResult disable() override;
    sdk::DeviceResult release() override;
    sdk::DeviceResult close() override;
    sdk::DeviceResult check_health(sdk::HealthCheckLevel level, std::string& report) override;
    sdk::DeviceStatistics statistics() const override;

    /// Must be enabled. Bounded by the printer's connect + status timeouts.
    sdk::DeviceResult open_drawer() override;
    sdk::DrawerState drawer_state() const override;

private:
    sdk::DeviceResult step(int call);

    const DrawerConfig config_;
    std::shared_ptr<EscposPrinter> printer_;
    mutable std::mutex mutex_;
    sdk::DeviceState state_ = sdk::DeviceState::closed;
    sdk::DeviceStatistics stats_;
};

}  // namespace till::printer_escpos
