#include "domain/catalog/catalog_index.hpp"

#include <algorithm>
#include <unordered_set>

namespace till::domain::catalog {
namespace {

template <class Map>
auto* find_ptr(const Map& map, const std::string& key) {
    auto it = map.find(key);
    return it == map.end() ? nullptr : &it->second;
}

std::string item_name(const Product& p, const Variant* v) { return v ? p.name + ", " + v->name : p.name; }

std::string trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return std::string(s);
}

}  // namespace

void CatalogIndex::clear() { *this = CatalogIndex(); }

void CatalogIndex::put_department(Department d) {
    erase_department(d.department_id);
    department_codes_[d.code] = d.department_id;
    std::string id = d.department_id;
    departments_[id] = std::move(d);
}

void CatalogIndex::erase_department(const std::string& id) {
    auto it = departments_.find(id);
    if (it == departments_.end()) return;
    department_codes_.erase(it->second.code);
    departments_.erase(it);
}

void CatalogIndex::put_tax_class(TaxClass t) {
    erase_tax_class(t.tax_class_id);
    tax_class_codes_[t.code] = t.tax_class_id;
    std::string id = t.tax_class_id;
    tax_classes_[id] = std::move(t);
}

void CatalogIndex::erase_tax_class(const std::string& id) {
    auto it = tax_classes_.find(id);
    if (it == tax_classes_.end()) return;
    tax_class_codes_.erase(it->second.code);
    tax_classes_.erase(it);
}

void CatalogIndex::put_group(ModifierGroup g) {
    erase_group(g.group_id);
    group_codes_[g.code] = g.group_id;
    std::string id = g.group_id;
    groups_[id] = std::move(g);
}

void CatalogIndex::erase_group(const std::string& id) {
    auto it = groups_.find(id);
    if (it == groups_.end()) return;
    group_codes_.erase(it->second.code);
    groups_.erase(it);
}

void CatalogIndex::unlink_product(const Product& p) {
    // Only what this product still holds: in a batch (a CSV import) a
    // barcode may already have moved to a product put before this one.
    auto release = [&](std::unordered_map<std::string, ItemOwner>& map, const std::string& key) {
        auto it = map.find(key);
        if (it != map.end() && it->second.product_id == p.product_id) map.erase(it);
    };
    if (auto it = product_skus_.find(p.sku); it != product_skus_.end() && it->second == p.product_id)
        product_skus_.erase(it);
    if (auto o = skus_.find(p.sku); o != skus_.end() && o->second.product_id == p.product_id) names_.remove(p.sku);
    release(skus_, p.sku);
    for (const auto& b : p.barcodes) release(barcodes_, b);
    for (const auto& v : p.variants) {
        if (auto o = skus_.find(v.sku); o != skus_.end() && o->second.product_id == p.product_id) names_.remove(v.sku);
        release(skus_, v.sku);
        for (const auto& b : v.barcodes) release(barcodes_, b);
    }
}

void CatalogIndex::put_product(Product p) {
    if (auto it = products_.find(p.product_id); it != products_.end()) unlink_product(it->second);
    product_skus_[p.sku] = p.product_id;
    skus_[p.sku] = ItemOwner{p.product_id, ""};
    for (const auto& b : p.barcodes) barcodes_[b] = ItemOwner{p.product_id, ""};
    if (p.variants.empty()) names_.put(p.sku, p.name, p.active);
    for (const auto& v : p.variants) {
        skus_[v.sku] = ItemOwner{p.product_id, v.variant_id};
        for (const auto& b : v.barcodes) barcodes_[b] = ItemOwner{p.product_id, v.variant_id};
        names_.put(v.sku, item_name(p, &v), p.active && v.active);
    }
    std::string id = p.product_id;
    products_[id] = std::move(p);
}

void CatalogIndex::erase_product(const std::string& id) {
    auto it = products_.find(id);
    if (it == products_.end()) return;
    unlink_product(it->second);
    products_.erase(it);
}

const Department* CatalogIndex::department(const std::string& id) const { return find_ptr(departments_, id); }
const TaxClass* CatalogIndex::tax_class(const std::string& id) const { return find_ptr(tax_classes_, id); }
const ModifierGroup* CatalogIndex::group(const std::string& id) const { return find_ptr(groups_, id); }
const Product* CatalogIndex::product(const std::string& id) const { return find_ptr(products_, id); }

const Department* CatalogIndex::department_by_code(const std::string& code) const {
    auto id = find_ptr(department_codes_, code);
    return id ? department(*id) : nullptr;
}
const TaxClass* CatalogIndex::tax_class_by_code(const std::string& code) const {
    auto id = find_ptr(tax_class_codes_, code);
    return id ? tax_class(*id) : nullptr;
}
const ModifierGroup* CatalogIndex::group_by_code(const std::string& code) const {
    auto id = find_ptr(group_codes_, code);
    return id ? group(*id) : nullptr;
}
const Product* CatalogIndex::product_by_sku(const std::string& sku) const {
    auto id = find_ptr(product_skus_, sku);
    return id ? product(*id) : nullptr;
}

std::optional<ItemOwner> CatalogIndex::sku_owner(const std::string& sku) const {
    auto o = find_ptr(skus_, sku);
    return o ? std::optional<ItemOwner>(*o) : std::nullopt;
}
std::optional<ItemOwner> CatalogIndex::barcode_owner(const std::string& barcode) const {
    auto o = find_ptr(barcodes_, barcode);
    return o ? std::optional<ItemOwner>(*o) : std::nullopt;
}

