// Golden files: each receipt kind encoded for a CP858 printer must equal
// golden/<kind>.bin byte for byte, and those bytes, decoded back by the
// test-side decoder, must give golden/<kind>.txt — which is also exactly the
// plain text the virtual printer writes. Regenerate after an intended
// change with TILL_UPDATE_GOLDEN=1 and review the .txt diffs.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>

#include "escpos_decoder.hpp"
#include "escpos_encoder.hpp"
#include "sample_receipts.hpp"
#include "support/temp_dir.hpp"

namespace {

using namespace till::printer_escpos;

std::string golden_path(const std::string& file) {
    return std::string(TILL_ESCPOS_GOLDEN_DIR) + "/" + file;
}

void write(const std::string& path, const std::string& data) {
    std::ofstream out(path, std::ios::binary);
    out << data;
}

}  // namespace

TEST_CASE("every receipt kind matches its golden bytes and decodes to its golden text") {
    const bool update = std::getenv("TILL_UPDATE_GOLDEN") != nullptr;
    const auto samples = till::test::sample_receipts();
    REQUIRE(samples.size() == 7);
    for (const auto& s : samples) {
        INFO("receipt " << s.name << " (" << s.columns << " columns)");
        auto encoded =
            encode_receipt(s.receipt, {s.columns, CodePage::cp858, till::sdk::paper_dots_for_columns(s.columns)});
        INFO((encoded ? std::string() : encoded.error().message));
        REQUIRE(encoded.ok());
        if (update) {
            write(golden_path(s.name + ".bin"), encoded->bytes);
            write(golden_path(s.name + ".txt"), encoded->plain_text);
        }
        const std::string golden_bin = till::test::read_file(golden_path(s.name + ".bin"));
        const std::string golden_txt = till::test::read_file(golden_path(s.name + ".txt"));
        REQUIRE_FALSE(golden_bin.empty());
        CHECK(encoded->bytes == golden_bin);
        CHECK(encoded->plain_text == golden_txt);
        CHECK(encoded->unknown_chars == 0);

        const auto decoded = till::test::decode_escpos(golden_bin, s.columns);
        CHECK(decoded.errors.empty());
        for (const auto& e : decoded.errors) INFO(e);
        CHECK(decoded.initialised);
        CHECK(decoded.code_page == 19);
        CHECK(decoded.text() == golden_txt);
        for (const auto& row : decoded.rows) CHECK(till::sdk::utf8_length(row) <= static_cast<std::size_t>(s.columns));
    }
}

TEST_CASE("the golden sale receipt prints what a cashier expects") {
    const std::string txt = till::test::read_file(golden_path("sale.txt"));
    CHECK(txt.find("Café Zürich") != std::string::npos);
    CHECK(txt.find("€ 28.70") != std::string::npos);                  // CP858 has the euro sign
    CHECK(txt.find("[EAN-13: 4006381333931]") != std::string::npos);  // check digit added
    CHECK(txt.find("[QR: https://till.example/r/0042?t=abc]") != std::string::npos);
    CHECK(txt.find("[drawer]") != std::string::npos);
    CHECK(txt.rfind("- - - cut - - -\n") == txt.size() - 16);

    const auto decoded = till::test::decode_escpos(till::test::read_file(golden_path("sale.bin")), 42);
    REQUIRE_FALSE(decoded.lines.empty());
    const auto& title = decoded.lines[0];
    CHECK(title.text == "Café Zürich");
    CHECK(title.bold);
    CHECK(title.double_width);
    CHECK(title.double_height);
    CHECK(title.align == 1);
    REQUIRE(decoded.barcodes.size() == 1);
    CHECK(decoded.barcodes[0].type == 67);
    CHECK(decoded.barcodes[0].hri == 2);
    REQUIRE(decoded.qr_codes.size() == 1);
    CHECK(decoded.qr_codes[0].model == 50);
    CHECK(decoded.qr_codes[0].module == 5);
    CHECK(decoded.qr_codes[0].error_level == 49);
    REQUIRE(decoded.pulses.size() == 1);
    CHECK(decoded.pulses[0].on_ms == 100);
    CHECK(decoded.cuts == std::vector<std::string>{"partial"});
    CHECK(decoded.images == std::vector<std::string>{"64x16"});
}
