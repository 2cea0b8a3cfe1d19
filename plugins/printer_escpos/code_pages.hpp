// printer_escpos: the code pages the plugin can print with, and turning
// UTF-8 text into bytes of one of them. A character the page lacks is
// transliterated ("é" → "e", "€" → "EUR"); one with no transliteration
// becomes '?' and is counted — never dropped silently.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace till::printer_escpos {

enum class CodePage { cp437, cp858, cp852, cp866, wpc1252 };

namespace tables {
struct CodePointByte {
    char32_t code_point;
    std::uint8_t byte;
};
}  // namespace tables

struct CodePageInfo {
    CodePage page;
    const char* name;                            ///< config name: "cp858"
    std::uint8_t escpos_number;                  ///< n of ESC t n (Epson numbering)
    const char32_t* upper;                       ///< 128 code points for bytes 0x80..0xFF (0 = none)
    const tables::CodePointByte* by_code_point;  ///< the same, sorted by code point
    std::size_t by_code_point_count;
};

CodePageInfo code_page_info(CodePage page);
std::optional<CodePage> code_page_from_name(std::string_view name);
/// "cp437, cp858, cp852, cp866, wpc1252" (for error messages and docs).
std::string code_page_names();

/// The byte for `cp` in `page`; nullopt when the page lacks it. Printable
/// ASCII maps to itself in every page.
std::optional<std::uint8_t> encode_code_point(CodePage page, char32_t cp);
/// The code point of byte `b` in `page` (0 when the page leaves it unset).
char32_t decode_byte(CodePage page, std::uint8_t b);

/// Decodes one UTF-8 code point at text[i], advancing i; malformed bytes
/// give U+FFFD and advance by one.
char32_t next_code_point(std::string_view text, std::size_t& i);
void append_utf8(std::string& out, char32_t cp);

/// `text` with every character the page lacks replaced by its
/// transliteration (each character of which the page has) or '?'. The
/// result is still UTF-8; `unknown` (if given) is incremented per '?'.
std::string transliterate(std::string_view text, CodePage page, std::size_t* unknown = nullptr);

/// UTF-8 text (already transliterated) as bytes of `page`; control
/// characters become spaces, anything still missing '?'.
std::string encode_text(std::string_view text, CodePage page);

namespace tables {
struct Transliteration {
    char32_t code_point;
    const char* replacement;
};
extern const char32_t cp437[128];
extern const char32_t cp858[128];
extern const char32_t cp852[128];
extern const char32_t cp866[128];
extern const char32_t wpc1252[128];
extern const CodePointByte cp437_by_code_point[];
extern const CodePointByte cp858_by_code_point[];
extern const CodePointByte cp852_by_code_point[];
extern const CodePointByte cp866_by_code_point[];
extern const CodePointByte wpc1252_by_code_point[];
extern const std::size_t cp437_by_code_point_count;
extern const std::size_t cp858_by_code_point_count;
extern const std::size_t cp852_by_code_point_count;
extern const std::size_t cp866_by_code_point_count;
extern const std::size_t wpc1252_by_code_point_count;
extern const Transliteration transliterations[];
extern const std::size_t transliteration_count;
}  // namespace tables

}  // namespace till::printer_escpos
