// printer_escpos: a Receipt as ESC/POS bytes. Pure functions, no I/O.
//
// Command set (Epson ESC/POS, which most receipt printers follow):
//   ESC @            initialise            ESC t n        code page
//   ESC a n          alignment             ESC E n        bold
//   ESC - n          underline             GS ! n         double width/height
//   GS H/h/w, GS k   barcode (m=67 EAN-13, m=73 CODE128 with {B or {C)
//   GS ( k           QR: model 2, module size, error level, store, print
//   GS v 0           raster image          ESC d n        feed n lines
//   GS V 65/66 0     feed to the cutter and cut (full/partial)
//   ESC p m t1 t2    drawer pulse (t in units of 2 ms)
// Text is laid out by the SDK's layout rules (wrap_text, layout_columns) and
// every line ends with LF, so the printer never wraps by itself and the
// plain-text rendering matches the paper.
#pragma once

#include <cstddef>
#include <string>

#include <till/sdk/receipt.hpp>
#include <till/sdk/status.hpp>

#include "code_pages.hpp"

namespace till::printer_escpos {

struct EncoderOptions {
    int columns = 42;  ///< characters per line, normal font
    CodePage code_page = CodePage::cp858;
    int paper_dots = 576;         ///< printable width in dots (images)
    bool with_plain_text = true;  ///< also fill EncodedReceipt::plain_text (file printers)
};

struct EncodedReceipt {
    std::string bytes;              ///< what goes to the printer
    std::string plain_text;         ///< sdk::plain_text of what is printed (after transliteration), if asked
    std::size_t unknown_chars = 0;  ///< characters printed as '?' (no transliteration)
};

/// The receipt with every text (text, columns, rule) rewritten for `page`
/// (see transliterate()). Barcode and QR data are left as they are.
sdk::Receipt transliterate_receipt(const sdk::Receipt& receipt, CodePage page, std::size_t* unknown = nullptr);

/// Transliterates, validates (sdk::validate_receipt: an invalid receipt is
/// an "invalid_argument" error naming the block) and encodes `receipt`:
/// ESC @, ESC t, then the blocks. Nothing is added after the last block.
sdk::Result<EncodedReceipt> encode_receipt(const sdk::Receipt& receipt, const EncoderOptions& options);

/// ESC p: a drawer pulse on `pin` (0 or 1), times in ms (2..510).
std::string encode_drawer_pulse(int pin, int on_ms, int off_ms);

}  // namespace till::printer_escpos
