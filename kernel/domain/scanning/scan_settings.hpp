// The `scanning:` config section as a struct (schema in kernel/config/kernel_schema.cpp).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "domain/scanning/embedded_barcode.hpp"
#include "till/sdk/status.hpp"
#include "till/sdk/value.hpp"

namespace till::domain::scanning {

struct ScanSettings {
    std::vector<EmbeddedLayout> embedded;              ///< price/weight-embedded EAN-13 layouts
    std::map<std::string, std::string> terminal_of;    ///< scanner device id → terminal id
    std::string default_terminal;                      ///< for scanners not listed ("" = none)
};

/// From the validated `scanning:` section; errors name the key and entry.
sdk::Result<ScanSettings> scan_settings_from(const sdk::Value& section);

}  // namespace till::domain::scanning
