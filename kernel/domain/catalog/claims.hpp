// Uniqueness of SKUs and barcodes across the catalog for a change that
// replaces some products: what the untouched products hold stays taken;
// what the replaced products held is free unless their new state claims it
// again. Used by product writes and by the CSV import (many products at once).
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
    std::string claim_barcode(const std::string& barcode, const std::string& location);

private:
    std::string holder(const ItemOwner& owner) const;
    const CatalogIndex& index_;
    std::unordered_set<std::string> replaced_;
    std::unordered_map<std::string, std::string> skus_;
    std::unordered_map<std::string, std::string> barcodes_;
};

}  // namespace till::domain::catalog
