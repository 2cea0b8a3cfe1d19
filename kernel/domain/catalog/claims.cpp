#include "domain/catalog/claims.hpp"

namespace till::domain::catalog {

Claims::Claims(const CatalogIndex& index, std::unordered_set<std::string> replaced)
    : index_(index), replaced_(std::move(replaced)) {}

std::string Claims::holder(const ItemOwner& owner) const {
    const Product* p = index_.product(owner.product_id);
    if (!p) return "another product";
    if (owner.variant_id.empty()) return "product " + p->sku + " (" + p->name + ")";
    for (const auto& v : p->variants)
        if (v.variant_id == owner.variant_id) return "variant " + v.sku + " of product " + p->sku + " (" + p->name + ")";
    return "product " + p->sku;
}

std::string Claims::claim_sku(const std::string& sku, const std::string& location) {
    if (auto it = skus_.find(sku); it != skus_.end())
        return "SKU " + sku + " is used twice (also at " + it->second + ")";
    if (auto owner = index_.sku_owner(sku); owner && !replaced_.count(owner->product_id))
        return "SKU " + sku + " is already used by " + holder(*owner);
    if (auto it = barcodes_.find(sku); it != barcodes_.end() && it->second.item_sku != sku)
        return "SKU " + sku + " is also a barcode (at " + it->second.location + "); a scan could not tell them apart";
    if (auto owner = index_.barcode_owner(sku); owner && !replaced_.count(owner->product_id))
        return "SKU " + sku + " is already a barcode of " + holder(*owner) + "; a scan could not tell them apart";
    skus_.emplace(sku, location);
    return {};
}

std::string Claims::claim_barcode(const std::string& barcode, const std::string& location,
                                  const std::string& item_sku) {
    if (auto it = barcodes_.find(barcode); it != barcodes_.end())
        return "barcode " + barcode + " is used twice (also at " + it->second.location + ")";
    if (auto owner = index_.barcode_owner(barcode); owner && !replaced_.count(owner->product_id))
        return "barcode " + barcode + " is already used by " + holder(*owner);
    if (barcode != item_sku) {
        if (auto it = skus_.find(barcode); it != skus_.end())
            return "barcode " + barcode + " is the SKU at " + it->second + "; a scan would find that item instead";
        if (auto owner = index_.sku_owner(barcode); owner && !replaced_.count(owner->product_id))
            return "barcode " + barcode + " is the SKU of " + holder(*owner) + "; a scan would find that item instead";
    }
    barcodes_.emplace(barcode, BarcodeClaim{location, item_sku});
    return {};
}

}  // namespace till::domain::catalog
