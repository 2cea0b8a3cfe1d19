// Money, quantities and dates per locale, from integers only.
#include <catch2/catch.hpp>

#include "domain/printing/locale_format.hpp"
#include "config/printing_schema.hpp"
#include "domain/printing/printing_settings.hpp"

using namespace till::domain::printing;

namespace {
LocaleFormat loc(const char* tag) {
    auto f = locale_format(tag);
    REQUIRE(f);
    return *f;
}
}  // namespace

TEST_CASE("money is written as each locale writes it", "[locale]") {
    CHECK(format_money(123456, "EUR", loc("en-GB")) == "€1,234.56");
    CHECK(format_money(123456, "USD", loc("en-US")) == "$1,234.56");
    CHECK(format_money(123456, "EUR", loc("de-DE")) == "1.234,56 €");
    CHECK(format_money(123456, "EUR", loc("fr-FR")) == "1 234,56 €");
    CHECK(format_money(123456, "EUR", loc("nl-NL")) == "€ 1.234,56");
    CHECK(format_money(123456, "EUR", loc("es-ES")) == "1234,56 €");     // es: 4 digits stay ungrouped
    CHECK(format_money(1234567, "EUR", loc("es-ES")) == "12.345,67 €");
    CHECK(format_money(-100, "EUR", loc("en-GB")) == "-€1.00");
    CHECK(format_money(-100, "EUR", loc("de-DE")) == "-1,00 €");
    CHECK(format_money(5, "GBP", loc("en-GB")) == "£0.05");
    CHECK(format_money(500, "CHF", loc("en-GB")) == "CHF 5.00");
}

TEST_CASE("minor-unit digits follow ISO 4217", "[locale]") {
    CHECK(currency_minor_digits("JPY") == 0);
    CHECK(currency_minor_digits("EUR") == 2);
    CHECK(currency_minor_digits("KWD") == 3);
    CHECK(format_money(1500, "JPY", loc("en-US")) == "¥1,500");
    CHECK(format_money(1500, "KWD", loc("en-GB")) == "KWD 1.500");
    CHECK(format_amount(-7, "EUR", loc("de-DE")) == "-0,07");
}

TEST_CASE("quantities and percentages drop trailing zeros", "[locale]") {
    CHECK(format_qty(2000, loc("en-GB")) == "2");
    CHECK(format_qty(1250, loc("en-GB")) == "1.25");
    CHECK(format_qty(1250, loc("de-DE")) == "1,25");
    CHECK(format_qty(-3000, loc("en-GB")) == "-3");
    CHECK(format_percent_bp(2000, loc("en-GB")) == "20%");
    CHECK(format_percent_bp(750, loc("de-DE")) == "7,5 %");
}

TEST_CASE("dates are in the locale's order and local time", "[locale]") {
    const std::int64_t t = 1768485900000;  // 2026-01-15 14:05:00 UTC
    CHECK(format_date(t, 0, loc("en-GB")) == "15/01/2026");
    CHECK(format_date(t, 0, loc("en-US")) == "01/15/2026");
    CHECK(format_date(t, 0, loc("de-DE")) == "15.01.2026");
    CHECK(format_date(t, 0, loc("nl-NL")) == "15-01-2026");
    CHECK(format_time(t, 60, loc("de-DE")) == "15:05");
    CHECK(format_time(t, 0, loc("en-US")) == "2:05 PM");
    CHECK(format_datetime(t, 600, loc("en-GB")) == "16/01/2026 00:05");
    CHECK(format_date(0, -60, loc("en-GB")) == "31/12/1969");
}

TEST_CASE("printing settings: schema defaults and routing", "[settings]") {
    auto spec = till::config::printing_section();
    CHECK(spec.name == "printing");
    till::sdk::Value v = till::sdk::Value::map();
    v.set("locale", "de-DE");
    v.set("receipt_printer", "receipt-1");
    v.set("terminal_printers", till::sdk::Value(till::sdk::Value::List{"T2=receipt-2"}));
    v.set("kitchen_printers", till::sdk::Value(till::sdk::Value::List{"DRINKS=bar-1", "FOOD=kitchen-1"}));
    v.set("backup_printers", till::sdk::Value(till::sdk::Value::List{"kitchen-1=receipt-1"}));
    auto s = printing_settings_from(v);
    REQUIRE(s);
    CHECK(s->receipt_printer_for("T1") == "receipt-1");
    CHECK(s->receipt_printer_for("T2") == "receipt-2");
    CHECK(s->kitchen_printer_for("DRINKS") == "bar-1");
    CHECK(s->kitchen_printer_for("OTHER") == "");
    CHECK(s->backup_for("kitchen-1") == "receipt-1");
    CHECK(s->template_language() == "de-DE");

    v.set("kitchen_printers", till::sdk::Value(till::sdk::Value::List{"DRINKS=bar-1", "FOOD"}));
    auto bad = printing_settings_from(v);
    REQUIRE_FALSE(bad);
    CHECK(bad.error().message == "printing.kitchen_printers[1]: expected KEY=DEVICE_ID, got \"FOOD\"");
}
