#include "domain/scanning/embedded_barcode.hpp"

#include <algorithm>

namespace till::domain::scanning {
namespace {

bool all_digits(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::vector<std::string_view> split(std::string_view text, char sep) {
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    for (std::size_t i = 0; i <= text.size(); ++i)
        if (i == text.size() || text[i] == sep) {
            parts.push_back(text.substr(start, i - start));
            start = i + 1;
        }
    return parts;
}

}  // namespace

sdk::Result<EmbeddedLayout> parse_layout(std::string_view text) {
    auto bad = [&](const std::string& what) {
        return sdk::Error{"invalid_argument", "embedded barcode layout \"" + std::string(text) + "\": " + what +
                                                  " (expected PREFIX:ITEM_DIGITS:VALUE_DIGITS:price|weight, "
                                                  "e.g. 21:5:5:price)"};
    };
    const auto parts = split(text, ':');
    if (parts.size() != 4) return bad("needs four parts separated by ':'");
    EmbeddedLayout layout;
    if (!all_digits(parts[0]) || parts[0].size() < 2 || parts[0][0] != '2')
        return bad("the prefix must be digits starting with 2 (GS1 restricted circulation 20-29)");
    layout.prefix = std::string(parts[0]);
    if (!all_digits(parts[1]) || parts[1].size() > 2) return bad("item digits must be a number");
    if (!all_digits(parts[2]) || parts[2].size() > 2) return bad("value digits must be a number");
    layout.item_digits = std::stoi(std::string(parts[1]));
    layout.value_digits = std::stoi(std::string(parts[2]));
    if (layout.item_digits < 1 || layout.value_digits < 1) return bad("digits must be at least 1");
    if (parts[3] == "price")
        layout.kind = EmbeddedLayout::Kind::price;
    else if (parts[3] == "weight")
        layout.kind = EmbeddedLayout::Kind::weight;
    else
        return bad("kind must be price or weight");
    const std::size_t total = layout.prefix.size() + static_cast<std::size_t>(layout.item_digits) +
                              static_cast<std::size_t>(layout.value_digits) + 1;
    if (total != 13)
        return bad("prefix, item and value digits and the check digit make " + std::to_string(total) +
                   " digits, not 13");
    return layout;
}

std::optional<EmbeddedValue> parse_embedded(std::string_view ean13, const std::vector<EmbeddedLayout>& layouts) {
    if (ean13.size() != 13 || !all_digits(ean13)) return std::nullopt;
    for (const auto& layout : layouts) {
        if (ean13.substr(0, layout.prefix.size()) != layout.prefix) continue;
        EmbeddedValue out;
        const std::size_t item_at = layout.prefix.size();
        const std::size_t value_at = item_at + static_cast<std::size_t>(layout.item_digits);
        out.item_code = std::string(ean13.substr(item_at, static_cast<std::size_t>(layout.item_digits)));
        const std::int64_t value =
            std::stoll(std::string(ean13.substr(value_at, static_cast<std::size_t>(layout.value_digits))));
        if (layout.kind == EmbeddedLayout::Kind::price)
            out.price_minor = value;
        else
            out.qty_milli = value;
        return out;
    }
    return std::nullopt;
}

}  // namespace till::domain::scanning
