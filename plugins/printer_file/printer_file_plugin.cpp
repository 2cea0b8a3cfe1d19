// printer_file: the plugin glue. Reads the config, registers the device and
// the test-print route, and points the device at its file once the node's
// data folder is known (on_start).
#include <filesystem>
#include <memory>
#include <string>

#include <till/sdk/host.hpp>
#include <till/sdk/plugin.hpp>

#include "file_printer.hpp"
#include "test_print.hpp"

namespace {

using namespace till::sdk;
using till::printer_file::FilePrinter;
using till::printer_file::FilePrinterOptions;
using till::printer_file::TestPrintRoute;

constexpr const char* kPluginId = "printer_file";
constexpr std::int64_t kTestPrintTimeoutMs = 2000;

class PrinterFilePlugin final : public Plugin {
public:
    Status on_register(Registrar& registrar) override {
        const Value& config = registrar.config();  // validated, defaults filled
        FilePrinterOptions options;
        options.device_id = config["device_id"].as_string(options.device_id);
        options.columns = static_cast<int>(config["columns"].as_int(options.columns));
        file_ = config["file"].as_string("receipts.txt");
        if (options.device_id.empty()) return Status::failure("invalid_argument", "printer_file.device_id is empty");
        if (file_.empty()) return Status::failure("invalid_argument", "printer_file.file is empty");

        printer_ = std::make_shared<FilePrinter>(options);
        if (auto s = registrar.add_device(printer_); !s.ok()) return s;
        return registrar.add_route(HttpMethod::post, "/api/v1/devices/{device_id}/test-print",
                                   TestPrintRoute(printer_, kTestPrintTimeoutMs));
    }

    Status on_start(Host& host) override {
        namespace fs = std::filesystem;
        // `file` is relative to <data_dir>/plugins/printer_file/ (an absolute path stays as is).
        const fs::path path = (fs::path(host.node().data_dir) / "plugins" / kPluginId / file_).lexically_normal();
        std::error_code ec;
        fs::create_directories(path.parent_path(), ec);
        if (ec) return Status::failure("io_error", "cannot create " + path.parent_path().string() + ": " + ec.message());
        printer_->set_output(path.string(), &host.clock());
        std::string report;
        if (auto r = printer_->check_health(HealthCheckLevel::internal, report); !r.ok())
            return Status::failure("io_error", "device " + printer_->device_id() + ": " + report);
        host.logger().info("device " + printer_->device_id() + " prints to " + path.string() + " (" +
                           std::to_string(printer_->columns()) + " columns)");
        return {};
    }

    void on_stop() noexcept override {
        // Whoever still holds the device loses it: unlock and close the file.
        if (printer_ && printer_->state() != DeviceState::closed) printer_->close();
    }

private:
    std::string file_;
    std::shared_ptr<FilePrinter> printer_;
};

}  // namespace

TILL_PLUGIN(PrinterFilePlugin, "printer_file", "0.1.0")
