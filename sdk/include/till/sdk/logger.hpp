// Till SDK — logging.
//
// Each plugin receives its own logger, named `plugin.<id>`, through Host. Its
// level, format (text or JSON lines) and destination come from the node
// config; a plugin never configures logging itself.
// Thread-safe: may be called from any thread.
#pragma once

#include <string_view>

namespace till::sdk {

enum class LogLevel { trace, debug, info, warn, error, critical };

class Logger {
public:
    virtual ~Logger();
    /// Writes one record. Never throws; a failing sink drops the record.
    virtual void log(LogLevel level, std::string_view message) noexcept = 0;
    /// False when records at `level` would be dropped: skip building them.
    virtual bool enabled(LogLevel level) const noexcept = 0;

    void trace(std::string_view m) noexcept { log(LogLevel::trace, m); }
    void debug(std::string_view m) noexcept { log(LogLevel::debug, m); }
    void info(std::string_view m) noexcept { log(LogLevel::info, m); }
    void warn(std::string_view m) noexcept { log(LogLevel::warn, m); }
    void error(std::string_view m) noexcept { log(LogLevel::error, m); }
};

}  // namespace till::sdk
