#include "log/record_formatter.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>

namespace till::log::detail {
namespace {

void append(spdlog::memory_buf_t& dest, std::string_view s) { dest.append(s.data(), s.data() + s.size()); }

const char* level_name(spdlog::level::level_enum level) {
    switch (level) {
        case spdlog::level::trace: return "trace";
        case spdlog::level::debug: return "debug";
        case spdlog::level::info: return "info";
        case spdlog::level::warn: return "warn";
        case spdlog::level::err: return "error";
        case spdlog::level::critical: return "critical";
        default: return "off";
    }
}

/// "2026-11-21T20:50:27.123Z"
void append_time(spdlog::log_clock::time_point t, spdlog::memory_buf_t& dest) {
    using namespace std::chrono;
    const auto ms_total = duration_cast<milliseconds>(t.time_since_epoch()).count();
    std::time_t secs = static_cast<std::time_t>(ms_total / 1000);
    int ms = static_cast<int>(ms_total % 1000);
    if (ms < 0) {  // before 1970: keep the remainder positive
        ms += 1000;
        --secs;
    }
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char buf[32];
    const int n = std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
                                tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                                tm.tm_min, tm.tm_sec, ms);
    if (n > 0) dest.append(buf, buf + n);
}

}  // namespace

void append_json_escaped(std::string_view text, spdlog::memory_buf_t& dest) {
    static constexpr char hex[] = "0123456789abcdef";
    for (char c : text) {
        const auto u = static_cast<unsigned char>(c);
        switch (c) {
            case '"': append(dest, "\\\""); break;
            case '\\': append(dest, "\\\\"); break;
            case '\n': append(dest, "\\n"); break;
            case '\r': append(dest, "\\r"); break;
            case '\t': append(dest, "\\t"); break;
            case '\b': append(dest, "\\b"); break;
            case '\f': append(dest, "\\f"); break;
            default:
                if (u < 0x20 || u == 0x7f) {
                    const char esc[] = {'\\', 'u', '0', '0', hex[u >> 4], hex[u & 0xf]};
                    dest.append(esc, esc + sizeof esc);
                } else {
                    dest.push_back(c);
                }
        }
    }
}

void RecordFormatter::format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) {
    const std::string_view name(msg.logger_name.data(), msg.logger_name.size());
    const std::string_view payload(msg.payload.data(), msg.payload.size());
    if (format_ == LogFormat::json) {
        append(dest, "{\"time\":\"");
        append_time(msg.time, dest);
        append(dest, "\",\"level\":\"");
        append(dest, level_name(msg.level));
        append(dest, "\",\"logger\":\"");
        append_json_escaped(name, dest);
        append(dest, "\",\"msg\":\"");
        append_json_escaped(payload, dest);
        append(dest, "\"}\n");
        return;
    }
    append_time(msg.time, dest);
    dest.push_back(' ');
    append(dest, level_name(msg.level));
    append(dest, " [");
    append(dest, name);
    append(dest, "] ");
    append(dest, payload);
    dest.push_back('\n');
}

std::unique_ptr<spdlog::formatter> RecordFormatter::clone() const {
    return std::make_unique<RecordFormatter>(format_);
}

}  // namespace till::log::detail
