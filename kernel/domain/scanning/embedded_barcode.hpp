// Price- and weight-embedded EAN-13 (GS1 restricted circulation, prefixes
// 20–29): a scale prints the item code and the price or the weight into the
// barcode. Layouts differ per country and scale vendor, so they come from
// config as "PREFIX:ITEM_DIGITS:VALUE_DIGITS:KIND", e.g. "21:5:5:price":
//
//     21 12345 00099 C   → item "12345", price 0.99 (value in minor units)
//     22 54321 01250 C   → item "54321", weight 1.250 kg (value in grams)
//
// prefix + item + value digits + the check digit must make 13.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "till/sdk/status.hpp"

namespace till::domain::scanning {

struct EmbeddedLayout {
    enum class Kind { price, weight };
    std::string prefix;  ///< "20".."29", or longer ("2100")
    int item_digits = 5;
    int value_digits = 5;
    Kind kind = Kind::price;
};

/// Parses "PREFIX:ITEM_DIGITS:VALUE_DIGITS:price|weight". Errors name the
/// part that is wrong.
sdk::Result<EmbeddedLayout> parse_layout(std::string_view text);

struct EmbeddedValue {
    std::string item_code;            ///< looked up as a SKU or barcode
    std::optional<std::int64_t> price_minor;  ///< price layouts
    std::optional<std::int64_t> qty_milli;    ///< weight layouts: grams = thousandths of a kg
};

/// The first layout whose prefix `ean13` starts with, applied; nullopt when
/// none matches or `ean13` is not 13 digits. The check digit is not checked
/// here (check_barcode does).
std::optional<EmbeddedValue> parse_embedded(std::string_view ean13, const std::vector<EmbeddedLayout>& layouts);

}  // namespace till::domain::scanning
