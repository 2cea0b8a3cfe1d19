// The SDK's receipt layout rules (sdk/src/receipt_layout.cpp), which every
// printer plugin shares.
#include <catch2/catch.hpp>

#include <till/sdk/receipt.hpp>

using namespace till::sdk;

TEST_CASE("wrap_text counts UTF-8 code points and breaks at spaces") {
    CHECK(wrap_text("", 10) == std::vector<std::string>{""});
    CHECK(wrap_text("Crème brûlée à la maison", 12) == std::vector<std::string>{"Crème brûlée", "à la maison"});
    CHECK(wrap_text("abcdefghijkl", 5) == std::vector<std::string>{"abcde", "fghij", "kl"});
    CHECK(wrap_text("one\ntwo", 10) == std::vector<std::string>{"one", "two"});
    CHECK(wrap_text("tab\there\r", 20) == std::vector<std::string>{"tab here"});
    CHECK(wrap_text("a  b", 10) == std::vector<std::string>{"a  b"});
}

TEST_CASE("align_text pads by code points") {
    CHECK(align_text("€5", TextAlign::right, 5) == "   €5");
    CHECK(align_text("ab", TextAlign::center, 6) == "  ab  ");
    CHECK(align_text("ab", TextAlign::center, 6, true) == "  ab");
    CHECK(line_width(42, TextStyle{.double_width = true}) == 21);
    CHECK(line_width(1, TextStyle{.double_width = true}) == 1);
}

TEST_CASE("columns fit the paper: fixed widths kept, shares split the rest") {
    ColumnsBlock row{
        {Column::fill("Coffee"), Column::chars("2", 3, TextAlign::right), Column::chars("7.00", 8, TextAlign::right)},
        1,
        {}};
    CHECK(fit_columns(row, 32) == std::vector<int>{19, 3, 8});
    CHECK(fit_columns(row, 42) == std::vector<int>{29, 3, 8});
    CHECK(fit_columns(row, 48) == std::vector<int>{35, 3, 8});
    CHECK(layout_columns(row, 32) == std::vector<std::string>{"Coffee                2     7.00"});

    ColumnsBlock shares{{Column::fill("a", TextAlign::left, 1), Column::fill("b", TextAlign::left, 2)}, 0, {}};
    CHECK(fit_columns(shares, 10) == std::vector<int>{4, 6});  // 3.33 + 6.66: the remainder goes first

    ColumnsBlock too_wide{{Column::chars("x", 30), Column::chars("y", 30)}, 1, {}};
    const auto w = fit_columns(too_wide, 32);
    CHECK(w[0] + w[1] + 1 == 32);
}

TEST_CASE("a cell longer than its column wraps and the row grows") {
    ColumnsBlock row{{Column::fill("Croissant au beurre"), Column::chars("3.20", 6, TextAlign::right)}, 1, {}};
    const auto lines = layout_columns(row, 20, true);
    CHECK(lines == std::vector<std::string>{"Croissant au    3.20", "beurre"});  // 13 + 1 + 6
}

TEST_CASE("EAN-13: the check digit is added or verified") {
    CHECK(normalize_ean13("400638133393").value() == "4006381333931");
    CHECK(normalize_ean13("4006381333931").ok());
    auto wrong = normalize_ean13("4006381333932");
    REQUIRE_FALSE(wrong.ok());
    CHECK(wrong.error().message == "EAN-13 check digit is 2, expected 1");
    CHECK_FALSE(normalize_ean13("40063813339A").ok());
    CHECK_FALSE(normalize_ean13("123").ok());
}

TEST_CASE("validate_receipt names the block that cannot be printed") {
    Receipt r;
    r.text("ok").barcode(BarcodeSymbology::ean13, "4006381333932");
    auto s = validate_receipt(r, 576);
    REQUIRE_FALSE(s.ok());
    CHECK(s.message() == "blocks[1] (barcode): EAN-13 check digit is 2, expected 1");

    Receipt image;
    ImageBlock im{600, 8, 75, std::vector<std::uint8_t>(600, 0), TextAlign::center};
    image.image(im);
    CHECK(validate_receipt(image, 576).message() == "blocks[0] (image): image is 600 dots wide, the paper 576");
    image.blocks.clear();
    image.image(ImageBlock{16, 2, 2, {1, 2, 3}, TextAlign::center});
    CHECK(validate_receipt(image, 576).message().find("bits has 3 bytes") != std::string::npos);

    Receipt more;
    more.rule("--").feed(300).qr("");
    CHECK(validate_receipt(more, 576).message().find("blocks[0] (rule)") == 0);
    CHECK_FALSE(validate_receipt(Receipt().feed(300), 576).ok());
    CHECK_FALSE(validate_receipt(Receipt().qr(""), 576).ok());
    CHECK_FALSE(validate_receipt(Receipt().drawer_pulse(2), 576).ok());
    CHECK_FALSE(validate_receipt(Receipt().barcode(BarcodeSymbology::code128, "tab\there"), 576).ok());
}

TEST_CASE("plain text follows the documented conventions") {
    Receipt r;
    r.text("SHOP", TextAlign::center, TextStyle{.double_width = true})
        .text("right", TextAlign::right)
        .columns({Column::fill("Tea"), Column::chars("€ 3.00", 7, TextAlign::right)})
        .rule('=')
        .barcode(BarcodeSymbology::ean13, "400638133393")
        .barcode(BarcodeSymbology::code128, "X1")
        .qr("hello")
        .image(ImageBlock{8, 1, 1, {0xFF}, TextAlign::left})
        .feed(2)
        .drawer_pulse()
        .cut(CutKind::full)
        .cut(CutKind::partial);
    const auto sp = [](int n) { return std::string(static_cast<std::size_t>(n), ' '); };
    const std::vector<std::string> expected = {
        sp(12) + "SHOP",  // 4 characters of 2 cells centred on 32
        sp(27) + "right",
        "Tea" + sp(23) + "€ 3.00",
        std::string(32, '='),
        sp(4) + "[EAN-13: 4006381333931]",
        sp(9) + "[CODE128: X1]",
        sp(10) + "[QR: hello]",
        "[image 8x1]",
        "",
        "",
        "[drawer]",
        "--- cut ---",
        "- - - cut - - -",
    };
    CHECK(render_plain_text(r, 32) == expected);
    // A marker wider than the paper wraps like text, each line aligned.
    const auto narrow = render_plain_text(Receipt().barcode(BarcodeSymbology::ean13, "400638133393"), 20);
    CHECK(narrow == std::vector<std::string>{sp(6) + "[EAN-13:", sp(3) + "4006381333931]"});
    CHECK(plain_text(Receipt().text("a"), 20) == "a\n");
}

TEST_CASE("an invalid block shows in the plain text instead of disappearing") {
    Receipt r;
    r.barcode(BarcodeSymbology::ean13, "12");
    const auto rows = render_plain_text(r, 80);
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].find("[invalid: EAN-13 needs 12 or 13 digits") == 0);
}
