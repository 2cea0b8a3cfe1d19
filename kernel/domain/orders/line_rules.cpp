#include "domain/orders/line_rules.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace till::domain::orders {

ItemSnapshot snapshot_of(const ItemView& item) {
    ItemSnapshot s;
    s.product_id = item.product_id;
    s.variant_id = item.variant_id;
    s.tax_class_id = item.tax_class_id;
    s.catalog_price_minor = item.price_minor;
    s.cost_minor = item.cost_minor;
    s.weighed = item.weighed;
    s.track_stock = item.track_stock;
    for (const auto& r : item.tax_rates) s.tax_rates.push_back({r.tax_rate_id, r.name, r.rate_bp, r.compound});
    return s;
}

sdk::Status check_qty(const ItemSnapshot& item, std::int64_t qty_milli, const std::string& path) {
    if (qty_milli <= 0) return invalid_field(path, "must be at least 1, got " + std::to_string(qty_milli));
    if (!item.weighed && qty_milli % 1000 != 0)
        return invalid_field(path, "item is sold in whole units: give a multiple of 1000, got " +
                                       std::to_string(qty_milli));
    return {};
}

sdk::Result<std::vector<ChosenModifier>> choose_modifiers(const ItemView& item, const std::vector<std::string>& ids,
                                                          const std::string& path) {
    std::vector<ChosenModifier> out;
    std::set<std::string> seen;
    std::map<std::string, int> per_group;
    for (std::size_t i = 0; i < ids.size(); ++i) {
        const std::string at = path + "[" + std::to_string(i) + "]";
        if (!seen.insert(ids[i]).second) return invalid_field(at, "modifier " + ids[i] + " is chosen twice");
        bool found = false;
        for (const auto& g : item.modifier_groups) {
            for (const auto& m : g.modifiers) {
                if (m.modifier_id != ids[i]) continue;
                out.push_back({m.modifier_id, g.group_id, m.name, m.price_delta_minor});
                ++per_group[g.group_id];
                found = true;
                break;
            }
            if (found) break;
        }
        if (!found) return invalid_field(at, "unknown modifier " + ids[i] + " for " + item.sku);
    }
    for (const auto& g : item.modifier_groups) {
        int n = per_group[g.group_id];
        if (n < g.min_choices)
            return invalid_field(path, "group \"" + g.name + "\" needs at least " + std::to_string(g.min_choices) +
                                           " choice(s), got " + std::to_string(n));
        if (g.max_choices >= 0 && n > g.max_choices)
            return invalid_field(path, "group \"" + g.name + "\" allows at most " + std::to_string(g.max_choices) +
                                           " choice(s), got " + std::to_string(n));
    }
    return out;
}

std::optional<Discount> read_discount(BodyReader& reader, std::string_view key) {
    const sdk::Value* v = reader.object(key, Need::optional);
    if (!v) return std::nullopt;
    BodyReader d(*v, reader.path_of(key));
    auto percent = d.integer("percent_bp", Need::optional, 0, 10000);
    auto amount = d.integer("amount_minor", Need::optional, 0, std::int64_t{1} << 50);
    if (d.ok() && percent && amount) d.fail(reader.path_of(key), "give percent_bp or amount_minor, not both");
    if (d.ok() && !percent && !amount) d.fail(reader.path_of(key), "give percent_bp or amount_minor");
    if (auto s = d.finish(); !s.ok()) {
        // Hand the nested problem (already "<path>: <what>") to the outer reader.
        const std::string& m = s.error().message;
        auto sep = m.find(": ");
        if (sep == std::string::npos) reader.fail(reader.path_of(key), m);
        else reader.fail(m.substr(0, sep), m.substr(sep + 2));
        return std::nullopt;
    }
    Discount out;
    if (percent) {
        out.kind = *percent == 0 ? Discount::Kind::none : Discount::Kind::percent;
        out.percent_bp = *percent;
    } else {
        out.kind = *amount == 0 ? Discount::Kind::none : Discount::Kind::amount;
        out.amount_minor = *amount;
    }
    return out;
}

std::int64_t discount_bp(const Discount& discount, std::int64_t base_minor) {
    switch (discount.kind) {
        case Discount::Kind::none: return 0;
        case Discount::Kind::percent: return discount.percent_bp;
        case Discount::Kind::amount:
            if (base_minor <= 0) return discount.amount_minor > 0 ? 10000 : 0;
            return static_cast<std::int64_t>(
                (static_cast<pricing::Int128>(std::min(discount.amount_minor, base_minor)) * 10000 + base_minor - 1) /
                base_minor);
    }
    return 0;
}

bool over_limit(const Discount& discount, std::int64_t base_minor, std::int64_t limit_bp) {
    switch (discount.kind) {
        case Discount::Kind::none: return false;
        case Discount::Kind::percent: return discount.percent_bp > limit_bp;
        case Discount::Kind::amount:
            // amount / base > limit / 10000, exactly.
            return static_cast<pricing::Int128>(std::min(discount.amount_minor, std::max<std::int64_t>(base_minor, 0))) *
                           10000 >
                       static_cast<pricing::Int128>(limit_bp) * base_minor ||
                   (base_minor <= 0 && discount.amount_minor > 0 && limit_bp < 10000);
    }
    return false;
}

}  // namespace till::domain::orders
