// The whole catalog in memory: every department, tax class, modifier group
// and product, with lookups by id, code, SKU and barcode, the name search
// index, and ItemViews built from them. The CatalogService keeps it in step
// with storage (rebuilt at start, updated after every committed change).
//
// Not thread-safe: the service guards it with a reader/writer lock.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "domain/catalog/model.hpp"
#include "domain/catalog/search_index.hpp"
#include "domain/common/catalog_lookup.hpp"

namespace till::domain::catalog {

/// Who carries a SKU or a barcode: a product (variant_id "") or one of its variants.
struct ItemOwner {
    std::string product_id;
    std::string variant_id;
};

/// One search result: the item and how it matched ("sku", "barcode", "name").
struct SearchHit {
    ItemView item;
    std::string match;
};

class CatalogIndex {
public:
    void clear();

    void put_department(Department d);
    void erase_department(const std::string& id);
    void put_tax_class(TaxClass t);
    void erase_tax_class(const std::string& id);
    void put_group(ModifierGroup g);
    void erase_group(const std::string& id);
    /// Adds or replaces a product (and its SKUs, barcodes and search entries).
    void put_product(Product p);
    void erase_product(const std::string& id);
    /// After a batch of changes: re-establishes the search order (O(n log n)),
    /// so searches take their fast path.
    void refresh() { names_.refresh(); }
    /// refresh() in two steps, so that the O(n log n) part can run outside
    /// the owner's write lock: build_search_order() only reads (it may run
    /// while searches run); install_search_order() is O(1) and takes effect
    /// only if nothing changed in between (see SearchIndex).
    std::shared_ptr<const SearchOrder> build_search_order() const { return names_.build_order(); }
    std::shared_ptr<const SearchOrder> install_search_order(std::shared_ptr<const SearchOrder> order) {
        return names_.install_order(std::move(order));
    }
    bool search_fresh() const noexcept { return names_.fresh(); }

    const Department* department(const std::string& id) const;
    const Department* department_by_code(const std::string& code) const;
    const TaxClass* tax_class(const std::string& id) const;
    const TaxClass* tax_class_by_code(const std::string& code) const;
    const ModifierGroup* group(const std::string& id) const;
    const ModifierGroup* group_by_code(const std::string& code) const;
    const Product* product(const std::string& id) const;
    /// The product whose own SKU is `sku` (not a variant's).
    const Product* product_by_sku(const std::string& sku) const;

    std::optional<ItemOwner> sku_owner(const std::string& sku) const;
    std::optional<ItemOwner> barcode_owner(const std::string& barcode) const;

    /// In code order / SKU order.
    std::vector<const Department*> departments() const;
    std::vector<const TaxClass*> tax_classes() const;
    std::vector<const ModifierGroup*> groups() const;
    /// Products with SKU > `after_sku`, at most `limit`, in SKU order.
    std::vector<const Product*> products(const std::string& after_sku, std::size_t limit) const;
    std::size_t product_count() const noexcept { return products_.size(); }

    /// Number of products that use the department / tax class / group.
    std::size_t products_in_department(const std::string& id) const;
    std::size_t products_with_tax_class(const std::string& id) const;
    std::size_t products_with_group(const std::string& id) const;

    /// The sellable item for a SKU or barcode; nullopt when unknown or when
    /// it is the SKU of a product that has variants.
    std::optional<ItemView> item(const std::string& sku_or_barcode) const;
    /// The item of `product` (variant == nullptr) or of one of its variants.
    ItemView item_of(const Product& product, const Variant* variant) const;
    /// Exact SKU, then exact barcode, then name matches; at most `limit`.
    std::vector<SearchHit> search(std::string_view query, std::size_t limit, bool include_inactive) const;

private:
    void unlink_product(const Product& p);
    std::optional<ItemView> item_for_owner(const ItemOwner& owner) const;

    std::unordered_map<std::string, Department> departments_;
    std::map<std::string, std::string> department_codes_;
    std::unordered_map<std::string, TaxClass> tax_classes_;
    std::map<std::string, std::string> tax_class_codes_;
    std::unordered_map<std::string, ModifierGroup> groups_;
    std::map<std::string, std::string> group_codes_;
    std::unordered_map<std::string, Product> products_;
    std::map<std::string, std::string> product_skus_;  ///< product SKU → product id (sorted)
    std::unordered_map<std::string, ItemOwner> skus_;  ///< every SKU, products and variants
    std::unordered_map<std::string, ItemOwner> barcodes_;
    SearchIndex names_;
};

}  // namespace till::domain::catalog
