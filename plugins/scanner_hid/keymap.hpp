// scanner_hid: Linux key codes → characters, per keyboard layout. A USB
// scanner in keyboard mode types its data as key presses for the layout it
// is programmed for; reading them back needs the same layout. Covers what
// barcodes carry: digits, letters, punctuation, space (not dead-key
// composition: a dead key gives its own character).
#pragma once

#include <string>
#include <string_view>

namespace till::scanner_hid {

enum class Layout { us, de, fr };

/// "us", "de", "fr"; false when unknown.
bool parse_layout(std::string_view text, Layout& out) noexcept;

struct Modifiers {
    bool shift = false;
    bool altgr = false;
    bool caps_lock = false;
};

/// The UTF-8 text `code` (linux/input-event-codes.h KEY_*) types in
/// `layout` with `mods`; "" when it types nothing there.
std::string key_text(Layout layout, int code, Modifiers mods);

}  // namespace till::scanner_hid
