#include "domain/orders/request_text.hpp"

namespace till::domain::orders {

bool is_clean_text(std::string_view text) noexcept {
    const auto* s = reinterpret_cast<const unsigned char*>(text.data());
    const std::size_t n = text.size();
    for (std::size_t i = 0; i < n;) {
        const unsigned c = s[i];
        if (c == 0) return false;
        if (c < 0x80) {
            ++i;
            continue;
        }
        std::size_t len;
        unsigned cp;
        if (c >= 0xC2 && c <= 0xDF) {
            len = 2;
            cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            len = 3;
            cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            len = 4;
            cp = c & 0x07;
        } else {
            return false;  // a continuation byte, an overlong lead (C0/C1) or F5..FF
        }
        if (i + len > n) return false;
        for (std::size_t k = 1; k < len; ++k) {
            const unsigned cc = s[i + k];
            if ((cc & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (cc & 0x3F);
        }
        if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF))) return false;
        if (cp >= 0xD800 && cp <= 0xDFFF) return false;
        i += len;
    }
    return true;
}

std::optional<std::string> unclean_text_path(const sdk::Value& value, const std::string& path) {
    if (value.is_string()) return is_clean_text(value.as_string()) ? std::nullopt : std::optional<std::string>(path);
    if (value.is_list()) {
        const auto& items = value.as_list();
        for (std::size_t i = 0; i < items.size(); ++i)
            if (auto bad = unclean_text_path(items[i], path + "[" + std::to_string(i) + "]")) return bad;
    } else if (value.is_map()) {
        for (const auto& [key, item] : value.as_map()) {
            if (!is_clean_text(key)) return path;  // the key itself cannot be shown
            if (auto bad = unclean_text_path(item, path + "." + key)) return bad;
        }
    }
    return std::nullopt;
}

}  // namespace till::domain::orders
