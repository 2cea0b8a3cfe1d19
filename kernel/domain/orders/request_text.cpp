#include "domain/orders/request_text.hpp"

#include "domain/common/body_reader.hpp"

namespace till::domain::orders {

bool is_clean_text(std::string_view text) { return !check_text(text).has_value(); }

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
