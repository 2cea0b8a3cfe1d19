#include "keymap.hpp"

#include <linux/input-event-codes.h>

#include <array>
#include <vector>

namespace till::scanner_hid {
namespace {

// Rows of the keyboard by Linux key code: each string holds one character
// per key, from the first code of the row.
struct Row {
    int first_code;
    std::string_view plain;
    std::string_view shifted;
};

struct LayoutTable {
    std::array<Row, 4> rows;
    std::string_view iso_plain;    ///< KEY_102ND, the extra key left of Z/Y/W
    std::string_view iso_shifted;
    std::vector<std::pair<int, std::string_view>> altgr;
};

// Rows start at KEY_1 (2), KEY_Q (16), KEY_A (30) and KEY_BACKSLASH (43).
const LayoutTable& table(Layout layout) {
    static const LayoutTable us{{{{KEY_1, "1234567890-=", "!@#$%^&*()_+"},
                                  {KEY_Q, "qwertyuiop[]", "QWERTYUIOP{}"},
                                  {KEY_A, "asdfghjkl;'`", "ASDFGHJKL:\"~"},
                                  {KEY_BACKSLASH, "\\zxcvbnm,./", "|ZXCVBNM<>?"}}},
                                "\\",
                                "|",
                                {}};
    static const LayoutTable de{{{{KEY_1, "1234567890ß´", "!\"§$%&/()=?`"},
                                  {KEY_Q, "qwertzuiopü+", "QWERTZUIOPÜ*"},
                                  {KEY_A, "asdfghjklöä^", "ASDFGHJKLÖÄ°"},
                                  {KEY_BACKSLASH, "#yxcvbnm,.-", "'YXCVBNM;:_"}}},
                                "<",
                                ">",
                                {{KEY_2, "²"},
                                 {KEY_3, "³"},
                                 {KEY_7, "{"},
                                 {KEY_8, "["},
                                 {KEY_9, "]"},
                                 {KEY_0, "}"},
                                 {KEY_MINUS, "\\"},
                                 {KEY_Q, "@"},
                                 {KEY_E, "€"},
                                 {KEY_RIGHTBRACE, "~"},
                                 {KEY_102ND, "|"},
                                 {KEY_M, "µ"}}};
    static const LayoutTable fr{{{{KEY_1, "&é\"'(-è_çà)=", "1234567890°+"},
                                  {KEY_Q, "azertyuiop^$", "AZERTYUIOP¨£"},
                                  {KEY_A, "qsdfghjklmù²", "QSDFGHJKLM%²"},
                                  {KEY_BACKSLASH, "*wxcvbn,;:!", "µWXCVBN?./§"}}},
                                "<",
                                ">",
                                {{KEY_2, "~"},
                                 {KEY_3, "#"},
                                 {KEY_4, "{"},
                                 {KEY_5, "["},
                                 {KEY_6, "|"},
                                 {KEY_7, "`"},
                                 {KEY_8, "\\"},
                                 {KEY_9, "^"},
                                 {KEY_0, "@"},
                                 {KEY_MINUS, "]"},
                                 {KEY_EQUAL, "}"},
                                 {KEY_E, "€"}}};
    switch (layout) {
        case Layout::de: return de;
        case Layout::fr: return fr;
        case Layout::us: break;
    }
    return us;
}

/// The index-th UTF-8 character of `s` ("" past the end).
std::string_view utf8_at(std::string_view s, int index) {
    std::size_t i = 0;
    for (int n = 0; i < s.size(); ++n) {
        std::size_t len = 1;
        const auto lead = static_cast<unsigned char>(s[i]);
        if (lead >= 0xF0) len = 4;
        else if (lead >= 0xE0) len = 3;
        else if (lead >= 0xC0) len = 2;
        if (n == index) return s.substr(i, len);
        i += len;
    }
    return {};
}

bool is_letter(std::string_view c) {
    if (c.size() == 1) return (c[0] >= 'a' && c[0] <= 'z') || (c[0] >= 'A' && c[0] <= 'Z');
    return c == "ä" || c == "ö" || c == "ü" || c == "Ä" || c == "Ö" || c == "Ü";
}

std::string keypad(int code) {
    switch (code) {
        case KEY_KP0: return "0";
        case KEY_KP1: return "1";
        case KEY_KP2: return "2";
        case KEY_KP3: return "3";
        case KEY_KP4: return "4";
        case KEY_KP5: return "5";
        case KEY_KP6: return "6";
        case KEY_KP7: return "7";
        case KEY_KP8: return "8";
        case KEY_KP9: return "9";
        case KEY_KPMINUS: return "-";
        case KEY_KPPLUS: return "+";
        case KEY_KPASTERISK: return "*";
        case KEY_KPSLASH: return "/";
        default: return "";
    }
}

}  // namespace

bool parse_layout(std::string_view text, Layout& out) noexcept {
    if (text == "us") out = Layout::us;
    else if (text == "de") out = Layout::de;
    else if (text == "fr") out = Layout::fr;
    else return false;
    return true;
}

std::string key_text(Layout layout, int code, Modifiers mods) {
    if (code == KEY_SPACE) return " ";
    if (std::string k = keypad(code); !k.empty()) return k;
    const LayoutTable& t = table(layout);
    if (mods.altgr) {
        for (const auto& [c, text] : t.altgr)
            if (c == code) return std::string(text);
        return "";
    }
    if (code == KEY_102ND) return std::string(mods.shift ? t.iso_shifted : t.iso_plain);
    for (const Row& row : t.rows) {
        const int index = code - row.first_code;
        if (index < 0) continue;
        std::string_view plain = utf8_at(row.plain, index);
        if (plain.empty()) continue;
        bool shift = mods.shift;
        if (mods.caps_lock && is_letter(plain)) shift = !shift;  // Caps Lock shifts letters only
        return std::string(shift ? utf8_at(row.shifted, index) : plain);
    }
    return "";
}

}  // namespace till::scanner_hid
