#include "serial_options.hpp"

#include <array>

namespace till::scanner_serial {
namespace {

constexpr std::array<int, 9> kBauds = {1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200, 230400};

sdk::Error bad(const std::string& key, const std::string& message) {
    return {"invalid_argument", "scanner_serial." + key + ": " + message};
}

}  // namespace

const char* standard_bauds() noexcept { return "1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200, 230400"; }

sdk::Result<SerialOptions> serial_options_from(const sdk::Value& config) {
    SerialOptions o;
    o.device_id = config["device_id"].as_string(o.device_id);
    if (o.device_id.empty()) return bad("device_id", "is empty");

    const std::string source = config["source"].as_string("device");
    if (source == "device") o.source = SourceKind::device;
    else if (source == "tcp") o.source = SourceKind::tcp;
    else return bad("source", "\"" + source + "\" is not one of device, tcp");

    o.path = config["path"].as_string("");
    if (o.source == SourceKind::device && o.path.empty())
        return bad("path", "is required with source: device (e.g. /dev/ttyUSB0 or /dev/serial/by-id/...)");

    o.baud = static_cast<int>(config["baud"].as_int(o.baud));
    bool standard = false;
    for (int b : kBauds) standard = standard || b == o.baud;
    if (!standard) return bad("baud", std::to_string(o.baud) + " is not a standard speed (" + standard_bauds() + ")");

    o.data_bits = static_cast<int>(config["data_bits"].as_int(o.data_bits));
    if (o.data_bits < 5 || o.data_bits > 8) return bad("data_bits", "must be 5 to 8");
    const std::string parity = config["parity"].as_string("none");
    if (parity == "none") o.parity = Parity::none;
    else if (parity == "even") o.parity = Parity::even;
    else if (parity == "odd") o.parity = Parity::odd;
    else return bad("parity", "\"" + parity + "\" is not one of none, even, odd");
    o.stop_bits = static_cast<int>(config["stop_bits"].as_int(o.stop_bits));
    if (o.stop_bits != 1 && o.stop_bits != 2) return bad("stop_bits", "must be 1 or 2");

    o.tcp_port = static_cast<int>(config["tcp_port"].as_int(o.tcp_port));
    if (o.tcp_port < 0 || o.tcp_port > 65535) return bad("tcp_port", "must be 0 to 65535");
    o.reopen_ms = static_cast<int>(config["reopen_ms"].as_int(o.reopen_ms));
    if (o.reopen_ms < 10) return bad("reopen_ms", "must be at least 10");

    const std::string suffix = config["suffix"].as_string("any");
    if (!parse_suffix(suffix, o.framer.suffix)) return bad("suffix", "\"" + suffix + "\" is not one of any, cr, lf, crlf");
    o.framer.prefix = config["prefix"].as_string("");
    const std::int64_t max_length = config["max_length"].as_int(256);
    if (max_length < 1 || max_length > 4096) return bad("max_length", "must be 1 to 4096");
    o.framer.max_length = static_cast<std::size_t>(max_length);
    return o;
}

}  // namespace till::scanner_serial
