#include "domain/upsell/catalog_rules.hpp"

#include <algorithm>
#include <map>
#include <unordered_map>

namespace till::domain::upsell {

struct CatalogRules::Index {
    std::uint64_t generation = 0;
    std::vector<script::CatalogItem> items;  // every sellable item, by SKU
    std::map<std::string, std::vector<std::size_t>, std::less<>> by_department;  // active items
    std::map<std::string, std::vector<std::size_t>, std::less<>> by_tag;         // active items
    std::unordered_map<std::string, std::string> department_codes;               // id → code
    std::unordered_map<std::string, std::size_t> by_sku;
};

namespace {

constexpr std::size_t kPageSize = 500;

std::vector<script::CatalogItem> pick(const std::vector<script::CatalogItem>& items,
                                      const std::vector<std::size_t>& positions, std::size_t limit) {
    std::vector<script::CatalogItem> out;
    for (std::size_t i = 0; i < positions.size() && out.size() < limit; ++i) out.push_back(items[positions[i]]);
    return out;
}

}  // namespace

CatalogRules::CatalogRules(const catalog::CatalogService& catalog) : catalog_(catalog) {}
CatalogRules::~CatalogRules() = default;

void CatalogRules::invalidate() noexcept { generation_.fetch_add(1, std::memory_order_acq_rel); }

std::shared_ptr<const CatalogRules::Index> CatalogRules::index() const {
    std::lock_guard lock(mutex_);
    const std::uint64_t wanted = generation_.load(std::memory_order_acquire);
    if (index_ && index_->generation == wanted) return index_;

    auto next = std::make_shared<Index>();
    next->generation = wanted;  // a change during the build bumps it again: rebuilt next time
    for (const auto& d : catalog_.departments()) next->department_codes[d.department_id] = d.code;
    auto code_of = [&](const std::string& id) {
        auto it = next->department_codes.find(id);
        return it == next->department_codes.end() ? std::string() : it->second;
    };
    std::string after;
    for (;;) {
        auto page = catalog_.products(after, kPageSize);
        for (const auto& p : page.items) {
            const std::string department = code_of(p.department_id);
            if (p.variants.empty()) {
                next->items.push_back({p.sku, p.name, department, p.price_minor, p.tags, p.active});
                continue;
            }
            for (const auto& v : p.variants) {
                auto view = catalog_.find_item(v.sku);
                std::string name = view ? view->name : p.name + ", " + v.name;
                next->items.push_back({v.sku, std::move(name), department, v.price_minor, p.tags, p.active && v.active});
            }
        }
        if (page.next.empty()) break;
        after = page.next;
    }
    std::sort(next->items.begin(), next->items.end(),
              [](const script::CatalogItem& a, const script::CatalogItem& b) { return a.sku < b.sku; });
    for (std::size_t i = 0; i < next->items.size(); ++i) {
        const auto& item = next->items[i];
        next->by_sku[item.sku] = i;
        if (!item.active) continue;
        if (!item.department.empty()) next->by_department[item.department].push_back(i);
        for (const auto& tag : item.tags) {
            auto& list = next->by_tag[tag];
            if (list.empty() || list.back() != i) list.push_back(i);
        }
    }
    index_ = std::move(next);
    return index_;
}

std::optional<script::CatalogItem> CatalogRules::find_by_sku(std::string_view sku) const {
    auto view = catalog_.find_item(std::string(sku));
    if (!view) return std::nullopt;
    return script::CatalogItem{view->sku, view->name, department_code(view->department_id), view->price_minor,
                               view->tags, view->active};
}

std::vector<script::CatalogItem> CatalogRules::find_by_department(std::string_view department,
                                                                  std::size_t limit) const {
    auto idx = index();
    auto it = idx->by_department.find(department);
    if (it == idx->by_department.end()) return {};
    return pick(idx->items, it->second, limit);
}

std::vector<script::CatalogItem> CatalogRules::find_by_tag(std::string_view tag, std::size_t limit) const {
    auto idx = index();
    auto it = idx->by_tag.find(tag);
    if (it == idx->by_tag.end()) return {};
    return pick(idx->items, it->second, limit);
}

std::string CatalogRules::department_code(const std::string& department_id) const {
    if (department_id.empty()) return {};
    auto idx = index();
    auto it = idx->department_codes.find(department_id);
    return it == idx->department_codes.end() ? std::string() : it->second;
}

std::vector<std::string> CatalogRules::tags_of(std::string_view sku) const {
    auto idx = index();
    auto it = idx->by_sku.find(std::string(sku));
    return it == idx->by_sku.end() ? std::vector<std::string>{} : idx->items[it->second].tags;
}

}  // namespace till::domain::upsell
