// The catalog's rules for single values, shared by the JSON routes and the
// CSV import so both refuse the same things with the same words. Each check
// returns "" when the value is fine, else what is wrong ("must not contain
// spaces").
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace till::domain::catalog {

inline constexpr std::size_t max_sku_length = 64;
inline constexpr std::size_t max_barcode_length = 64;
inline constexpr std::size_t max_code_length = 40;
inline constexpr std::size_t max_name_length = 200;
inline constexpr std::size_t max_tag_length = 40;
inline constexpr std::int64_t max_price_minor = 10'000'000'000'000;  ///< 100 billion in major units
inline constexpr std::size_t max_barcodes = 20;
inline constexpr std::size_t max_tags = 20;
inline constexpr std::size_t max_variants = 500;

/// SKU: 1..64 printable characters, no spaces, no '|'.
std::string check_sku(std::string_view sku);
/// Barcode: 1..64 printable characters, no spaces, no '|'.
std::string check_barcode(std::string_view barcode);
/// Code of a department, tax class or modifier group: 1..40 of [A-Za-z0-9_.-].
std::string check_code(std::string_view code);
/// A name: 1..200 characters, no control characters.
std::string check_name(std::string_view name);
/// A tag: 1..40 characters, no control characters, no '|'.
std::string check_tag(std::string_view tag);

}  // namespace till::domain::catalog
