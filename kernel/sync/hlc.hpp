// Hybrid logical clock stamps for sync events (docs/sync.md, "Wire format").
//
// A stamp is "<wall_ms:15 digits>-<counter:5 digits>-<node_id>", the format of
// script::format_hlc, so stamps compare correctly as strings. On one node a
// stamp never goes backwards: when the wall clock is at or behind the last
// stamp (clock set back, many events in one millisecond) the counter grows
// instead; past 99999 the wall part moves one millisecond ahead.
//
// The last stamp is the persisted high-water mark (table sync_state, written
// in the same transaction as the event that used it), so monotonicity holds
// across restarts and wall-clock jumps. Pure functions: no clock, no I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace till::sync {

struct HlcStamp {
    std::int64_t wall_ms = 0;
    std::int64_t counter = 0;

    friend bool operator==(const HlcStamp&, const HlcStamp&) = default;
    friend auto operator<=>(const HlcStamp&, const HlcStamp&) = default;
};

inline constexpr std::int64_t kHlcMaxCounter = 99999;
inline constexpr std::int64_t kHlcMaxWallMs = 999999999999999;  ///< 15 digits

/// The stamp of a local event happening at `now_utc_ms`, after `last`.
/// Always greater than `last`.
HlcStamp hlc_next(const HlcStamp& last, std::int64_t now_utc_ms) noexcept;

/// The stamp after receiving `remote` (HLC receive rule): greater than both
/// `last` and `remote`.
HlcStamp hlc_observe(const HlcStamp& last, const HlcStamp& remote, std::int64_t now_utc_ms) noexcept;

/// "000001763770000000-00042-store-001" style text.
std::string format_hlc_stamp(const HlcStamp& stamp, std::string_view node_id);

struct ParsedHlc {
    HlcStamp stamp;
    std::string node_id;
};
/// Parses a stamp's text; nullopt when it does not have the format.
std::optional<ParsedHlc> parse_hlc_stamp(std::string_view text);

}  // namespace till::sync
