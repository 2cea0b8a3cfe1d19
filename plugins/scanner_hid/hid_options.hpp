// scanner_hid: the plugin's config (plugin.yaml) as a struct.
#pragma once

#include <string>

#include <till/sdk/status.hpp>
#include <till/sdk/value.hpp>

#include "key_decoder.hpp"

namespace till::scanner_hid {

struct HidOptions {
    std::string device_id = "scanner-hid";
    std::string path;       ///< /dev/input/by-id/usb-...-event-kbd or /dev/input/eventN
    bool grab = true;       ///< EVIOCGRAB while claimed: scans do not reach the console or desktop
    int gap_ms = 50;        ///< suffix none: a pause this long ends a scan
    int reopen_ms = 1000;   ///< after the device went away, retry opening it this often
    DecoderOptions decoder;
};

/// From the validated config (defaults filled). Errors name the key.
sdk::Result<HidOptions> hid_options_from(const sdk::Value& config);

}  // namespace till::scanner_hid
