// LogManager: one spdlog sink per node, shared by every logger. Loggers are
// plain spdlog::logger objects, never registered in spdlog's global registry.
#include "log/log_manager.hpp"

#include <spdlog/logger.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>

#include <cstdio>
#include <filesystem>
#include <map>
#include <mutex>

#include "log/record_formatter.hpp"

namespace till::log {
namespace {

spdlog::level::level_enum to_spdlog(sdk::LogLevel level) {
    switch (level) {
        case sdk::LogLevel::trace: return spdlog::level::trace;
        case sdk::LogLevel::debug: return spdlog::level::debug;
        case sdk::LogLevel::info: return spdlog::level::info;
        case sdk::LogLevel::warn: return spdlog::level::warn;
        case sdk::LogLevel::error: return spdlog::level::err;
        case sdk::LogLevel::critical: return spdlog::level::critical;
    }
    return spdlog::level::info;
}

class SpdLogger final : public sdk::Logger {
public:
    explicit SpdLogger(std::shared_ptr<spdlog::logger> logger) : logger_(std::move(logger)) {}

    void log(sdk::LogLevel level, std::string_view message) noexcept override {
        try {
            logger_->log(to_spdlog(level), spdlog::string_view_t(message.data(), message.size()));
        } catch (...) {
            // A failing sink drops the record (sdk::Logger contract).
        }
    }
    bool enabled(sdk::LogLevel level) const noexcept override {
        return logger_->should_log(to_spdlog(level));
    }

private:
    std::shared_ptr<spdlog::logger> logger_;
};

}  // namespace

bool parse_level(const std::string& name, sdk::LogLevel& out) {
    static const std::pair<const char*, sdk::LogLevel> names[] = {
        {"trace", sdk::LogLevel::trace}, {"debug", sdk::LogLevel::debug},
        {"info", sdk::LogLevel::info},   {"warn", sdk::LogLevel::warn},
        {"error", sdk::LogLevel::error}, {"critical", sdk::LogLevel::critical}};
    for (const auto& [n, level] : names) {
        if (name == n) {
            out = level;
            return true;
        }
    }
    return false;
}

struct LogManager::Impl {
    spdlog::sink_ptr sink;
    spdlog::level::level_enum level = spdlog::level::info;
    std::mutex mutex;  // guards loggers
    std::map<std::string, std::shared_ptr<SpdLogger>> loggers;
};

LogManager::LogManager() : impl_(std::make_unique<Impl>()) {}

LogManager::~LogManager() {
    if (impl_ && impl_->sink) {
        try {
            impl_->sink->flush();
        } catch (...) {
        }
    }
}

sdk::Result<std::unique_ptr<LogManager>> LogManager::create(const LogSettings& settings) {
    std::unique_ptr<LogManager> manager(new LogManager());
    try {
        if (settings.file.empty()) {
            manager->impl_->sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
        } else {
            const std::filesystem::path parent = std::filesystem::path(settings.file).parent_path();
            if (!parent.empty()) {
                std::error_code ec;
                std::filesystem::create_directories(parent, ec);
                if (ec) {
                    return sdk::Error{"io_error", "cannot create the log folder " + parent.string() +
                                                      ": " + ec.message()};
                }
            }
            manager->impl_->sink =
                std::make_shared<spdlog::sinks::basic_file_sink_mt>(settings.file, false);
        }
    } catch (const std::exception& e) {
        return sdk::Error{"io_error", "cannot open the log file " + settings.file + ": " + e.what()};
    }
    manager->impl_->sink->set_formatter(std::make_unique<detail::RecordFormatter>(settings.format));
    manager->impl_->sink->set_level(spdlog::level::trace);
    manager->impl_->level = to_spdlog(settings.level);
    return manager;
}

std::shared_ptr<sdk::Logger> LogManager::logger(const std::string& name) {
    std::lock_guard lock(impl_->mutex);
    auto& slot = impl_->loggers[name];
    if (!slot) {
        auto l = std::make_shared<spdlog::logger>(name, impl_->sink);
        l->set_level(impl_->level);
        // Records are few (a point of sale, not a web farm): flush each one so
        // a crash or `tail -f` never misses the last lines.
        l->flush_on(spdlog::level::trace);
        slot = std::make_shared<SpdLogger>(std::move(l));
    }
    return slot;
}

void LogManager::flush() {
    try {
        impl_->sink->flush();
    } catch (...) {
    }
}

}  // namespace till::log
