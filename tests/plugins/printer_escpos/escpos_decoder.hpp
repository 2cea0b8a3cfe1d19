// Test-side ESC/POS decoder: reads the bytes a printer would receive and
// says what would come out — the printed rows in the same plain-text
// conventions as sdk::render_plain_text, plus what was asked of the printer
// (styles per line, barcodes, QR codes, images, cuts, drawer pulses).
// Written from the Epson command reference, independently of the encoder,
// so a golden file is checked twice. Unknown commands are reported in
// `errors` with their offset, never skipped silently.
//
// Limitation: GS v 0 carries bytes per row, not dots, so an image shows as
// "[image (row_bytes*8)xH]": test images use widths that are multiples of 8.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace till::test {

struct DecodedLine {
    std::string text;  ///< UTF-8, as printed (no padding)
    int align = 0;     ///< 0 left, 1 center, 2 right
    bool bold = false;
    bool underline = false;
    bool double_width = false;
    bool double_height = false;
};

struct DecodedBarcode {
    int type = 0;          ///< GS k m: 67 EAN-13, 73 CODE128
    std::string data;      ///< CODE128 without the {B/{C prefix, set C pairs as digits
    std::string code_set;  ///< "B" or "C" for CODE128
    int hri = 0, height = 0, module = 0;
};

struct DecodedQr {
    std::string data;
    int model = 0, module = 0, error_level = 0;  ///< error_level 48..51
};

struct DecodedPulse {
    int pin = 0, on_ms = 0, off_ms = 0;
};

struct DecodedReceipt {
    bool initialised = false;        ///< started with ESC @
    int code_page = -1;              ///< ESC t n
    std::vector<std::string> rows;   ///< plain text, like sdk::render_plain_text
    std::vector<DecodedLine> lines;  ///< every text line with its style
    std::vector<DecodedBarcode> barcodes;
    std::vector<DecodedQr> qr_codes;
    std::vector<std::string> images;  ///< "WxH"
    std::vector<std::string> cuts;    ///< "full" / "partial"
    std::vector<DecodedPulse> pulses;
    int status_requests = 0;  ///< DLE EOT
    std::vector<std::string> errors;

    /// rows joined with '\n' after each.
    std::string text() const;
};

DecodedReceipt decode_escpos(std::string_view bytes, int columns);

}  // namespace till::test
