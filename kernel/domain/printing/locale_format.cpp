#include "domain/printing/locale_format.hpp"

#include <array>
#include <cstdio>
#include <utility>

namespace till::domain::printing {
namespace {

LocaleFormat make(std::string tag, std::string decimal, std::string group, bool symbol_first, bool symbol_space,
                  DateOrder order, std::string date_sep) {
    LocaleFormat f;
    f.tag = std::move(tag);
    f.decimal = std::move(decimal);
    f.group = std::move(group);
    f.symbol_first = symbol_first;
    f.symbol_space = symbol_space;
    f.date_order = order;
    f.date_separator = std::move(date_sep);
    return f;
}

std::string lower_ascii(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

// Days since 1970-01-01 → civil date (H. Hinnant's algorithm; exact for the
// proleptic Gregorian calendar).
void civil_from_days(std::int64_t z, int& y, int& m, int& d) {
    z += 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const std::int64_t doe = z - era * 146097;
    const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const std::int64_t mp = (5 * doy + 2) / 153;
    d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
    m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
    y = static_cast<int>(yoe + era * 400 + (m <= 2 ? 1 : 0));
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
    std::int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
    return q;
}

std::string two(int v) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%02d", v);
    return buf;
}

// Grouped digits of a non-negative magnitude.
std::string group_digits(std::string digits, const LocaleFormat& locale) {
    const int n = static_cast<int>(digits.size());
    if (locale.group.empty() || n <= 3 || n < 3 + locale.min_grouping_digits) return digits;
    std::string out;
    for (int i = 0; i < n; ++i) {
        if (i > 0 && (n - i) % 3 == 0) out += locale.group;
        out += digits[static_cast<std::size_t>(i)];
    }
    return out;
}

// |value| as decimal digits, safe for INT64_MIN.
std::string magnitude_digits(std::int64_t value) {
    std::uint64_t m = value < 0 ? 0 - static_cast<std::uint64_t>(value) : static_cast<std::uint64_t>(value);
    return std::to_string(m);
}

}  // namespace

std::optional<LocaleFormat> locale_format(std::string_view tag) {
    const std::string t = lower_ascii(tag);
    if (t == "en-us") {
        LocaleFormat f = make("en-US", ".", ",", true, false, DateOrder::month_day_year, "/");
        f.clock_12h = true;
        return f;
    }
    if (t == "en-gb" || t == "en") return make("en-GB", ".", ",", true, false, DateOrder::day_month_year, "/");
    if (t == "de-de" || t == "de") return make("de-DE", ",", ".", false, true, DateOrder::day_month_year, ".");
    if (t == "fr-fr" || t == "fr") return make("fr-FR", ",", " ", false, true, DateOrder::day_month_year, "/");
    if (t == "nl-nl" || t == "nl") return make("nl-NL", ",", ".", true, true, DateOrder::day_month_year, "-");
    if (t == "es-es" || t == "es") {
        LocaleFormat f = make("es-ES", ",", ".", false, true, DateOrder::day_month_year, "/");
        f.min_grouping_digits = 2;
        return f;
    }
    return std::nullopt;
}

int currency_minor_digits(std::string_view currency) {
    static constexpr std::array<std::string_view, 17> zero = {"BIF", "CLP", "DJF", "GNF", "ISK", "JPY",
                                                              "KMF", "KRW", "PYG", "RWF", "UGX", "UYI",
                                                              "VND", "VUV", "XAF", "XOF", "XPF"};
    static constexpr std::array<std::string_view, 7> three = {"BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"};
    static constexpr std::array<std::string_view, 2> four = {"CLF", "UYW"};
    for (auto c : zero)
        if (c == currency) return 0;
    for (auto c : three)
        if (c == currency) return 3;
    for (auto c : four)
        if (c == currency) return 4;
    return 2;
}

std::string currency_symbol(std::string_view currency, const LocaleFormat& locale) {
    if (currency == "EUR") return "€";
    if (currency == "GBP") return "£";
    if (currency == "USD") return locale.tag == "en-US" ? "$" : "US$";
    if (currency == "JPY") return "¥";
    if (currency == "CHF") return "CHF";
    if (currency == "PLN") return "zł";
    if (currency == "SEK" || currency == "NOK" || currency == "DKK") return "kr";
    return std::string(currency);
}

std::string format_integer(std::int64_t value, const LocaleFormat& locale) {
    std::string out = group_digits(magnitude_digits(value), locale);
    return value < 0 ? "-" + out : out;
}

std::string format_fixed(std::int64_t value, int digits, const LocaleFormat& locale) {
    std::string all = magnitude_digits(value);
    if (digits <= 0) return (value < 0 ? "-" : "") + group_digits(all, locale);
    const auto d = static_cast<std::size_t>(digits);
    if (all.size() <= d) all.insert(0, d + 1 - all.size(), '0');
    std::string whole = all.substr(0, all.size() - d);
    std::string frac = all.substr(all.size() - d);
    return (value < 0 ? "-" : "") + group_digits(whole, locale) + locale.decimal + frac;
}

std::string format_amount(std::int64_t amount_minor, std::string_view currency, const LocaleFormat& locale) {
    return format_fixed(amount_minor, currency_minor_digits(currency), locale);
}

std::string format_money(std::int64_t amount_minor, std::string_view currency, const LocaleFormat& locale) {
    const std::string symbol = currency_symbol(currency, locale);
    // Letters next to the digits always take a space ("CHF 5.00", "kr 20.00").
    const char touching = locale.symbol_first ? symbol.back() : symbol.front();
    const bool letter = (touching >= 'A' && touching <= 'Z') || (touching >= 'a' && touching <= 'z');
    const bool space = locale.symbol_space || letter;
    std::string number = format_fixed(amount_minor, currency_minor_digits(currency), locale);
    const bool negative = !number.empty() && number[0] == '-';
    if (negative) number.erase(0, 1);
    std::string out = locale.symbol_first ? symbol + (space ? " " : "") + number : number + (space ? " " : "") + symbol;
    return negative ? "-" + out : out;
}

std::string format_qty(std::int64_t qty_milli, const LocaleFormat& locale) {
    std::string s = format_fixed(qty_milli, 3, locale);
    const auto dot = s.rfind(locale.decimal);
    if (dot == std::string::npos) return s;
    while (!s.empty() && s.back() == '0') s.pop_back();
    if (s.size() == dot + locale.decimal.size()) s.erase(dot);
    return s;
}

std::string format_percent_bp(std::int64_t bp, const LocaleFormat& locale) {
    std::string s = format_fixed(bp, 2, locale);
    const auto dot = s.rfind(locale.decimal);
    if (dot != std::string::npos) {
        while (!s.empty() && s.back() == '0') s.pop_back();
        if (s.size() == dot + locale.decimal.size()) s.erase(dot);
    }
    const bool spaced = locale.tag == "de-DE" || locale.tag == "fr-FR";
    return s + (spaced ? " %" : "%");
}

std::string format_date(std::int64_t utc_ms, int offset_minutes, const LocaleFormat& locale) {
    const std::int64_t local_ms = utc_ms + static_cast<std::int64_t>(offset_minutes) * 60000;
    int y = 0, m = 0, d = 0;
    civil_from_days(floor_div(local_ms, 86400000), y, m, d);
    const std::string& s = locale.date_separator;
    const std::string year = std::to_string(y);
    switch (locale.date_order) {
        case DateOrder::month_day_year: return two(m) + s + two(d) + s + year;
        case DateOrder::year_month_day: return year + s + two(m) + s + two(d);
        case DateOrder::day_month_year: break;
    }
    return two(d) + s + two(m) + s + year;
}

std::string format_time(std::int64_t utc_ms, int offset_minutes, const LocaleFormat& locale) {
    const std::int64_t local_ms = utc_ms + static_cast<std::int64_t>(offset_minutes) * 60000;
    const std::int64_t in_day = local_ms - floor_div(local_ms, 86400000) * 86400000;
    const int hour = static_cast<int>(in_day / 3600000);
    const int minute = static_cast<int>(in_day / 60000 % 60);
    if (!locale.clock_12h) return two(hour) + ":" + two(minute);
    const int h12 = hour % 12 == 0 ? 12 : hour % 12;
    return std::to_string(h12) + ":" + two(minute) + (hour < 12 ? " AM" : " PM");
}

std::string format_datetime(std::int64_t utc_ms, int offset_minutes, const LocaleFormat& locale) {
    return format_date(utc_ms, offset_minutes, locale) + " " + format_time(utc_ms, offset_minutes, locale);
}

}  // namespace till::domain::printing
