// Till SDK — receipts: a device-independent printed document (SDK ABI 1.1).
//
// A Receipt is what the kernel (or a plugin) wants on paper, described without
// any printer language: a list of blocks — text, a row of columns, a rule, a
// barcode, a QR code, a logo, a paper feed, a cut, a cash-drawer pulse. A
// printer plugin (ReceiptPrinter in device.hpp) turns it into bytes for its
// hardware (ESC/POS, StarPRNT, a PDF, ...); layout rules shared by every
// printer (wrapping, fitting columns to the paper, a plain-text rendering)
// are the functions at the end of this header, so all printers agree on
// where a line breaks.
//
// Who builds receipts: the kernel's receipt templates (sale, refund, X/Z
// report, kitchen ticket, ...) fill a Receipt from an order and queue it as
// a print job; a plugin may build one too (a test page). Typical use:
//
//     till::sdk::Receipt r;
//     r.kind = till::sdk::receipt_kind::sale;
//     r.job_id = "sale-0042-1";
//     r.text("CORNER SHOP", TextAlign::center, TextStyle{.bold = true, .double_width = true})
//      .rule()
//      .columns({Column::fill("2 x Coffee"), Column::chars("7.00", 8, TextAlign::right)})
//      .rule('=')
//      .columns({Column::fill("TOTAL"), Column::chars("7.00", 8, TextAlign::right)},
//               TextStyle{.bold = true})
//      .barcode(BarcodeSymbology::code128, "S0042")
//      .cut();
//
// Units and limits:
//  - Widths are in characters of the normal font (the "columns" of the paper:
//    32 on 58 mm paper, 42 or 48 on 80 mm). Text is UTF-8 and counted in code
//    points (one code point = one character cell; combining marks and
//    East-Asian wide characters are not special-cased).
//  - Double width halves the characters that fit on a line; double height
//    does not change the width.
//  - Images are in printer dots (203 dpi: 384 dots on 58 mm, 576 on 80 mm).
//  - Money is never formatted here: the template formats amounts (int64
//    minor units) for the locale and passes the text.
//
// Text never carries printer commands: control characters are printed as
// spaces, and a character the printer's code page lacks is transliterated
// ("é" → "e", "€" → "EUR") by the printer plugin, never silently dropped.
//
// Threading: plain values; copy freely. Nothing here does I/O.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "till/sdk/status.hpp"

namespace till::sdk {

/// Well-known values of Receipt::kind. A printer may treat kinds differently
/// (e.g. a kitchen printer prints "kitchen" in large type); the kernel's
/// routing uses the kind to choose printers. Other kinds are allowed.
namespace receipt_kind {
inline constexpr std::string_view sale = "sale";
inline constexpr std::string_view refund = "refund";
inline constexpr std::string_view exchange = "exchange";
inline constexpr std::string_view x_report = "x_report";
inline constexpr std::string_view z_report = "z_report";
inline constexpr std::string_view kitchen = "kitchen";
inline constexpr std::string_view cash_movement = "cash_movement";
inline constexpr std::string_view test = "test";
}  // namespace receipt_kind

enum class TextAlign { left, center, right };

/// Character styles. They combine freely (bold + double height, ...).
struct TextStyle {
    bool bold = false;
    bool underline = false;
    bool double_width = false;   ///< each character takes two cells
    bool double_height = false;  ///< each line takes two rows; width unchanged
    bool operator==(const TextStyle&) const = default;
};

/// A paragraph. Wrapped at spaces to the width (a word longer than a line is
/// cut); '\n' starts a new line; "" prints one empty line.
struct TextBlock {
    std::string text;
    TextAlign align = TextAlign::left;
    TextStyle style;
};

/// One cell of a ColumnsBlock: its text and how wide its column is.
struct Column {
    std::string text;
    /// Fixed width in characters (> 0), or 0 to take a share of what the
    /// fixed columns and gaps leave.
    int width_chars = 0;
    /// Weight of this column in the remaining width when width_chars == 0
    /// (1 by default: equal shares). Ignored for fixed columns.
    int share = 1;
    TextAlign align = TextAlign::left;

