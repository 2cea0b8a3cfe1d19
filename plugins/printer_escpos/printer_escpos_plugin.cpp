// printer_escpos: the plugin glue. Reads the config, registers one
// EscposPrinter per configured printer (and the cash drawer when enabled),
// and points file printers at their folders once the data folder is known.
// Network and device printers are not contacted at start: a printer that is
// off must not stop the till (its jobs fail and the print queue retries).
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <till/sdk/host.hpp>
#include <till/sdk/plugin.hpp>

#include "escpos_drawer.hpp"
#include "escpos_printer.hpp"
#include "printer_config.hpp"

namespace {

using namespace till::sdk;
using till::printer_escpos::EscposDrawer;
using till::printer_escpos::EscposPrinter;
using till::printer_escpos::TransportKind;

constexpr const char* kPluginId = "printer_escpos";

class PrinterEscposPlugin final : public Plugin {
public:
    Status on_register(Registrar& registrar) override {
        auto config = till::printer_escpos::parse_plugin_config(registrar.config());
        if (!config) return Status(config.error());
        for (const auto& pc : config->printers) {
            auto printer = std::make_shared<EscposPrinter>(pc);
            printer->set_drawer_sensor(config->drawer.sensor);
            if (auto s = registrar.add_device(printer); !s.ok()) return s;
            printers_.push_back(printer);
        }
        if (config->drawer.enabled) {
            for (const auto& p : printers_) {
                if (p->device_id() != config->drawer.printer) continue;
                drawer_ = std::make_shared<EscposDrawer>(config->drawer, p);
                if (auto s = registrar.add_device(drawer_); !s.ok()) return s;
            }
        }
        return {};
    }

    Status on_start(Host& host) override {
        namespace fs = std::filesystem;
        const fs::path base = fs::path(host.node().data_dir) / "plugins" / kPluginId;
        for (const auto& p : printers_) {
            p->set_clock(&host.clock());
            if (p->config().transport == TransportKind::file) {
                const fs::path folder = (base / p->config().path).lexically_normal();  // absolute stays absolute
                p->set_output_folder(folder.string());
                std::string report;
                if (auto r = p->check_health(HealthCheckLevel::internal, report); !r.ok())
                    return Status::failure("io_error", "printer " + p->device_id() + ": " + report);
            }
            host.logger().info("printer " + p->device_id() + ": " + p->description());
        }
        if (drawer_) host.logger().info("cash drawer " + drawer_->device_id() + ": " + drawer_->description());
        return {};
    }

    void on_stop() noexcept override {
        if (drawer_ && drawer_->state() != DeviceState::closed) drawer_->close();
        for (const auto& p : printers_)
            if (p->state() != DeviceState::closed) p->close();
    }

private:
    std::vector<std::shared_ptr<EscposPrinter>> printers_;
    std::shared_ptr<EscposDrawer> drawer_;
};

}  // namespace

TILL_PLUGIN(PrinterEscposPlugin, "printer_escpos", "0.1.0")
