#include "code_pages.hpp"

#include <algorithm>

namespace till::printer_escpos {
namespace {

constexpr CodePage kAllPages[] = {CodePage::cp437, CodePage::cp858, CodePage::cp852, CodePage::cp866,
                                  CodePage::wpc1252};

constexpr char32_t kReplacement = 0xFFFD;

const char* find_transliteration(char32_t cp) {
    const auto* begin = tables::transliterations;
    const auto* end = begin + tables::transliteration_count;
    const auto* it =
        std::lower_bound(begin, end, cp, [](const tables::Transliteration& t, char32_t c) { return t.code_point < c; });
    return it != end && it->code_point == cp ? it->replacement : nullptr;
}

bool page_has_all(CodePage page, std::string_view text) {
    for (std::size_t i = 0; i < text.size();)
        if (!encode_code_point(page, next_code_point(text, i))) return false;
    return true;
}

}  // namespace

CodePageInfo code_page_info(CodePage page) {
    using namespace tables;
    // ESC t numbers as Epson numbers them; most other brands follow for these pages.
    switch (page) {
        case CodePage::cp437:
            return {page, "cp437", 0, cp437, cp437_by_code_point, cp437_by_code_point_count};
        case CodePage::cp858:
            return {page, "cp858", 19, cp858, cp858_by_code_point, cp858_by_code_point_count};
        case CodePage::cp852:
            return {page, "cp852", 18, cp852, cp852_by_code_point, cp852_by_code_point_count};
        case CodePage::cp866:
            return {page, "cp866", 17, cp866, cp866_by_code_point, cp866_by_code_point_count};
        case CodePage::wpc1252:
            return {page, "wpc1252", 16, wpc1252, wpc1252_by_code_point, wpc1252_by_code_point_count};
    }
    return code_page_info(CodePage::cp437);
}

std::optional<CodePage> code_page_from_name(std::string_view name) {
    for (auto page : kAllPages)
        if (name == code_page_info(page).name) return page;
    return std::nullopt;
}

std::string code_page_names() {
    std::string names;
    for (auto page : kAllPages) names += (names.empty() ? "" : ", ") + std::string(code_page_info(page).name);
    return names;
}

std::optional<std::uint8_t> encode_code_point(CodePage page, char32_t cp) {
    if (cp >= 0x20 && cp < 0x7F) return static_cast<std::uint8_t>(cp);
    const auto info = code_page_info(page);
    const auto* end = info.by_code_point + info.by_code_point_count;
    const auto* it = std::lower_bound(info.by_code_point, end, cp,
                                      [](const tables::CodePointByte& e, char32_t c) { return e.code_point < c; });
    if (it != end && it->code_point == cp) return it->byte;
    return std::nullopt;
}

char32_t decode_byte(CodePage page, std::uint8_t b) {
    if (b < 0x80) return b;
    return code_page_info(page).upper[b - 0x80];
}

char32_t next_code_point(std::string_view s, std::size_t& i) {
    const auto c0 = static_cast<unsigned char>(s[i]);
    int extra = 0;
    char32_t cp = 0;
    if (c0 < 0x80) {
        ++i;
        return c0;
    } else if ((c0 & 0xE0) == 0xC0) {
        extra = 1;
        cp = c0 & 0x1F;
    } else if ((c0 & 0xF0) == 0xE0) {
        extra = 2;
        cp = c0 & 0x0F;
    } else if ((c0 & 0xF8) == 0xF0) {
        extra = 3;
        cp = c0 & 0x07;
    } else {
        ++i;
        return kReplacement;
    }
    if (i + static_cast<std::size_t>(extra) >= s.size()) {  // truncated sequence
        ++i;
        return kReplacement;
    }
    for (int k = 1; k <= extra; ++k) {
        const auto c = static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]);
        if ((c & 0xC0) != 0x80) {
            ++i;
            return kReplacement;
        }
        cp = (cp << 6) | (c & 0x3F);
    }
    i += static_cast<std::size_t>(extra) + 1;
    return cp;
}

void append_utf8(std::string& out, char32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

std::string transliterate(std::string_view text, CodePage page, std::size_t* unknown) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t start = i;
        const char32_t cp = next_code_point(text, i);
        if (cp < 0x80) {  // ASCII, controls included: the layout turns controls into spaces
            out += static_cast<char>(cp);
            continue;
        }
        if (encode_code_point(page, cp)) {
            out.append(text.substr(start, i - start));
            continue;
        }
        if (const char* t = find_transliteration(cp); t && page_has_all(page, t)) {
            out += t;
            continue;
        }
        out += '?';
        if (unknown) ++*unknown;
    }
    return out;
}

std::string encode_text(std::string_view text, CodePage page) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        const char32_t cp = next_code_point(text, i);
        if (cp < 0x20 || cp == 0x7F) {
            out += ' ';
        } else if (auto b = encode_code_point(page, cp)) {
            out += static_cast<char>(*b);
        } else {
            out += '?';
        }
    }
    return out;
}

}  // namespace till::printer_escpos
