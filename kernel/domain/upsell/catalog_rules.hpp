// ctx.catalog for upsell rules, over the catalog module: by SKU through its
// CatalogLookup, by department code and by tag through an index of sellable
// items built from the catalog's product list. The index is rebuilt lazily
// on the first lookup after invalidate() (the upsell service calls it on
// every `catalog.*` event), so lookups never touch storage.
//
// Items are what can be sold: a product without variants, or each variant
// of a product ("Latte, large"), with the product's department code and
// tags. by_department / by_tag list active items only, in SKU order.
//
// Thread-safety: every method may be called from any thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/catalog/catalog_service.hpp"
#include "script/cart.hpp"

namespace till::domain::upsell {

class CatalogRules final : public script::RuleCatalog {
public:
    explicit CatalogRules(const catalog::CatalogService& catalog);
    ~CatalogRules() override;

    /// The catalog changed: the next lookup rebuilds the index. Cheap (an
    /// atomic increment): safe to call from an event bus handler.
    void invalidate() noexcept;

    std::optional<script::CatalogItem> find_by_sku(std::string_view sku) const override;
    std::vector<script::CatalogItem> find_by_department(std::string_view department, std::size_t limit) const override;
    std::vector<script::CatalogItem> find_by_tag(std::string_view tag, std::size_t limit) const override;

    /// The code ("coffee") of a department id; "" when unknown.
    std::string department_code(const std::string& department_id) const;
    /// The catalog tags of an item by SKU (its product's); empty when unknown.
    std::vector<std::string> tags_of(std::string_view sku) const;

private:
    struct Index;
    std::shared_ptr<const Index> index() const;

    const catalog::CatalogService& catalog_;
    std::atomic<std::uint64_t> generation_{1};
    mutable std::mutex mutex_;  // guards index_ (the pointer)
    mutable std::shared_ptr<const Index> index_;
};

}  // namespace till::domain::upsell
