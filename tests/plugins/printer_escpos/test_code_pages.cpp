// Code pages: the euro sign where the page has it, a transliteration where
// it does not, '?' (counted) when nothing fits — never a dropped character.
#include <catch2/catch.hpp>

#include "code_pages.hpp"
#include "escpos_decoder.hpp"
#include "escpos_encoder.hpp"

using namespace till::printer_escpos;

TEST_CASE("the euro sign is 0xD5 on CP858 and 0x80 on WPC1252") {
    CHECK(encode_text("€", CodePage::cp858) == "\xD5");
    CHECK(encode_text("€", CodePage::wpc1252) == "\x80");
    CHECK(decode_byte(CodePage::cp858, 0xD5) == U'€');
    CHECK_FALSE(encode_code_point(CodePage::cp437, U'€').has_value());
}

TEST_CASE("CP437 has no euro sign: it becomes EUR") {
    std::size_t unknown = 0;
    CHECK(transliterate("€ 5.00", CodePage::cp437, &unknown) == "EUR 5.00");
    CHECK(unknown == 0);
    auto encoded = encode_receipt(till::sdk::Receipt().text("Total € 5.00"), {42, CodePage::cp437, 576});
    REQUIRE(encoded.ok());
    CHECK(encoded->bytes.find("Total EUR 5.00\n") != std::string::npos);
    CHECK(encoded->bytes.substr(0, 5) == std::string("\x1B@\x1Bt\x00", 5));
    CHECK(encoded->plain_text == "Total EUR 5.00\n");
}

TEST_CASE("characters a page lacks are transliterated, on every page") {
    CHECK(transliterate("“quoted” – ok…", CodePage::cp858) == "\"quoted\" - ok...");
    CHECK(transliterate("Straße", CodePage::cp866) == "Strasse");
    CHECK(transliterate("Straße", CodePage::cp437) == "Straße");  // CP437 has ß (0xE1)
    CHECK(encode_text("ß", CodePage::cp437) == "\xE1");
    CHECK(transliterate("Łódź", CodePage::cp858) == "Lódz");  // CP858 has ó, not Ł or ź
    CHECK(transliterate("Łódź", CodePage::cp866) == "Lodz");
    CHECK(transliterate("Łódź", CodePage::cp852) == "Łódź");
    CHECK(transliterate("Привет", CodePage::cp858) == "Privet");
    CHECK(encode_text("Привет", CodePage::cp866) == "\x8F\xE0\xA8\xA2\xA5\xE2");
    CHECK(transliterate("é", CodePage::cp866) == "e");
    CHECK(transliterate("œuvre", CodePage::wpc1252) == "œuvre");
    CHECK(transliterate("œuvre", CodePage::cp437) == "oeuvre");
}

TEST_CASE("a character with no transliteration is printed as '?' and counted") {
    std::size_t unknown = 0;
    CHECK(transliterate("ok 😀 中", CodePage::cp858, &unknown) == "ok ? ?");
    CHECK(unknown == 2);
    CHECK(transliterate("bad \xFF byte", CodePage::cp858) == "bad ? byte");
    auto encoded = encode_receipt(till::sdk::Receipt().text("😀"), {42, CodePage::cp858, 576});
    REQUIRE(encoded.ok());
    CHECK(encoded->unknown_chars == 1);
}

TEST_CASE("code pages are chosen by name and announced with ESC t") {
    CHECK(code_page_from_name("cp858") == CodePage::cp858);
    CHECK_FALSE(code_page_from_name("cp1251").has_value());
    for (auto page : {CodePage::cp437, CodePage::cp858, CodePage::cp852, CodePage::cp866, CodePage::wpc1252}) {
        auto encoded = encode_receipt(till::sdk::Receipt().text("Grüße"), {42, page, 576});
        REQUIRE(encoded.ok());
        const auto decoded = till::test::decode_escpos(encoded->bytes, 42);
        CHECK(decoded.code_page == code_page_info(page).escpos_number);
        CHECK(decoded.errors.empty());
        CHECK(decoded.text() == encoded->plain_text);
    }
}
