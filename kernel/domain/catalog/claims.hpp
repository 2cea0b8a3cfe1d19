// Uniqueness of SKUs and barcodes across the catalog for a change that
// replaces some products: what the untouched products hold stays taken;
// what the replaced products held is free unless their new state claims it
// again. Used by product writes and by the CSV import (many products at once).
// SKUs and barcodes share one name space: a scan looks a code up as a SKU
// first, so a barcode equal to another item's SKU could never be scanned
// (only an item's own SKU may double as its barcode).
#pragma once

#include <string>
#include <unordered_map>
#include <unordered_set>

#include "domain/catalog/catalog_index.hpp"

namespace till::domain::catalog {

class Claims {
public:
    /// `replaced`: ids of the products whose new state is being claimed.
    Claims(const CatalogIndex& index, std::unordered_set<std::string> replaced);
    /// "" when `sku` is free for it, else what holds it. `location` names the
    /// claim for a later clash ("$.variants[1].sku", "row 7").
    std::string claim_sku(const std::string& sku, const std::string& location);
    /// `item_sku`: the SKU of the product or variant the barcode goes on.
    std::string claim_barcode(const std::string& barcode, const std::string& location, const std::string& item_sku);

private:
    std::string holder(const ItemOwner& owner) const;
    const CatalogIndex& index_;
    std::unordered_set<std::string> replaced_;
    std::unordered_map<std::string, std::string> skus_;
    struct BarcodeClaim {
        std::string location;
        std::string item_sku;
    };
    std::unordered_map<std::string, BarcodeClaim> barcodes_;
};

}  // namespace till::domain::catalog
