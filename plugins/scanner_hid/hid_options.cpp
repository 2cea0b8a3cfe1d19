#include "hid_options.hpp"

namespace till::scanner_hid {
namespace {

sdk::Error bad(const std::string& key, const std::string& message) {
    return {"invalid_argument", "scanner_hid." + key + ": " + message};
}

}  // namespace

sdk::Result<HidOptions> hid_options_from(const sdk::Value& config) {
    HidOptions o;
    o.device_id = config["device_id"].as_string(o.device_id);
    if (o.device_id.empty()) return bad("device_id", "is empty");
    o.path = config["path"].as_string("");
    if (o.path.empty()) return bad("path", "is required (e.g. /dev/input/by-id/usb-...-event-kbd)");
    o.grab = config["grab"].as_bool(true);
    const std::string layout = config["layout"].as_string("us");
    if (!parse_layout(layout, o.decoder.layout)) return bad("layout", "\"" + layout + "\" is not one of us, de, fr");
    const std::string suffix = config["suffix"].as_string("enter");
    if (!parse_hid_suffix(suffix, o.decoder.suffix))
        return bad("suffix", "\"" + suffix + "\" is not one of enter, tab, none");
    o.decoder.prefix = config["prefix"].as_string("");
    const std::int64_t max_length = config["max_length"].as_int(256);
    if (max_length < 1 || max_length > 4096) return bad("max_length", "must be 1 to 4096");
    o.decoder.max_length = static_cast<std::size_t>(max_length);
    o.gap_ms = static_cast<int>(config["gap_ms"].as_int(o.gap_ms));
    if (o.gap_ms < 5 || o.gap_ms > 5000) return bad("gap_ms", "must be 5 to 5000");
    o.reopen_ms = static_cast<int>(config["reopen_ms"].as_int(o.reopen_ms));
    if (o.reopen_ms < 10) return bad("reopen_ms", "must be at least 10");
    return o;
}

}  // namespace till::scanner_hid
