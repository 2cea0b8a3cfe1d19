#include "sync/hlc.hpp"

#include <algorithm>
#include <cstdio>

namespace till::sync {
namespace {

HlcStamp bump(const HlcStamp& s) noexcept {
    if (s.counter < kHlcMaxCounter) return {s.wall_ms, s.counter + 1};
    return {s.wall_ms + 1, 0};
}

bool all_digits(std::string_view text) noexcept {
    return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::int64_t to_int(std::string_view digits) noexcept {
    std::int64_t value = 0;
    for (char c : digits) value = value * 10 + (c - '0');
    return value;
}

}  // namespace

HlcStamp hlc_next(const HlcStamp& last, std::int64_t now_utc_ms) noexcept {
    const std::int64_t now = std::clamp<std::int64_t>(now_utc_ms, 0, kHlcMaxWallMs);
    if (now > last.wall_ms) return {now, 0};
    return bump(last);
}

HlcStamp hlc_observe(const HlcStamp& last, const HlcStamp& remote, std::int64_t now_utc_ms) noexcept {
    const HlcStamp newest = std::max(last, remote);
    return hlc_next(newest, now_utc_ms);
}

std::string format_hlc_stamp(const HlcStamp& stamp, std::string_view node_id) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%015lld-%05lld-", static_cast<long long>(stamp.wall_ms),
                  static_cast<long long>(stamp.counter));
    return std::string(buf) + std::string(node_id);
}

std::optional<ParsedHlc> parse_hlc_stamp(std::string_view text) {
    // 15 digits, '-', 5 digits, '-', a non-empty node id.
    if (text.size() < 23 || text[15] != '-' || text[21] != '-') return std::nullopt;
    const std::string_view wall = text.substr(0, 15);
    const std::string_view counter = text.substr(16, 5);
    if (!all_digits(wall) || !all_digits(counter)) return std::nullopt;
    return ParsedHlc{{to_int(wall), to_int(counter)}, std::string(text.substr(22))};
}

}  // namespace till::sync
