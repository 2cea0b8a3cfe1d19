// Logging: spdlog behind the sdk::Logger interface, so spdlog stays out of
// every other header. One LogManager per node, made in main() (or a test)
// and passed down; no global registry is used.
#pragma once

#include <memory>
#include <string>

#include "till/sdk/logger.hpp"
#include "till/sdk/status.hpp"

namespace till::log {

enum class LogFormat { text, json };

struct LogSettings {
    sdk::LogLevel level = sdk::LogLevel::info;
    LogFormat format = LogFormat::text;
    std::string file;  ///< "" = standard error
};

/// Parses "info", "warn", ... ; false for an unknown name.
bool parse_level(const std::string& name, sdk::LogLevel& out);

class LogManager {
public:
    /// Opens the sink (file or stderr). A file that cannot be opened is an
    /// error from create(), not an exception.
    static sdk::Result<std::unique_ptr<LogManager>> create(const LogSettings& settings);
    ~LogManager();
    LogManager(const LogManager&) = delete;
    LogManager& operator=(const LogManager&) = delete;

    /// A logger named `name` ("kernel", "plugin.hello", ...) writing to the
    /// shared sink. Text lines read "2026-11-21T20:50:27.123Z info [name] msg";
    /// JSON lines {"time":"...","level":"info","logger":"name","msg":"..."}.
    std::shared_ptr<sdk::Logger> logger(const std::string& name);
    void flush();

private:
    LogManager();
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace till::log
