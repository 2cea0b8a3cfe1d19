// The ESC/POS encoder, command by command, checked against the Epson
// reference byte sequences.
#include <catch2/catch.hpp>

#include "escpos_decoder.hpp"
#include "escpos_encoder.hpp"
#include "sample_receipts.hpp"

using namespace till::printer_escpos;
using namespace till::sdk;
using till::test::decode_escpos;

namespace {

std::string bytes_of(const Receipt& r, int columns = 42, CodePage page = CodePage::cp858) {
    auto e = encode_receipt(r, {columns, page, paper_dots_for_columns(columns)});
    INFO((e ? std::string() : e.error().message));
    REQUIRE(e.ok());
    return e->bytes;
}

/// The bytes after ESC @ ESC t n.
std::string body(const Receipt& r) {
    return bytes_of(r).substr(5);
}

std::string b(std::initializer_list<int> values) {
    std::string s;
    for (int v : values) s += static_cast<char>(v);
    return s;
}

}  // namespace

TEST_CASE("a receipt starts with ESC @ and ESC t") {
    CHECK(bytes_of(Receipt(), 42, CodePage::cp858) == b({0x1B, 0x40, 0x1B, 0x74, 19}));
    CHECK(bytes_of(Receipt(), 42, CodePage::cp866) == b({0x1B, 0x40, 0x1B, 0x74, 17}));
}

TEST_CASE("styles and alignment are sent only when they change") {
    Receipt r;
    r.text("A", TextAlign::center, TextStyle{.bold = true, .underline = true, .double_width = true})
        .text("B", TextAlign::center, TextStyle{.bold = true, .underline = true, .double_width = true})
        .text("C");
    CHECK(body(r) == b({0x1B, 'a', 1, 0x1B, 'E', 1, 0x1B, '-', 1, 0x1D, '!', 0x10}) + "A\nB\n" +
                         b({0x1B, 'a', 0, 0x1B, 'E', 0, 0x1B, '-', 0, 0x1D, '!', 0}) + "C\n");
    CHECK(body(Receipt().text("H", TextAlign::left, TextStyle{.double_height = true})) == b({0x1D, '!', 0x01}) + "H\n");
}

TEST_CASE("the printer never wraps: text is wrapped to the width, double width to half") {
    const auto decoded =
        decode_escpos(bytes_of(Receipt()
                                   .text(std::string(50, 'x'))
                                   .text("wide words here", TextAlign::left, TextStyle{.double_width = true}),
                               24),
                      24);
    CHECK(decoded.rows == std::vector<std::string>{std::string(24, 'x'), std::string(24, 'x'), std::string(2, 'x'),
                                                   "wide words", "here"});
}

TEST_CASE("EAN-13 is sent with GS k 67 and its check digit, a wrong one is refused") {
    CHECK(body(Receipt().barcode(BarcodeSymbology::ean13, "400638133393")) ==
          b({0x1B, 'a', 1, 0x1D, 'H', 2, 0x1D, 'h', 80, 0x1D, 'w', 2, 0x1D, 'k', 67, 13}) + "4006381333931");
    auto bad = encode_receipt(Receipt().text("x").barcode(BarcodeSymbology::ean13, "4006381333932"), {});
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().code == "invalid_argument");
    CHECK(bad.error().message == "blocks[1] (barcode): EAN-13 check digit is 2, expected 1");
}

TEST_CASE("CODE128 uses code set C for even digit runs and B otherwise") {
    BarcodeBlock block;
    block.data = "12345678";
    block.text_below = false;
    Receipt c;
    c.blocks.emplace_back(block);
    CHECK(body(c).substr(12) == b({0x1D, 'k', 73, 6, '{', 'C', 12, 34, 56, 78}));
    const auto decoded = decode_escpos(bytes_of(Receipt().barcode(BarcodeSymbology::code128, "A{1")), 42);
    REQUIRE(decoded.barcodes.size() == 1);
    CHECK(decoded.barcodes[0].code_set == "B");
    CHECK(decoded.barcodes[0].data == "A{1");
    CHECK(bytes_of(Receipt().barcode(BarcodeSymbology::code128, "A{1")).find("{BA{{1") != std::string::npos);
}

TEST_CASE("a QR code is model 2, sized, stored and printed with GS ( k") {
    const std::string expected = b({0x1B, 'a', 1}) +                                // centred
                                 b({0x1D, '(', 'k', 4, 0, 49, 65, 50, 0}) +         // model 2
                                 b({0x1D, '(', 'k', 3, 0, 49, 67, 4}) +             // module 4 dots
                                 b({0x1D, '(', 'k', 3, 0, 49, 69, 51}) +            // level H
                                 b({0x1D, '(', 'k', 8, 0, 49, 80, 48}) + "hello" +  // store 5 bytes
                                 b({0x1D, '(', 'k', 3, 0, 49, 81, 48});             // print
    CHECK(body(Receipt().qr("hello", QrErrorLevel::high, 4)) == expected);
}

TEST_CASE("a logo is a GS v 0 raster with bits past the width cleared") {
    ImageBlock im;
    im.width_dots = 12;
    im.height_dots = 2;
    im.row_bytes = 3;  // wider rows than needed: only 2 bytes per row are sent
    im.bits = {0xFF, 0xFF, 0xAA, 0x81, 0x8F, 0x55};
    im.align = TextAlign::left;
    CHECK(body(Receipt().image(im)) == b({0x1D, 'v', '0', 0, 2, 0, 2, 0, 0xFF, 0xF0, 0x81, 0x80}));
}

TEST_CASE("feed, cut and drawer pulse") {
    CHECK(body(Receipt().feed(3)) == b({0x1B, 'd', 3}));
    CHECK(body(Receipt().feed(0)).empty());
    CHECK(body(Receipt().cut(CutKind::full)) == b({0x1D, 'V', 65, 0}));
    CHECK(body(Receipt().cut(CutKind::partial)) == b({0x1D, 'V', 66, 0}));
    CHECK(body(Receipt().drawer_pulse(1, 120, 240)) == b({0x1B, 'p', 1, 60, 120}));
}

TEST_CASE("control characters in text are printed as spaces, never as commands") {
    const std::string bytes = body(Receipt().text(std::string("a\x1B@b\x1D") + "V"));
    CHECK(bytes == "a @b V\n");
}

TEST_CASE("an invalid receipt is refused before any byte is produced") {
    Receipt r;
    r.image(till::test::sample_logo(640, 8));
    auto e = encode_receipt(r, {32, CodePage::cp858, 384});
    REQUIRE_FALSE(e.ok());
    CHECK(e.error().message == "blocks[0] (image): image is 640 dots wide, the paper 384");
}
