#include "domain/scanning/barcode_check.hpp"

#include <algorithm>

namespace till::domain::scanning {

int gs1_check_digit(std::string_view digits) {
    // Weights 3,1,3,1... from the rightmost digit of the payload.
    int sum = 0;
    int weight = 3;
    for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
        sum += (*it - '0') * weight;
        weight = weight == 3 ? 1 : 3;
    }
    return (10 - sum % 10) % 10;
}

BarcodeCheck check_barcode(std::string_view code) {
    BarcodeCheck out;
    const bool numeric = !code.empty() && std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (!numeric || (code.size() != 13 && code.size() != 12 && code.size() != 8)) {
        out.symbology = "other";
        return out;
    }
    out.symbology = code.size() == 13 ? "ean13" : code.size() == 12 ? "upca" : "ean8";
    const int expected = gs1_check_digit(code.substr(0, code.size() - 1));
    const int given = code.back() - '0';
    if (expected != given) {
        out.valid = false;
        out.reason = "check digit of " + std::string(code) + " is " + std::to_string(given) + ", expected " +
                     std::to_string(expected) + " (misread: scan again)";
    }
    return out;
}

}  // namespace till::domain::scanning