std::vector<const Department*> CatalogIndex::departments() const {
    std::vector<const Department*> out;
    for (const auto& [code, id] : department_codes_) out.push_back(department(id));
    return out;
}
std::vector<const TaxClass*> CatalogIndex::tax_classes() const {
    std::vector<const TaxClass*> out;
    for (const auto& [code, id] : tax_class_codes_) out.push_back(tax_class(id));
    return out;
}
std::vector<const ModifierGroup*> CatalogIndex::groups() const {
    std::vector<const ModifierGroup*> out;
    for (const auto& [code, id] : group_codes_) out.push_back(group(id));
    return out;
}
std::vector<const Product*> CatalogIndex::products(const std::string& after_sku, std::size_t limit) const {
    std::vector<const Product*> out;
    auto it = after_sku.empty() ? product_skus_.begin() : product_skus_.upper_bound(after_sku);
    for (; it != product_skus_.end() && out.size() < limit; ++it) out.push_back(product(it->second));
    return out;
}

std::size_t CatalogIndex::products_in_department(const std::string& id) const {
    return static_cast<std::size_t>(std::count_if(products_.begin(), products_.end(),
                                                  [&](const auto& kv) { return kv.second.department_id == id; }));
}
std::size_t CatalogIndex::products_with_tax_class(const std::string& id) const {
    return static_cast<std::size_t>(std::count_if(products_.begin(), products_.end(),
                                                  [&](const auto& kv) { return kv.second.tax_class_id == id; }));
}
std::size_t CatalogIndex::products_with_group(const std::string& id) const {
    return static_cast<std::size_t>(std::count_if(products_.begin(), products_.end(), [&](const auto& kv) {
        const auto& ids = kv.second.modifier_group_ids;
        return std::find(ids.begin(), ids.end(), id) != ids.end();
    }));
}

ItemView CatalogIndex::item_of(const Product& p, const Variant* v) const {
    ItemView item;
    item.product_id = p.product_id;
    item.variant_id = v ? v->variant_id : "";
    item.sku = v ? v->sku : p.sku;
    item.name = item_name(p, v);
    item.department_id = p.department_id;
    item.tax_class_id = p.tax_class_id;
    item.price_minor = v ? v->price_minor : p.price_minor;
    item.cost_minor = v ? v->cost_minor : p.cost_minor;
    item.active = p.active && (!v || v->active);
    item.weighed = p.weighed;
    item.track_stock = p.track_stock;
    item.tags = p.tags;
    if (const TaxClass* tc = tax_class(p.tax_class_id))
        for (const auto& r : tc->rates) item.tax_rates.push_back({r.tax_rate_id, r.name, r.rate_bp, r.compound});
    for (const auto& gid : p.modifier_group_ids) {
        const ModifierGroup* g = group(gid);
        if (!g) continue;
        ModifierGroupView gv{g->group_id, g->name, g->min_choices, g->max_choices, {}};
        for (const auto& m : g->modifiers) gv.modifiers.push_back({m.modifier_id, m.name, m.price_delta_minor});
        item.modifier_groups.push_back(std::move(gv));
    }
    return item;
}

std::optional<ItemView> CatalogIndex::item_for_owner(const ItemOwner& owner) const {
    const Product* p = product(owner.product_id);
    if (!p) return std::nullopt;
    if (owner.variant_id.empty()) {
        if (!p->variants.empty()) return std::nullopt;  // sold through its variants
        return item_of(*p, nullptr);
    }
    for (const auto& v : p->variants)
        if (v.variant_id == owner.variant_id) return item_of(*p, &v);
    return std::nullopt;
}

std::optional<ItemView> CatalogIndex::item(const std::string& sku_or_barcode) const {
    if (auto o = sku_owner(sku_or_barcode)) return item_for_owner(*o);
    if (auto o = barcode_owner(sku_or_barcode)) return item_for_owner(*o);
    return std::nullopt;
}

std::vector<SearchHit> CatalogIndex::search(std::string_view query, std::size_t limit, bool include_inactive) const {
    std::vector<SearchHit> out;
    std::unordered_set<std::string> seen;
    const std::string code = trim(query);
    auto add = [&](ItemView item, const char* match) {
        if (out.size() >= limit || (!item.active && !include_inactive) || !seen.insert(item.sku).second) return;
        out.push_back({std::move(item), match});
    };
    if (!code.empty()) {
        if (auto o = sku_owner(code)) {
            const Product* p = product(o->product_id);
            if (p && o->variant_id.empty() && !p->variants.empty()) {
                for (const auto& v : p->variants) add(item_of(*p, &v), "sku");  // a parent SKU: its variants
            } else if (auto item = item_for_owner(*o)) {
                add(std::move(*item), "sku");
            }
        }
        if (auto o = barcode_owner(code))
            if (auto item = item_for_owner(*o)) add(std::move(*item), "barcode");
    }
    if (out.size() >= limit) return out;
    // Ask for a few more than needed: exact hits above may repeat name hits.
    for (const auto& sku : names_.match_name(query, limit + out.size(), include_inactive)) {
        if (out.size() >= limit) break;
        if (seen.count(sku)) continue;
        if (auto o = sku_owner(sku))
            if (auto item = item_for_owner(*o)) add(std::move(*item), "name");
    }
    return out;
}

}  // namespace till::domain::catalog
