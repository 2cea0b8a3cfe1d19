// printer_file: turns a device-independent PrintJob into plain-text lines of
// at most `columns` characters (UTF-8 code points). Pure functions, no I/O.
//
// How styles appear in text:
//   bold           *text*  (wrapped to columns - 2 so the marks fit)
//   double_height  the text, then a row of '=' under it (two rows, as on paper)
//   barcode        [barcode: DATA], centred
//   drawer kick    [drawer kick]
//   cut            --- cut ---
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <till/sdk/device.hpp>

namespace till::printer_file {

/// The line written where the paper would be cut.
inline constexpr std::string_view kCutLine = "--- cut ---";
/// The line written where the cash drawer would be kicked.
inline constexpr std::string_view kDrawerKickLine = "[drawer kick]";
/// Narrowest width the renderer works with; smaller values are raised to it.
inline constexpr int kMinColumns = 8;

/// Number of UTF-8 code points in `text` (continuation bytes not counted).
std::size_t display_width(std::string_view text);

/// Replaces control characters (tab included) with spaces and drops '\r';
/// keeps '\n', which separates paragraphs.
std::string sanitize(std::string_view text);

/// Splits `text` into pieces of at most `width` code points, breaking at the
/// last space that fits and cutting words longer than a line. Text that fits
/// is kept as is (inner spacing preserved). '\n' starts a new piece. Empty
/// text gives one empty piece.
std::vector<std::string> wrap_text(std::string_view text, int width);

/// Pads `text` (at most `width` wide) on the left for centre and right
/// alignment; never adds trailing spaces.
std::string align_text(std::string_view text, sdk::PrintLine::Align align, int width);

/// One PrintLine as text rows.
std::vector<std::string> render_line(const sdk::PrintLine& line, int columns);

/// A whole job: its lines, then the barcode, the drawer kick and the cut.
std::vector<std::string> render_job(const sdk::PrintJob& job, int columns);

}  // namespace till::printer_file
