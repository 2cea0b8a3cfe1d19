// scanner_hid: key events → scans. Tracks Shift, AltGr, Ctrl, Alt and Caps
// Lock; a key press types the layout's character; the suffix key (Enter by
// default, Tab, or none: a pause of gap_ms) ends the scan; the configured
// prefix is stripped; a scan longer than max_length is dropped whole.
// Auto-repeat events are ignored (a scanner never holds a key).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "keymap.hpp"

namespace till::scanner_hid {

enum class HidSuffix { enter, tab, none };

/// "enter", "tab", "none"; false when unknown.
bool parse_hid_suffix(std::string_view text, HidSuffix& out) noexcept;

/// 13 digits "ean13", 12 "upca", 8 "ean8", else "" (the kernel checks digits).
std::string guess_symbology(std::string_view data);

struct DecoderOptions {
    Layout layout = Layout::us;
    HidSuffix suffix = HidSuffix::enter;
    std::string prefix;
    std::size_t max_length = 256;  ///< bytes (UTF-8) of one scan
};

class KeyDecoder {
public:
    explicit KeyDecoder(DecoderOptions options);

    /// One EV_KEY event: value 1 press, 0 release, 2 auto-repeat. Returns the
    /// scan it completes, if any.
    std::vector<std::string> key(int code, int value);
    /// With suffix none: the pause ended the scan in progress.
    std::vector<std::string> end_of_pause();
    /// Characters typed since the last scan ended.
    bool pending() const noexcept { return !text_.empty() || overlong_; }
    void reset() noexcept;

    std::int64_t unmapped_keys() const noexcept { return unmapped_keys_; }
    std::int64_t overlong_dropped() const noexcept { return overlong_dropped_; }

private:
    std::vector<std::string> finish();

    const DecoderOptions options_;
    Modifiers mods_;
    bool left_shift_ = false, right_shift_ = false, ctrl_ = false, alt_ = false;
    std::string text_;
    bool overlong_ = false;
    std::int64_t unmapped_keys_ = 0;
    std::int64_t overlong_dropped_ = 0;
};

}  // namespace till::scanner_hid
