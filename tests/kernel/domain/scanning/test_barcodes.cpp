#include <catch2/catch.hpp>

#include "domain/scanning/barcode_check.hpp"
#include "domain/scanning/embedded_barcode.hpp"
#include "domain/scanning/scan_settings.hpp"

using namespace till::domain::scanning;

namespace {
/// `payload` with its GS1 check digit appended.
std::string with_check(const std::string& payload) { return payload + std::to_string(gs1_check_digit(payload)); }
}  // namespace

TEST_CASE("GTIN check digits: EAN-13, UPC-A and EAN-8", "[scanning]") {
    CHECK(check_barcode("4006381333931").symbology == "ean13");
    CHECK(check_barcode("4006381333931").valid);
    CHECK(check_barcode("5901234123457").valid);
    CHECK(check_barcode("036000291452").symbology == "upca");
    CHECK(check_barcode("036000291452").valid);
    CHECK(check_barcode("96385074").symbology == "ean8");
    CHECK(check_barcode("96385074").valid);
    CHECK(check_barcode("73513537").valid);

    auto wrong = check_barcode("4006381333932");
    CHECK_FALSE(wrong.valid);
    CHECK(wrong.reason.find("expected 1") != std::string::npos);
    CHECK_FALSE(check_barcode("036000291453").valid);
    CHECK_FALSE(check_barcode("96385075").valid);

    // Anything that is not 8, 12 or 13 digits has no check digit to validate.
    for (const char* other : {"ABC-123", "12345", "0123456789", "SHIRT", "https://example.com/q"}) {
        INFO(other);
        CHECK(check_barcode(other).symbology == "other");
        CHECK(check_barcode(other).valid);
    }
}

TEST_CASE("embedded layouts are parsed with clear errors", "[scanning]") {
    auto price = parse_layout("21:5:5:price");
    REQUIRE(price.ok());
    CHECK(price->prefix == "21");
    CHECK(price->kind == EmbeddedLayout::Kind::price);
    auto weight = parse_layout("2200:4:4:weight");
    REQUIRE(weight.ok());
    CHECK(weight->item_digits == 4);

    struct Bad {
        const char* text;
        const char* says;
    };
    for (const Bad& bad : {Bad{"21:5:5", "four parts"}, Bad{"31:5:5:price", "starting with 2"},
                           Bad{"21:5:6:price", "make 14 digits"}, Bad{"21:x:5:price", "item digits"},
                           Bad{"21:5:5:volume", "price or weight"}, Bad{"21:0:10:price", "at least 1"}}) {
        INFO(bad.text);
        auto parsed = parse_layout(bad.text);
        REQUIRE_FALSE(parsed.ok());
        CHECK(parsed.error().message.find(bad.says) != std::string::npos);
        CHECK(parsed.error().message.find(bad.text) != std::string::npos);
    }
}

TEST_CASE("price- and weight-embedded EAN-13 give the item and the value", "[scanning]") {
    std::vector<EmbeddedLayout> layouts = {*parse_layout("21:5:5:price"), *parse_layout("22:5:5:weight")};
    const std::string priced = with_check("211234500099");
    REQUIRE(check_barcode(priced).valid);
    auto p = parse_embedded(priced, layouts);
    REQUIRE(p);
    CHECK(p->item_code == "12345");
    REQUIRE(p->price_minor);
    CHECK(*p->price_minor == 99);
    CHECK_FALSE(p->qty_milli);

    auto w = parse_embedded(with_check("225432101250"), layouts);
    REQUIRE(w);
    CHECK(w->item_code == "54321");
    REQUIRE(w->qty_milli);
    CHECK(*w->qty_milli == 1250);  // 1,250 g = 1.250 kg

    CHECK_FALSE(parse_embedded(with_check("400638133393"), layouts));  // not a restricted prefix
    CHECK_FALSE(parse_embedded("2112345", layouts));                    // not 13 digits
    CHECK_FALSE(parse_embedded(with_check("231234500099"), layouts));  // prefix 23 not configured
}

TEST_CASE("scanning settings name the bad entry", "[scanning]") {
    till::sdk::Value section = till::sdk::Value::map();
    section.set("embedded_layouts", till::sdk::Value(till::sdk::Value::List{"21:5:5:price", "21:5:5"}));
    section.set("terminals", till::sdk::Value(till::sdk::Value::List{}));
    section.set("default_terminal", "");
    auto bad_layout = scan_settings_from(section);
    REQUIRE_FALSE(bad_layout.ok());
    CHECK(bad_layout.error().message.find("scanning.embedded_layouts[1]") != std::string::npos);

    section.set("embedded_layouts", till::sdk::Value(till::sdk::Value::List{"21:5:5:price"}));
    section.set("terminals", till::sdk::Value(till::sdk::Value::List{"scanner-1=T1", "scanner-2"}));
    auto bad_terminal = scan_settings_from(section);
    REQUIRE_FALSE(bad_terminal.ok());
    CHECK(bad_terminal.error().message.find("scanning.terminals[1]") != std::string::npos);

    section.set("terminals", till::sdk::Value(till::sdk::Value::List{"scanner-1=T1"}));
    section.set("default_terminal", "T9");
    auto good = scan_settings_from(section);
    REQUIRE(good.ok());
    CHECK(good->terminal_of.at("scanner-1") == "T1");
    CHECK(good->default_terminal == "T9");
}