    /// A cell `width` characters wide.
    static Column chars(std::string text, int width, TextAlign align = TextAlign::left) {
        return Column{std::move(text), width, 0, align};
    }
    /// A cell taking `weight` shares of the remaining width.
    static Column fill(std::string text, TextAlign align = TextAlign::left, int weight = 1) {
        return Column{std::move(text), 0, weight, align};
    }
};

/// A table row: cells side by side, `gap_chars` spaces between them, fitted
/// to the paper width. A cell longer than its column wraps inside it, and the
/// row grows to the tallest cell. Typical line item:
///     {Column::fill("Coffee"), Column::chars("2", 3, TextAlign::right),
///      Column::chars("7.00", 8, TextAlign::right)}
struct ColumnsBlock {
    std::vector<Column> columns;
    int gap_chars = 1;
    TextStyle style;  ///< applies to the whole row
};

/// A horizontal line: `character` (one UTF-8 character, e.g. "-", "=", "─")
/// repeated over the full width.
struct RuleBlock {
    std::string character = "-";
};

enum class BarcodeSymbology {
    ean13,    ///< 12 digits (check digit added) or 13 (check digit verified)
    code128,  ///< printable ASCII; all-digit data of even length uses the compact code set C
};

struct BarcodeBlock {
    BarcodeSymbology symbology = BarcodeSymbology::code128;
    std::string data;
    bool text_below = true;  ///< human-readable text under the bars
    int height_dots = 80;    ///< 1..255
    int module_dots = 2;     ///< width of the narrowest bar, 2..6
    TextAlign align = TextAlign::center;
};

enum class QrErrorLevel { low, medium, quartile, high };  ///< recovers 7/15/25/30 %

/// A QR code (model 2, byte mode). Up to 2953 bytes of data (level low;
/// fewer at higher levels); a receipt link or an e-invoice payload.
struct QrBlock {
    std::string data;
    int module_dots = 6;  ///< size of one module, 1..16
    QrErrorLevel error_level = QrErrorLevel::medium;
    TextAlign align = TextAlign::center;
};

/// A 1-bit raster image (a logo). Row-major, `row_bytes` bytes per row, most
/// significant bit first, 1 = black; bits past `width_dots` in a row are
/// ignored. bits.size() must be row_bytes * height_dots.
struct ImageBlock {
    int width_dots = 0;
    int height_dots = 0;
    int row_bytes = 0;  ///< at least (width_dots + 7) / 8
    std::vector<std::uint8_t> bits;
    TextAlign align = TextAlign::center;
};

/// Blank paper: `lines` empty lines (0..255).
struct FeedBlock {
    int lines = 1;
};

enum class CutKind { full, partial };

/// Feeds the paper past the cutter and cuts.
struct CutBlock {
    CutKind kind = CutKind::partial;
};

/// Opens the cash drawer wired to the printer's drawer port: pulse on `pin`
/// (0 = connector pin 2, 1 = pin 5) for on_ms, then off_ms of rest (each
/// 2..510, rounded down to even).
struct DrawerPulseBlock {
    int pin = 0;
    int on_ms = 100;
    int off_ms = 100;
};

using ReceiptBlock = std::variant<TextBlock, ColumnsBlock, RuleBlock, BarcodeBlock, QrBlock, ImageBlock, FeedBlock,
                                  CutBlock, DrawerPulseBlock>;

/// A printed document: blocks printed top to bottom. A receipt that should
/// be cut ends with a CutBlock: nothing is added implicitly.
struct Receipt {
    /// What it is (receipt_kind::sale, ...): for routing, logs and file names.
    std::string kind = std::string(receipt_kind::sale);
    /// Identifies the print job across retries: a printer that is asked twice
    /// for the same job_id may print twice (paper cannot be unprinted), so the
    /// print queue decides when to retry; a file printer overwrites.
    /// Letters, digits, '-', '_' and '.' keep file names readable.
    std::string job_id;
    /// BCP 47 language the template used ("en", "fr-CH"); informative.
    std::string language;
    std::vector<ReceiptBlock> blocks;

