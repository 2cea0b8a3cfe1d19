#include "domain/scanning/scan_settings.hpp"

namespace till::domain::scanning {

sdk::Result<ScanSettings> scan_settings_from(const sdk::Value& section) {
    ScanSettings out;
    if (!section.is_map()) return out;
    int index = 0;
    for (const auto& entry : section["embedded_layouts"].as_list()) {
        auto layout = parse_layout(entry.as_string());
        if (!layout)
            return sdk::Error{"invalid_config",
                              "scanning.embedded_layouts[" + std::to_string(index) + "]: " + layout.error().message};
        out.embedded.push_back(*layout);
        ++index;
    }
    index = 0;
    for (const auto& entry : section["terminals"].as_list()) {
        const std::string& text = entry.as_string();
        const auto eq = text.find('=');
        if (eq == std::string::npos || eq == 0 || eq + 1 == text.size())
            return sdk::Error{"invalid_config", "scanning.terminals[" + std::to_string(index) + "]: \"" + text +
                                                    "\" must be DEVICE_ID=TERMINAL_ID, e.g. scanner-1=T1"};
        out.terminal_of[text.substr(0, eq)] = text.substr(eq + 1);
        ++index;
    }
    out.default_terminal = section["default_terminal"].as_string();
    return out;
}

}  // namespace till::domain::scanning
