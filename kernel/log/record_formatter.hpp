// Internal to kernel/log: the text and JSON-lines layouts as an spdlog
// formatter (spdlog's pattern flags cannot JSON-escape a message).
#pragma once

#include <spdlog/formatter.h>

#include <memory>

#include "log/log_manager.hpp"

namespace till::log::detail {

class RecordFormatter final : public spdlog::formatter {
public:
    explicit RecordFormatter(LogFormat format) : format_(format) {}
    void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override;
    std::unique_ptr<spdlog::formatter> clone() const override;

private:
    LogFormat format_;
};

/// Appends `text` JSON-escaped (without the surrounding quotes).
void append_json_escaped(std::string_view text, spdlog::memory_buf_t& dest);

}  // namespace till::log::detail
