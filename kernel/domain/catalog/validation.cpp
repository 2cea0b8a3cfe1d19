#include "domain/catalog/validation.hpp"

#include "domain/catalog/model.hpp"
#include "domain/common/body_reader.hpp"

namespace till::domain::catalog {
namespace {

bool is_control(char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; }

/// "" when `text` passes domain::check_text (UTF-8 without NUL), else its
/// problem. The catalog's checks run on JSON bodies (where BodyReader has
/// already applied it) and on CSV cells (where nothing else has).
std::string text_problem(std::string_view text) { return check_text(text).value_or(std::string()); }

std::string check_token(std::string_view text, std::size_t max_length) {
    if (text.empty()) return "must not be empty";
    if (text.size() > max_length) return "is longer than " + std::to_string(max_length) + " characters";
    for (char c : text) {
        if (c == ' ') return "must not contain spaces";
        if (is_control(c)) return "must not contain control characters";
        if (c == '|') return "must not contain '|'";
    }
    return text_problem(text);
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
    return text_problem(name);
}

std::string check_tag(std::string_view tag) {
    if (tag.empty()) return "must not be empty";
    if (tag.size() > max_tag_length) return "is longer than " + std::to_string(max_tag_length) + " characters";
    for (char c : tag) {
        if (is_control(c)) return "must not contain control characters";
        if (c == '|') return "must not contain '|'";
    }
    return text_problem(tag);
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
