// printer_escpos: the plugin's configuration, checked. Printers are given as
// one string each (the node config schema has no list of maps):
//
//     ID=tcp://HOST[:PORT][?OPTIONS]     raw TCP, port 9100 by default
//     ID=device:/dev/usb/lp0[?OPTIONS]   a device file (USB, serial, pty)
//     ID=file:FOLDER[?OPTIONS]           virtual printer: .bin + .txt per job
//
// OPTIONS (k=v joined with '&') override the plugin-wide defaults: columns,
// code_page, status (on|off), connect_timeout_ms, status_timeout_ms,
// paper_dots. Errors name the entry: "printer_escpos.printers[1]: ...".
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <till/sdk/status.hpp>
#include <till/sdk/value.hpp>

#include "code_pages.hpp"
#include "realtime_status.hpp"

namespace till::printer_escpos {

enum class TransportKind { tcp, device, file };

struct PrinterConfig {
    std::string id;
    TransportKind transport = TransportKind::file;
    std::string host;  ///< tcp
    int port = 9100;   ///< tcp
    std::string path;  ///< device path, or file folder (relative to the plugin's data folder)
    int columns = 42;
    CodePage code_page = CodePage::cp858;
    int paper_dots = 576;
    bool status = true;  ///< ask DLE EOT before each job (tcp, device)
    std::int64_t connect_timeout_ms = 2000;
    std::int64_t status_timeout_ms = 1000;
    int send_buffer_bytes = 16384;  ///< tcp: see TcpTransport
};

struct DrawerConfig {
    bool enabled = false;
    std::string device_id = "drawer-1";
    std::string printer;  ///< id of the printer it hangs on ("" = the first)
    int pin = 0;
    int on_ms = 100;
    int off_ms = 100;
    DrawerSensor sensor = DrawerSensor::open_when_high;
};

struct PluginConfig {
    std::vector<PrinterConfig> printers;
    DrawerConfig drawer;
};

/// One printer entry; `defaults` carries the plugin-wide values, `where` the
/// key path for messages.
sdk::Result<PrinterConfig> parse_printer_spec(std::string_view spec, const PrinterConfig& defaults,
                                              const std::string& where);

/// The whole (schema-validated) plugin config.
sdk::Result<PluginConfig> parse_plugin_config(const sdk::Value& config);

}  // namespace till::printer_escpos
