#include "script/cart.hpp"

#include <algorithm>

namespace till::script {

using sdk::Value;

RuleCatalog::~RuleCatalog() = default;

namespace {

struct Reader {
    std::string error;

    bool fail(const std::string& path, const std::string& what) {
        if (error.empty()) error = path + ": " + what;
        return false;
    }
    bool str(const Value& map, const char* key, const std::string& path, std::string& out, bool required = false) {
        const Value* v = map.find(key);
        if (!v || v->is_null()) return required ? fail(path + key, "required") : true;
        if (!v->is_string()) return fail(path + key, std::string("expected string, got ") + Value::type_name(v->type()));
        out = v->as_string();
        return true;
    }
    bool num(const Value& map, const char* key, const std::string& path, std::int64_t& out) {
        const Value* v = map.find(key);
        if (!v || v->is_null()) return true;
        if (!v->is_int()) return fail(path + key, std::string("expected integer, got ") + Value::type_name(v->type()));
        out = v->as_int();
        return true;
    }
    bool tags(const Value& map, const std::string& path, std::vector<std::string>& out) {
        const Value* v = map.find("tags");
        if (!v || v->is_null()) return true;
        if (!v->is_list()) return fail(path + "tags", "expected a list of strings");
        for (std::size_t i = 0; i < v->as_list().size(); ++i) {
            const auto& t = v->as_list()[i];
            if (!t.is_string()) return fail(path + "tags[" + std::to_string(i) + "]", "expected string");
            out.push_back(t.as_string());
        }
        return true;
    }
};

Value tags_value(const std::vector<std::string>& tags) {
    Value list = Value::list();
    for (const auto& t : tags) list.push_back(t);
    return list;
}

}  // namespace

sdk::Result<Cart> cart_from_value(const Value& value) {
    if (!value.is_map()) return sdk::Error{"invalid_cart", "cart: expected an object"};
    Reader r;
    Cart cart;
    r.str(value, "order_id", "", cart.order_id);
    r.str(value, "order_type", "", cart.order_type);
    r.str(value, "currency", "", cart.currency);
    if (const Value* totals = value.find("totals"); totals && !totals->is_null()) {
        if (!totals->is_map()) r.fail("totals", "expected an object");
        r.num(*totals, "subtotal_minor", "totals.", cart.subtotal_minor);
        r.num(*totals, "discount_minor", "totals.", cart.discount_minor);
        r.num(*totals, "tax_minor", "totals.", cart.tax_minor);
        r.num(*totals, "total_minor", "totals.", cart.total_minor);
    }
    if (const Value* lines = value.find("lines"); lines && !lines->is_null()) {
        if (!lines->is_list()) r.fail("lines", "expected a list");
        for (std::size_t i = 0; i < lines->as_list().size() && r.error.empty(); ++i) {
            const Value& l = lines->as_list()[i];
            std::string path = "lines[" + std::to_string(i) + "].";
            if (!l.is_map()) {
                r.fail(path.substr(0, path.size() - 1), "expected an object");
                break;
            }
            CartLine line;
            r.str(l, "line_id", path, line.line_id);
            r.str(l, "sku", path, line.sku, true);
            r.str(l, "name", path, line.name);
            r.str(l, "department", path, line.department);
            r.tags(l, path, line.tags);
            line.qty_milli = 1000;
            r.num(l, "qty_milli", path, line.qty_milli);
            r.num(l, "unit_price_minor", path, line.unit_price_minor);
            line.total_minor = line.unit_price_minor * line.qty_milli / 1000;
            r.num(l, "total_minor", path, line.total_minor);
            if (const Value* mods = l.find("modifiers"); mods && !mods->is_null()) {
                if (!mods->is_list()) r.fail(path + "modifiers", "expected a list");
                for (std::size_t m = 0; m < mods->as_list().size(); ++m) {
                    const Value& mv = mods->as_list()[m];
                    std::string mpath = path + "modifiers[" + std::to_string(m) + "]";
                    CartModifier mod;
                    if (mv.is_string()) {
                        mod.name = mv.as_string();
                    } else if (mv.is_map()) {
                        r.str(mv, "modifier_id", mpath + ".", mod.modifier_id);
                        r.str(mv, "name", mpath + ".", mod.name);
                        r.num(mv, "price_delta_minor", mpath + ".", mod.price_delta_minor);
                    } else {
                        r.fail(mpath, "expected an object or a string");
                    }
                    line.modifiers.push_back(std::move(mod));
                }
            }
            cart.lines.push_back(std::move(line));
        }
    }
    if (const Value* customer = value.find("customer"); customer && !customer->is_null()) {
        if (!customer->is_map()) {
            r.fail("customer", "expected an object");
        } else {
            CartCustomer c;
            r.str(*customer, "customer_id", "customer.", c.customer_id);
            r.str(*customer, "name", "customer.", c.name);
            r.tags(*customer, "customer.", c.tags);
            cart.customer = std::move(c);
        }
    }
    if (!r.error.empty()) return sdk::Error{"invalid_cart", r.error};
    if (!value.find("totals")) {
        for (const auto& l : cart.lines) cart.subtotal_minor += l.total_minor;
        cart.total_minor = cart.subtotal_minor;
    }
    return cart;
}

Value cart_to_value(const Cart& cart) {
    Value v = Value::map();
    v.set("order_id", cart.order_id);
    v.set("order_type", cart.order_type);
    v.set("currency", cart.currency);
    Value totals = Value::map();
    totals.set("subtotal_minor", cart.subtotal_minor);
    totals.set("discount_minor", cart.discount_minor);
    totals.set("tax_minor", cart.tax_minor);
    totals.set("total_minor", cart.total_minor);
    v.set("totals", std::move(totals));
    Value lines = Value::list();
    for (const auto& l : cart.lines) {
        Value line = Value::map();
        line.set("line_id", l.line_id);
        line.set("sku", l.sku);
        line.set("name", l.name);
        line.set("department", l.department);
        line.set("tags", tags_value(l.tags));
        line.set("qty_milli", l.qty_milli);
        line.set("unit_price_minor", l.unit_price_minor);
        line.set("total_minor", l.total_minor);
        Value mods = Value::list();
        for (const auto& m : l.modifiers) {
            Value mod = Value::map();
            mod.set("modifier_id", m.modifier_id);
            mod.set("name", m.name);
            mod.set("price_delta_minor", m.price_delta_minor);
            mods.push_back(std::move(mod));
        }
        line.set("modifiers", std::move(mods));
        lines.push_back(std::move(line));
    }
    v.set("lines", std::move(lines));
    if (cart.customer) {
        Value c = Value::map();
        c.set("customer_id", cart.customer->customer_id);
        c.set("name", cart.customer->name);
        c.set("tags", tags_value(cart.customer->tags));
        v.set("customer", std::move(c));
    }
    return v;
}

void MapCatalog::add(CatalogItem item) { items_.push_back(std::move(item)); }

std::optional<CatalogItem> MapCatalog::find_by_sku(std::string_view sku) const {
    for (const auto& item : items_)
        if (item.sku == sku) return item;
    return std::nullopt;
}

std::vector<CatalogItem> MapCatalog::find_by_department(std::string_view department, std::size_t limit) const {
    std::vector<CatalogItem> out;
    for (const auto& item : items_)
        if (item.active && item.department == department && out.size() < limit) out.push_back(item);
    return out;
}

std::vector<CatalogItem> MapCatalog::find_by_tag(std::string_view tag, std::size_t limit) const {
    std::vector<CatalogItem> out;
    for (const auto& item : items_)
        if (item.active && std::find(item.tags.begin(), item.tags.end(), tag) != item.tags.end() &&
            out.size() < limit)
            out.push_back(item);
    return out;
}

sdk::Result<MapCatalog> MapCatalog::from_value(const Value& list) {
    MapCatalog catalog;
    if (list.is_null()) return catalog;
    if (!list.is_list()) return sdk::Error{"invalid_catalog", "catalog: expected a list"};
    Reader r;
    for (std::size_t i = 0; i < list.as_list().size(); ++i) {
        const Value& v = list.as_list()[i];
        std::string path = "catalog[" + std::to_string(i) + "].";
        if (!v.is_map()) return sdk::Error{"invalid_catalog", path + ": expected an object"};
        CatalogItem item;
        r.str(v, "sku", path, item.sku, true);
        r.str(v, "name", path, item.name);
        r.str(v, "department", path, item.department);
        r.num(v, "price_minor", path, item.price_minor);
        r.tags(v, path, item.tags);
        item.active = v["active"].as_bool(true);
        if (!r.error.empty()) return sdk::Error{"invalid_catalog", r.error};
        catalog.add(std::move(item));
    }
    return catalog;
}

const char* daypart_for_hour(int local_hour) {
    if (local_hour < 5) return "night";
    if (local_hour < 11) return "breakfast";
    if (local_hour < 15) return "lunch";
    if (local_hour < 18) return "afternoon";
    if (local_hour < 22) return "dinner";
    return "night";
}

}  // namespace till::script
