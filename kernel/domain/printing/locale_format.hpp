// Numbers, money and dates as a locale writes them on a receipt — from
// integers only (minor units, thousandths, UTC milliseconds), never floats.
//
// Known locales: en-US, en-GB, de-DE, fr-FR, nl-NL, es-ES (others: the
// language's first match, else en-GB rules). Known currencies: the ISO 4217
// minor-unit digits of every active code (JPY 0, KWD 3, ...; unknown codes
// have 2) and a symbol for the common ones (unknown: the code itself).
// Separators are plain ASCII spaces where CLDR has a no-break space: receipt
// printers' code pages lack U+202F.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace till::domain::printing {

enum class DateOrder { day_month_year, month_day_year, year_month_day };

struct LocaleFormat {
    std::string tag = "en-GB";      ///< BCP 47, e.g. "de-DE"
    std::string decimal = ".";
    std::string group = ",";
    int min_grouping_digits = 1;    ///< es-ES: 2 (1234 stays ungrouped, 12 345 is grouped)
    bool symbol_first = true;       ///< "€ 1,00" vs "1,00 €"
    bool symbol_space = false;      ///< a space between symbol and number
    DateOrder date_order = DateOrder::day_month_year;
    std::string date_separator = "/";
    bool clock_12h = false;
};

/// The format of a locale tag; nullopt when it is not one of the known ones.
std::optional<LocaleFormat> locale_format(std::string_view tag);

/// Digits after the decimal point of an ISO 4217 currency (JPY 0, EUR 2, KWD 3).
int currency_minor_digits(std::string_view currency);

/// The symbol a locale writes for `currency` ("€", "$", "£", "¥", "CHF", ...).
std::string currency_symbol(std::string_view currency, const LocaleFormat& locale);

/// An integer with the locale's grouping: 1234567 → "1,234,567" (en).
std::string format_integer(std::int64_t value, const LocaleFormat& locale);

/// A fixed-point number `value` / 10^digits: (123456, 2) → "1,234.56" (en),
/// "1.234,56" (de). Negative values start with '-'.
std::string format_fixed(std::int64_t value, int digits, const LocaleFormat& locale);

/// Money with the currency symbol where the locale puts it:
/// 123456 EUR → "€1,234.56" (en-GB), "1.234,56 €" (de-DE), "€ 1.234,56" (nl-NL).
/// 1500 JPY → "¥1,500". Negative: "-€1.00", "-1,00 €".
std::string format_money(std::int64_t amount_minor, std::string_view currency, const LocaleFormat& locale);

/// Money without a symbol: "1,234.56" / "1.234,56".
std::string format_amount(std::int64_t amount_minor, std::string_view currency, const LocaleFormat& locale);

/// A quantity in thousandths, trailing zeros dropped: 2000 → "2", 1250 → "1.25" / "1,25".
std::string format_qty(std::int64_t qty_milli, const LocaleFormat& locale);

/// Basis points as a percentage: 2000 → "20%", 750 → "7.5%" / "7,5 %" (fr, de: with a space).
std::string format_percent_bp(std::int64_t bp, const LocaleFormat& locale);

/// The date of `utc_ms` shifted by `offset_minutes`, in the locale's order:
/// "15/01/2026" (en-GB), "01/15/2026" (en-US), "15.01.2026" (de-DE).
std::string format_date(std::int64_t utc_ms, int offset_minutes, const LocaleFormat& locale);
/// "14:05" (24 h) or "2:05 PM" (en-US).
std::string format_time(std::int64_t utc_ms, int offset_minutes, const LocaleFormat& locale);
/// format_date + " " + format_time.
std::string format_datetime(std::int64_t utc_ms, int offset_minutes, const LocaleFormat& locale);

}  // namespace till::domain::printing