    // Builders, for templates and tests: each appends one block and returns
    // *this so calls chain.
    Receipt& text(std::string text, TextAlign align = TextAlign::left, TextStyle style = {});
    Receipt& columns(std::vector<Column> cells, TextStyle style = {}, int gap_chars = 1);
    Receipt& rule(std::string character = "-");
    Receipt& rule(char character) { return rule(std::string(1, character)); }
    Receipt& barcode(BarcodeSymbology symbology, std::string data, bool text_below = true);
    Receipt& qr(std::string data, QrErrorLevel level = QrErrorLevel::medium, int module_dots = 6);
    Receipt& image(ImageBlock image);
    Receipt& feed(int lines = 1);
    Receipt& cut(CutKind kind = CutKind::partial);
    Receipt& drawer_pulse(int pin = 0, int on_ms = 100, int off_ms = 100);
};

// ---------------------------------------------------------------------------
// Layout helpers: the rules every printer plugin shares. Pure functions.

/// Number of UTF-8 code points in `text` (continuation bytes not counted).
std::size_t utf8_length(std::string_view text);

/// The first `max_chars` code points of `text` (whole code points).
std::string utf8_prefix(std::string_view text, std::size_t max_chars);

/// Characters that fit on one line in `style` on paper `columns` wide
/// (half of it, rounded down, for double width; at least 1).
int line_width(int columns, const TextStyle& style);

/// Splits `text` into lines of at most `width` code points, breaking at the
/// last space that fits and cutting words longer than a line. '\n' starts a
/// new line; '\r' is dropped; other control characters become spaces; runs
/// of spaces inside a line are kept. "" gives one empty line.
std::vector<std::string> wrap_text(std::string_view text, int width);

/// Pads `text` (at most `width` code points) to `width` for the alignment.
/// With `trim_right`, trailing spaces are left out (plain-text output).
std::string align_text(std::string_view text, TextAlign align, int width, bool trim_right = false);

/// The width of each column of `block` on a line `width` characters wide:
/// fixed columns keep their width, shares split the rest (remainder to the
/// first share columns); when fixed columns and gaps do not fit, the widest
/// columns shrink, never below 1 character.
std::vector<int> fit_columns(const ColumnsBlock& block, int width);

/// The lines of a row of columns (each exactly `width` code points when
/// `trim_right` is false): cells wrapped inside their columns, aligned.
std::vector<std::string> layout_columns(const ColumnsBlock& block, int width, bool trim_right = false);

/// EAN-13 data ready to print: 12 digits get their check digit appended, 13
/// digits are verified. Error code "invalid_argument" with a message saying
/// what is wrong ("check digit is 2, expected 1").
Result<std::string> normalize_ean13(std::string_view data);

/// Checks what a printer cannot print: a barcode or QR code with invalid
/// data or sizes, an image whose bits do not match its size or that is wider
/// than `paper_dots`, columns with negative widths, a rule that is not one
/// character, out-of-range feeds or pulses. The error message names the
/// block ("blocks[7] (barcode): ..."). Templates call it before queuing.
Status validate_receipt(const Receipt& receipt, int paper_dots);

/// Paper width in dots for a width in characters: 384 up to 35 columns
/// (58 mm), 576 above (80 mm), the usual 203 dpi printers.
int paper_dots_for_columns(int columns);

/// The receipt as plain text, `columns` characters wide at most, one string
/// per printed row — the preview a file printer writes and tests compare.
/// Conventions: styles are not marked (double height is one row); text is
/// aligned within the full width counting double-width characters as two
/// cells; trailing spaces are trimmed; a barcode is "[EAN-13: 4006381333931]"
/// or "[CODE128: data]", a QR code "[QR: data]" (wrapped), an image
/// "[image WxH]", each aligned as the block says; a feed is `lines` empty
/// rows; a cut "--- cut ---" (full) or "- - - cut - - -" (partial); a
/// drawer pulse "[drawer]". Blocks that fail validate_receipt are rendered
/// as "[invalid: reason]".
std::vector<std::string> render_plain_text(const Receipt& receipt, int columns);

/// render_plain_text joined with '\n' after every row.
std::string plain_text(const Receipt& receipt, int columns);

}  // namespace till::sdk
