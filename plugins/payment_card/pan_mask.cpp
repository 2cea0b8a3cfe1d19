#include "pan_mask.hpp"

namespace till::payment_card {
namespace {

constexpr const char* kStars = "************";
constexpr std::size_t kLongestRun = 12;  // a PAN has 12–19 digits

bool is_digit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

std::string mask_pan(std::string_view pan, bool& showed_more) {
    std::string digits;
    for (char c : pan)
        if (is_digit(c)) digits += c;
    showed_more = digits.size() > 4;
    if (digits.size() < 4) return {};
    return std::string(kStars) + digits.substr(digits.size() - 4);
}

std::string scrub_card_numbers(std::string_view text, bool& scrubbed) {
    scrubbed = false;
    std::string out;
    std::size_t i = 0;
    while (i < text.size()) {
        if (!is_digit(text[i])) {
            out += text[i++];
            continue;
        }
        // A run of digits, allowing single separators between digits.
        std::size_t end = i;
        std::string digits;
        while (end < text.size()) {
            if (is_digit(text[end])) {
                digits += text[end++];
            } else if ((text[end] == ' ' || text[end] == '-') && end + 1 < text.size() && is_digit(text[end + 1]) &&
                       !digits.empty()) {
                ++end;
            } else {
                break;
            }
        }
        if (digits.size() >= kLongestRun) {
            out += std::string(kStars) + digits.substr(digits.size() - 4);
            scrubbed = true;
        } else {
            out.append(text.substr(i, end - i));
        }
        i = end;
    }
    return out;
}

}  // namespace till::payment_card
