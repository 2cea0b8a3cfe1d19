// scanner_serial: the plugin's config (plugin.yaml) as a struct.
#pragma once

#include <string>

#include <till/sdk/status.hpp>
#include <till/sdk/value.hpp>

#include "scan_framer.hpp"

namespace till::scanner_serial {

enum class SourceKind {
    device,  ///< a serial port, pseudo-terminal, FIFO or other character device at `path`
    tcp,     ///< a loopback listener on 127.0.0.1:tcp_port: one line per scan (demos, tests)
};
enum class Parity { none, even, odd };

struct SerialOptions {
    std::string device_id = "scanner-serial";
    SourceKind source = SourceKind::device;
    std::string path;          ///< source device
    int baud = 9600;           ///< one of standard_bauds()
    int data_bits = 8;         ///< 5..8
    Parity parity = Parity::none;
    int stop_bits = 1;         ///< 1 or 2
    int tcp_port = 0;          ///< source tcp; 0 = any free port (see description())
    int reopen_ms = 1000;      ///< after the device went away (unplugged), retry opening it this often
    FramerOptions framer;
};

/// From the validated config (defaults filled). Errors name the key:
/// "scanner_serial.baud: 12345 is not a standard speed (...)".
sdk::Result<SerialOptions> serial_options_from(const sdk::Value& config);

/// "1200, 2400, ..., 230400".
const char* standard_bauds() noexcept;

}  // namespace till::scanner_serial
