#include "key_decoder.hpp"

#include <linux/input-event-codes.h>

namespace till::scanner_hid {

bool parse_hid_suffix(std::string_view text, HidSuffix& out) noexcept {
    if (text == "enter") out = HidSuffix::enter;
    else if (text == "tab") out = HidSuffix::tab;
    else if (text == "none") out = HidSuffix::none;
    else return false;
    return true;
}

std::string guess_symbology(std::string_view data) {
    for (char c : data)
        if (c < '0' || c > '9') return "";
    switch (data.size()) {
        case 13: return "ean13";
        case 12: return "upca";
        case 8: return "ean8";
        default: return "";
    }
}

KeyDecoder::KeyDecoder(DecoderOptions options) : options_(std::move(options)) {}

void KeyDecoder::reset() noexcept {
    text_.clear();
    overlong_ = false;
    mods_ = {};
    left_shift_ = right_shift_ = ctrl_ = alt_ = false;
}

std::vector<std::string> KeyDecoder::finish() {
    std::vector<std::string> out;
    if (overlong_) {
        ++overlong_dropped_;
    } else if (!text_.empty()) {
        std::string scan = std::move(text_);
        if (!options_.prefix.empty() && scan.compare(0, options_.prefix.size(), options_.prefix) == 0)
            scan.erase(0, options_.prefix.size());
        if (!scan.empty()) out.push_back(std::move(scan));
    }
    text_.clear();
    overlong_ = false;
    return out;
}

std::vector<std::string> KeyDecoder::end_of_pause() { return finish(); }

std::vector<std::string> KeyDecoder::key(int code, int value) {
    const bool down = value != 0;
    switch (code) {
        case KEY_LEFTSHIFT: left_shift_ = down; mods_.shift = left_shift_ || right_shift_; return {};
        case KEY_RIGHTSHIFT: right_shift_ = down; mods_.shift = left_shift_ || right_shift_; return {};
        case KEY_RIGHTALT: mods_.altgr = down; return {};
        case KEY_LEFTCTRL:
        case KEY_RIGHTCTRL: ctrl_ = down; return {};
        case KEY_LEFTALT: alt_ = down; return {};
        default: break;
    }
    if (value != 1) return {};  // releases and auto-repeat type nothing
    if (code == KEY_CAPSLOCK) {
        mods_.caps_lock = !mods_.caps_lock;
        return {};
    }
    const bool is_enter = code == KEY_ENTER || code == KEY_KPENTER;
    if ((options_.suffix == HidSuffix::enter && is_enter) || (options_.suffix == HidSuffix::tab && code == KEY_TAB) ||
        (options_.suffix == HidSuffix::none && (is_enter || code == KEY_TAB)))
        return finish();
    if (ctrl_ || alt_) {  // shortcuts, not data
        ++unmapped_keys_;
        return {};
    }
    std::string typed = key_text(options_.layout, code, mods_);
    if (typed.empty()) {
        ++unmapped_keys_;
        return {};
    }
    if (text_.size() + typed.size() > options_.max_length) overlong_ = true;
    else if (!overlong_) text_ += typed;
    return {};
}

}  // namespace till::scanner_hid
