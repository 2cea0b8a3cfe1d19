#include "domain/catalog/catalog_json.hpp"

#include <functional>

#include "domain/catalog/validation.hpp"
#include "domain/common/body_reader.hpp"

namespace till::domain::catalog {
namespace {

using sdk::Value;

Value i64(std::int64_t v) { return Value(static_cast<long long>(v)); }

Value strings(const std::vector<std::string>& list) {
    Value out = Value::list();
    for (const auto& s : list) out.push_back(s);
    return out;
}

using Check = std::function<std::string(std::string_view)>;

/// Reads an optional list of strings, each passing `check`.
std::vector<std::string> read_strings(BodyReader& r, std::string_view key, std::size_t max_items, const Check& check) {
    std::vector<std::string> out;
    const Value* list = r.list(key, Need::optional, max_items);
    if (!list) return out;
    for (std::size_t i = 0; i < list->size(); ++i) {
        const Value& v = list->as_list()[i];
        const std::string path = r.path_of(key) + "[" + std::to_string(i) + "]";
        if (!v.is_string()) {
            r.fail(path, std::string("expected a string, got ") + Value::type_name(v.type()));
            continue;
        }
        if (std::string problem = check(v.as_string()); !problem.empty()) {
            r.fail(path, problem);
            continue;
        }
        out.push_back(v.as_string());
    }
    return out;
}

/// A required string passing `check`.
std::string read_checked(BodyReader& r, std::string_view key, std::size_t max_length, const Check& check) {
    auto s = r.string(key, Need::required, max_length);
    if (!s) return {};
    if (std::string problem = check(*s); !problem.empty()) r.fail(r.path_of(key), problem);
    return *s;
}

}  // namespace

Value to_value(const Department& d) {
    Value v = Value::map();
    v.set("department_id", d.department_id);
    v.set("code", d.code);
    v.set("name", d.name);
    v.set("updated_utc_ms", i64(d.updated_utc_ms));
    return v;
}

Value to_value(const TaxClass& t) {
    Value v = Value::map();
    v.set("tax_class_id", t.tax_class_id);
    v.set("code", t.code);
    v.set("name", t.name);
    Value rates = Value::list();
    for (const auto& r : t.rates) {
        Value rv = Value::map();
        rv.set("tax_rate_id", r.tax_rate_id);
        rv.set("name", r.name);
        rv.set("rate_bp", i64(r.rate_bp));
        rv.set("compound", r.compound);
        rates.push_back(std::move(rv));
    }
    v.set("rates", std::move(rates));
    v.set("updated_utc_ms", i64(t.updated_utc_ms));
    return v;
}

Value to_value(const ModifierGroup& g) {
    Value v = Value::map();
    v.set("group_id", g.group_id);
    v.set("code", g.code);
    v.set("name", g.name);
    v.set("min_choices", g.min_choices);
    v.set("max_choices", g.max_choices);
    Value mods = Value::list();
    for (const auto& m : g.modifiers) {
        Value mv = Value::map();
        mv.set("modifier_id", m.modifier_id);
        mv.set("name", m.name);
        mv.set("price_delta_minor", i64(m.price_delta_minor));
        mods.push_back(std::move(mv));
    }
    v.set("modifiers", std::move(mods));
    v.set("updated_utc_ms", i64(g.updated_utc_ms));
    return v;
}

Value to_value(const Product& p) {
    Value v = Value::map();
    v.set("product_id", p.product_id);
    v.set("sku", p.sku);
    v.set("name", p.name);
    v.set("department_id", p.department_id);
    v.set("tax_class_id", p.tax_class_id);
    v.set("price_minor", i64(p.price_minor));
    v.set("cost_minor", i64(p.cost_minor));
    v.set("active", p.active);
    v.set("weighed", p.weighed);
    v.set("track_stock", p.track_stock);
    v.set("tags", strings(p.tags));
    v.set("barcodes", strings(p.barcodes));
    v.set("modifier_group_ids", strings(p.modifier_group_ids));
    Value vars = Value::list();
    for (const auto& var : p.variants) {
        Value vv = Value::map();
        vv.set("variant_id", var.variant_id);
        vv.set("sku", var.sku);
        vv.set("name", var.name);
        vv.set("price_minor", i64(var.price_minor));
        vv.set("cost_minor", i64(var.cost_minor));
        vv.set("active", var.active);
        vv.set("barcodes", strings(var.barcodes));
        vars.push_back(std::move(vv));
    }
    v.set("variants", std::move(vars));
    v.set("updated_utc_ms", i64(p.updated_utc_ms));
    return v;
}

Value to_value(const ItemView& item) {
    Value v = Value::map();
    v.set("product_id", item.product_id);
    v.set("variant_id", item.variant_id);
    v.set("sku", item.sku);
    v.set("name", item.name);
    v.set("department_id", item.department_id);
    v.set("tax_class_id", item.tax_class_id);
    v.set("price_minor", i64(item.price_minor));
    v.set("cost_minor", i64(item.cost_minor));
    v.set("active", item.active);
    v.set("weighed", item.weighed);
    v.set("track_stock", item.track_stock);
    Value rates = Value::list();
    for (const auto& r : item.tax_rates) {
        Value rv = Value::map();
        rv.set("tax_rate_id", r.tax_rate_id);
        rv.set("name", r.name);
        rv.set("rate_bp", i64(r.rate_bp));
        rv.set("compound", r.compound);
        rates.push_back(std::move(rv));
    }
    v.set("tax_rates", std::move(rates));
    Value groups = Value::list();
    for (const auto& g : item.modifier_groups) {
        Value gv = Value::map();
        gv.set("group_id", g.group_id);
        gv.set("name", g.name);
        gv.set("min_choices", g.min_choices);
        gv.set("max_choices", g.max_choices);
        Value mods = Value::list();
        for (const auto& m : g.modifiers) {
            Value mv = Value::map();
            mv.set("modifier_id", m.modifier_id);
            mv.set("name", m.name);
            mv.set("price_delta_minor", i64(m.price_delta_minor));
            mods.push_back(std::move(mv));
        }
        gv.set("modifiers", std::move(mods));
        groups.push_back(std::move(gv));
    }
    v.set("modifier_groups", std::move(groups));
    v.set("tags", strings(item.tags));
    return v;
}

sdk::Result<Department> read_department(const Value& body) {
    BodyReader r(body);
    Department d;
    d.code = read_checked(r, "code", max_code_length, check_code);
    d.name = read_checked(r, "name", max_name_length, check_name);
    r.allow("department_id");
    r.allow("updated_utc_ms");
    if (auto s = r.finish(); !s.ok()) return s.error();
    return d;
}

sdk::Result<TaxClass> read_tax_class(const Value& body) {
    BodyReader r(body);
    TaxClass t;
    t.code = read_checked(r, "code", max_code_length, check_code);
    t.name = read_checked(r, "name", max_name_length, check_name);
    r.allow("tax_class_id");
    r.allow("updated_utc_ms");
    if (const Value* rates = r.list("rates", Need::required, 10)) {
        for (std::size_t i = 0; i < rates->size() && r.ok(); ++i) {
            BodyReader rr(rates->as_list()[i], r.path_of("rates") + "[" + std::to_string(i) + "]");
            TaxRate rate;
            rate.tax_rate_id = rr.string("tax_rate_id", Need::optional, 64).value_or("");
            rate.name = read_checked(rr, "name", max_name_length, check_name);
            rate.rate_bp = rr.integer("rate_bp", Need::required, 0, 100000).value_or(0);
            rate.compound = rr.boolean("compound", Need::optional).value_or(false);
            if (auto s = rr.finish(); !s.ok()) return s.error();
            t.rates.push_back(std::move(rate));
        }
    }
    if (auto s = r.finish(); !s.ok()) return s.error();
    return t;
}

sdk::Result<ModifierGroup> read_group(const Value& body) {
    BodyReader r(body);
    ModifierGroup g;
    g.code = read_checked(r, "code", max_code_length, check_code);
    g.name = read_checked(r, "name", max_name_length, check_name);
    r.allow("group_id");
    r.allow("updated_utc_ms");
    g.min_choices = static_cast<int>(r.integer("min_choices", Need::optional, 0, 100).value_or(0));
    g.max_choices = static_cast<int>(r.integer("max_choices", Need::optional, 1, 100).value_or(1));
    if (const Value* mods = r.list("modifiers", Need::required, 100)) {
        if (mods->size() == 0) r.fail(r.path_of("modifiers"), "must have at least one modifier");
        for (std::size_t i = 0; i < mods->size() && r.ok(); ++i) {
            BodyReader mr(mods->as_list()[i], r.path_of("modifiers") + "[" + std::to_string(i) + "]");
            Modifier m;
            m.modifier_id = mr.string("modifier_id", Need::optional, 64).value_or("");
            m.name = read_checked(mr, "name", max_name_length, check_name);
            m.price_delta_minor =
                mr.integer("price_delta_minor", Need::optional, -max_price_minor, max_price_minor).value_or(0);
            if (auto s = mr.finish(); !s.ok()) return s.error();
            g.modifiers.push_back(std::move(m));
        }
    }
    if (r.ok() && g.max_choices < g.min_choices)
        r.fail(r.path_of("max_choices"), "must be at least min_choices (" + std::to_string(g.min_choices) + ")");
    if (r.ok() && static_cast<std::size_t>(g.min_choices) > g.modifiers.size())
        r.fail(r.path_of("min_choices"), "is more than the number of modifiers (" +
                                             std::to_string(g.modifiers.size()) + ")");
    if (auto s = r.finish(); !s.ok()) return s.error();
    return g;
}

sdk::Result<Product> read_product(const Value& body) {
    BodyReader r(body);
    Product p;
    p.sku = read_checked(r, "sku", max_sku_length, check_sku);
    p.name = read_checked(r, "name", max_name_length, check_name);
    p.department_id = r.string("department_id", Need::required, 64).value_or("");
    p.tax_class_id = r.string("tax_class_id", Need::required, 64).value_or("");
    p.price_minor = r.integer("price_minor", Need::required, 0, max_price_minor).value_or(0);
    p.cost_minor = r.integer("cost_minor", Need::optional, 0, max_price_minor).value_or(0);
    p.active = r.boolean("active", Need::optional).value_or(true);
    p.weighed = r.boolean("weighed", Need::optional).value_or(false);
    p.track_stock = r.boolean("track_stock", Need::optional).value_or(true);
    p.tags = read_strings(r, "tags", max_tags, check_tag);
    p.barcodes = read_strings(r, "barcodes", max_barcodes, check_barcode);
    p.modifier_group_ids = read_strings(r, "modifier_group_ids", 20, [](std::string_view s) {
        return s.empty() ? std::string("must not be empty") : std::string();
    });
    r.allow("product_id");
    r.allow("updated_utc_ms");
    if (const Value* vars = r.list("variants", Need::optional, max_variants)) {
        for (std::size_t i = 0; i < vars->size() && r.ok(); ++i) {
            BodyReader vr(vars->as_list()[i], r.path_of("variants") + "[" + std::to_string(i) + "]");
            Variant v;
            v.variant_id = vr.string("variant_id", Need::optional, 64).value_or("");
            v.sku = read_checked(vr, "sku", max_sku_length, check_sku);
            v.name = read_checked(vr, "name", max_name_length, check_name);
            v.price_minor = vr.integer("price_minor", Need::required, 0, max_price_minor).value_or(0);
            v.cost_minor = vr.integer("cost_minor", Need::optional, 0, max_price_minor).value_or(p.cost_minor);
            v.active = vr.boolean("active", Need::optional).value_or(true);
            v.barcodes = read_strings(vr, "barcodes", max_barcodes, check_barcode);
            if (auto s = vr.finish(); !s.ok()) return s.error();
            p.variants.push_back(std::move(v));
        }
    }
    if (r.ok() && !p.variants.empty() && !p.barcodes.empty())
        r.fail(r.path_of("barcodes"), "a product with variants carries its barcodes on its variants");
    if (auto s = r.finish(); !s.ok()) return s.error();
    return p;
}

}  // namespace till::domain::catalog
