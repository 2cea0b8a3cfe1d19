// The catalog's data model: departments, tax classes with their rates,
// modifier groups with their modifiers, and products with their variants and
// barcodes. Plain values; the CatalogIndex keeps them in memory and the
// CatalogStore on disk.
//
// Identity: every thing has a UUIDv7 id made on the node. Departments, tax
// classes and modifier groups also have a short unique `code` ("coffee",
// "vat20", "milk") that people and the CSV use. Products and variants are
// sold by SKU (unique across products and variants) or by barcode (unique
// across the catalog). A product with variants is sold through its variants
// only ("Latte" → "Latte, large").
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace till::domain::catalog {

struct Department {
    std::string department_id;
    std::string code;
    std::string name;
    std::int64_t updated_utc_ms = 0;
};

struct TaxRate {
    std::string tax_rate_id;
    std::string name;          ///< "VAT 20%"
    std::int64_t rate_bp = 0;  ///< 2000 = 20%
    bool compound = false;     ///< levied on top of the non-compound rates
};

struct TaxClass {
    std::string tax_class_id;
    std::string code;
    std::string name;
    std::vector<TaxRate> rates;  ///< in application order; empty = exempt
    std::int64_t updated_utc_ms = 0;
};

struct Modifier {
    std::string modifier_id;
    std::string name;
    std::int64_t price_delta_minor = 0;  ///< may be 0 ("no onions") or negative
};

struct ModifierGroup {
    std::string group_id;
    std::string code;
    std::string name;
    int min_choices = 0;
    int max_choices = 1;
    std::vector<Modifier> modifiers;
    std::int64_t updated_utc_ms = 0;
};

struct Variant {
    std::string variant_id;
    std::string sku;
    std::string name;  ///< "large", "red M"
    std::int64_t price_minor = 0;
    std::int64_t cost_minor = 0;
    bool active = true;
    std::vector<std::string> barcodes;
};

struct Product {
    std::string product_id;
    std::string sku;
    std::string name;
    std::string department_id;
    std::string tax_class_id;
    std::int64_t price_minor = 0;  ///< the product's price; with variants, a "from" price for display
    std::int64_t cost_minor = 0;
    bool active = true;
    bool weighed = false;
    bool track_stock = true;
    std::vector<std::string> tags;
    std::vector<std::string> barcodes;  ///< only on a product without variants
    std::vector<std::string> modifier_group_ids;
    std::vector<Variant> variants;
    std::int64_t updated_utc_ms = 0;
};

/// Equality of everything but the update time (used by import to find what changed).
bool same_content(const Product& a, const Product& b);

}  // namespace till::domain::catalog
