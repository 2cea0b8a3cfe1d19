// What a scanned code is: EAN-13, UPC-A, EAN-8 (check digit validated) or
// anything else (CODE128, QR text...: no check digit to validate).
#pragma once

#include <string>
#include <string_view>

namespace till::domain::scanning {

struct BarcodeCheck {
    std::string symbology;  ///< "ean13" | "upca" | "ean8" | "other"
    bool valid = true;      ///< false: a GTIN whose check digit is wrong
    std::string reason;     ///< why it is not valid, for the cashier
};

/// The GS1 check digit of `digits` (the code without its last digit).
int gs1_check_digit(std::string_view digits);

/// Classifies `code`: 13 digits are EAN-13, 12 UPC-A, 8 EAN-8 (each must
/// carry its GS1 check digit); anything else is "other" and valid.
BarcodeCheck check_barcode(std::string_view code);

}  // namespace till::domain::scanning
