// Key codes → characters for the us, de and fr layouts, and the decoder.
#include <catch2/catch.hpp>

#include <linux/input-event-codes.h>

#include "hid_options.hpp"
#include "key_decoder.hpp"
#include "keymap.hpp"

using namespace till::scanner_hid;
using Scans = std::vector<std::string>;

namespace {
Modifiers shift() { return {true, false, false}; }
Modifiers altgr() { return {false, true, false}; }
}  // namespace

TEST_CASE("us: digits, letters and punctuation with and without shift", "[keymap]") {
    CHECK(key_text(Layout::us, KEY_1, {}) == "1");
    CHECK(key_text(Layout::us, KEY_0, {}) == "0");
    CHECK(key_text(Layout::us, KEY_1, shift()) == "!");
    CHECK(key_text(Layout::us, KEY_Z, {}) == "z");
    CHECK(key_text(Layout::us, KEY_Z, shift()) == "Z");
    CHECK(key_text(Layout::us, KEY_MINUS, {}) == "-");
    CHECK(key_text(Layout::us, KEY_SLASH, shift()) == "?");
    CHECK(key_text(Layout::us, KEY_SPACE, {}) == " ");
    CHECK(key_text(Layout::us, KEY_KP7, {}) == "7");
    CHECK(key_text(Layout::us, KEY_ENTER, {}).empty());
}

TEST_CASE("de: QWERTZ, shifted digits and AltGr", "[keymap]") {
    CHECK(key_text(Layout::de, KEY_Y, {}) == "z");
    CHECK(key_text(Layout::de, KEY_Z, {}) == "y");
    CHECK(key_text(Layout::de, KEY_7, shift()) == "/");
    CHECK(key_text(Layout::de, KEY_SLASH, {}) == "-");
    CHECK(key_text(Layout::de, KEY_SEMICOLON, {}) == "ö");
    CHECK(key_text(Layout::de, KEY_Q, altgr()) == "@");
    CHECK(key_text(Layout::de, KEY_102ND, {}) == "<");
}

TEST_CASE("fr: AZERTY, digits need shift", "[keymap]") {
    CHECK(key_text(Layout::fr, KEY_1, {}) == "&");
    CHECK(key_text(Layout::fr, KEY_1, shift()) == "1");
    CHECK(key_text(Layout::fr, KEY_2, {}) == "é");
    CHECK(key_text(Layout::fr, KEY_0, shift()) == "0");
    CHECK(key_text(Layout::fr, KEY_Q, {}) == "a");
    CHECK(key_text(Layout::fr, KEY_A, {}) == "q");
    CHECK(key_text(Layout::fr, KEY_SEMICOLON, {}) == "m");
    CHECK(key_text(Layout::fr, KEY_0, altgr()) == "@");
}

TEST_CASE("caps lock shifts letters, not digits", "[keymap]") {
    Modifiers caps{false, false, true};
    CHECK(key_text(Layout::us, KEY_A, caps) == "A");
    CHECK(key_text(Layout::us, KEY_1, caps) == "1");
    CHECK(key_text(Layout::us, KEY_A, {true, false, true}) == "a");
}

namespace {
/// Presses and releases the keys for `text` on a US keyboard (digits and
/// upper-case letters via shift), then Enter.
Scans type(KeyDecoder& d, const std::vector<std::pair<int, bool>>& keys, int suffix_key = KEY_ENTER) {
    Scans out;
    auto take = [&](Scans s) { out.insert(out.end(), s.begin(), s.end()); };
    for (auto [code, shifted] : keys) {
        if (shifted) take(d.key(KEY_LEFTSHIFT, 1));
        take(d.key(code, 1));
        take(d.key(code, 0));
        if (shifted) take(d.key(KEY_LEFTSHIFT, 0));
    }
    if (suffix_key) {
        take(d.key(suffix_key, 1));
        take(d.key(suffix_key, 0));
    }
    return out;
}
}  // namespace

TEST_CASE("the decoder ends a scan at Enter and strips the prefix", "[decoder]") {
    KeyDecoder d({Layout::us, HidSuffix::enter, "]E0", 256});
    auto scans = type(d, {{KEY_RIGHTBRACE, false}, {KEY_E, true}, {KEY_0, false}, {KEY_4, false}, {KEY_2, false}});
    CHECK(scans == Scans{"42"});
    CHECK(type(d, {{KEY_C, true}, {KEY_O, true}}, KEY_KPENTER) == Scans{"CO"});
}

TEST_CASE("auto-repeat, shortcuts and unknown keys type nothing", "[decoder]") {
    KeyDecoder d({Layout::us, HidSuffix::enter, "", 256});
    d.key(KEY_1, 1);
    d.key(KEY_1, 2);  // auto-repeat
    d.key(KEY_1, 0);
    d.key(KEY_LEFTCTRL, 1);
    d.key(KEY_C, 1);  // Ctrl+C
    d.key(KEY_C, 0);
    d.key(KEY_LEFTCTRL, 0);
    d.key(KEY_F1, 1);
    CHECK(d.key(KEY_ENTER, 1) == Scans{"1"});
    CHECK(d.unmapped_keys() == 2);
}

TEST_CASE("tab suffix, suffix none ends at the pause, overlong input is dropped", "[decoder]") {
    KeyDecoder tab({Layout::us, HidSuffix::tab, "", 256});
    CHECK(type(tab, {{KEY_1, false}}, KEY_TAB) == Scans{"1"});
    KeyDecoder none({Layout::us, HidSuffix::none, "", 256});
    CHECK(type(none, {{KEY_1, false}, {KEY_2, false}}, 0).empty());
    CHECK(none.pending());
    CHECK(none.end_of_pause() == Scans{"12"});
    KeyDecoder small({Layout::us, HidSuffix::enter, "", 3});
    CHECK(type(small, {{KEY_1, false}, {KEY_2, false}, {KEY_3, false}, {KEY_4, false}}).empty());
    CHECK(small.overlong_dropped() == 1);
    CHECK(type(small, {{KEY_5, false}}) == Scans{"5"});
}

TEST_CASE("hid config errors name the key", "[options]") {
    till::sdk::Value config = till::sdk::Value::map();
    auto missing = hid_options_from(config);
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.error().message.find("scanner_hid.path") != std::string::npos);
    config.set("path", "/dev/input/event3");
    config.set("layout", "uk");
    auto layout = hid_options_from(config);
    REQUIRE_FALSE(layout.ok());
    CHECK(layout.error().message.find("scanner_hid.layout: \"uk\"") != std::string::npos);
}
