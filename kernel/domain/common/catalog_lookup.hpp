// What the order engine needs from the catalog: an item by SKU or barcode,
// with its price, tax rates and modifier groups, as of now. Implemented by
// the catalog module from its in-memory index (no storage round trip).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace till::domain {

struct TaxRateView {
    std::string tax_rate_id;
    std::string name;         ///< "VAT 20%"
    std::int64_t rate_bp = 0; ///< 2000 = 20%
    bool compound = false;    ///< applied on top of the non-compound taxes
};

struct ModifierView {
    std::string modifier_id;
    std::string name;                    ///< "extra cheese"
    std::int64_t price_delta_minor = 0;  ///< per unit; may be 0 or negative ("no onions" = 0)
};

struct ModifierGroupView {
    std::string group_id;
    std::string name;                    ///< "Cheese"
    int min_choices = 0;
    int max_choices = 1;
    std::vector<ModifierView> modifiers;
};

/// A sellable item: a product without variants, or one variant of a product.
struct ItemView {
    std::string product_id;
    std::string variant_id;              ///< "" for a product without variants
    std::string sku;
    std::string name;                    ///< includes the variant's name ("Latte, large")
    std::string department_id;
    std::string tax_class_id;
    std::int64_t price_minor = 0;        ///< per unit (per kg for weighed goods), in the deployment's tax mode
    std::int64_t cost_minor = 0;
    bool active = true;
    bool weighed = false;                ///< quantity in grams-as-thousandths; any qty_milli allowed
    bool track_stock = true;
    std::vector<TaxRateView> tax_rates;  ///< the tax class's rates, in application order
    std::vector<ModifierGroupView> modifier_groups;
    std::vector<std::string> tags;
};

class CatalogLookup {
public:
    virtual ~CatalogLookup();
    /// By SKU (product or variant) or by any of its barcodes. nullopt when
    /// unknown. Inactive items are returned with active = false.
    virtual std::optional<ItemView> find_item(const std::string& sku_or_barcode) const = 0;
};

}  // namespace till::domain
