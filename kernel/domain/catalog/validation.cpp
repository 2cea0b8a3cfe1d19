#include "domain/catalog/validation.hpp"

#include "domain/catalog/model.hpp"

namespace till::domain::catalog {
namespace {

bool is_control(char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; }

/// Well-formed UTF-8 (no overlong forms, surrogates or code points above
/// U+10FFFF). PostgreSQL refuses anything else, so it must not get that far.
bool is_utf8(std::string_view text) {
    const auto* s = reinterpret_cast<const unsigned char*>(text.data());
    const std::size_t n = text.size();
    for (std::size_t i = 0; i < n;) {
        const unsigned c = s[i];
        if (c < 0x80) {
            ++i;
            continue;
        }
        std::size_t len = 0;
        unsigned cp = 0;
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
            return false;
        }
        if (i + len > n) return false;
        for (std::size_t k = 1; k < len; ++k) {
            if ((s[i + k] & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        i += len;
    }
    return true;
}

const char* const not_utf8 = "must be UTF-8 text";

std::string check_token(std::string_view text, std::size_t max_length) {
    if (text.empty()) return "must not be empty";
    if (text.size() > max_length) return "is longer than " + std::to_string(max_length) + " characters";
    for (char c : text) {
        if (c == ' ') return "must not contain spaces";
        if (is_control(c)) return "must not contain control characters";
        if (c == '|') return "must not contain '|'";
    }
    if (!is_utf8(text)) return not_utf8;
    return {};
}

}  // namespace

std::string check_sku(std::string_view sku) { return check_token(sku, max_sku_length); }
std::string check_barcode(std::string_view barcode) { return check_token(barcode, max_barcode_length); }

std::string check_code(std::string_view code) {
    if (code.empty()) return "must not be empty";
    if (code.size() > max_code_length) return "is longer than " + std::to_string(max_code_length) + " characters";
    for (char c : code) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
                  c == '-' || c == '.';
        if (!ok) return "may contain only letters, digits, '_', '-' and '.'";
    }
    return {};
}

std::string check_name(std::string_view name) {
    if (name.empty()) return "must not be empty";
    if (name.size() > max_name_length) return "is longer than " + std::to_string(max_name_length) + " characters";
    for (char c : name)
        if (is_control(c)) return "must not contain control characters";
    if (!is_utf8(name)) return not_utf8;
    return {};
}

std::string check_tag(std::string_view tag) {
    if (tag.empty()) return "must not be empty";
    if (tag.size() > max_tag_length) return "is longer than " + std::to_string(max_tag_length) + " characters";
    for (char c : tag) {
        if (is_control(c)) return "must not contain control characters";
        if (c == '|') return "must not contain '|'";
    }
    if (!is_utf8(tag)) return not_utf8;
    return {};
}

namespace {
bool same_variant(const Variant& a, const Variant& b) {
    return a.variant_id == b.variant_id && a.sku == b.sku && a.name == b.name && a.price_minor == b.price_minor &&
           a.cost_minor == b.cost_minor && a.active == b.active && a.barcodes == b.barcodes;
}
}  // namespace

bool same_content(const Product& a, const Product& b) {
    if (!(a.product_id == b.product_id && a.sku == b.sku && a.name == b.name && a.department_id == b.department_id &&
          a.tax_class_id == b.tax_class_id && a.price_minor == b.price_minor && a.cost_minor == b.cost_minor &&
          a.active == b.active && a.weighed == b.weighed && a.track_stock == b.track_stock && a.tags == b.tags &&
          a.barcodes == b.barcodes && a.modifier_group_ids == b.modifier_group_ids &&
          a.variants.size() == b.variants.size()))
        return false;
    for (std::size_t i = 0; i < a.variants.size(); ++i)
        if (!same_variant(a.variants[i], b.variants[i])) return false;
    return true;
}

}  // namespace till::domain::catalog
