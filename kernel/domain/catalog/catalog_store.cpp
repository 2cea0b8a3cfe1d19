#include "domain/catalog/catalog_store.hpp"

#include <unordered_map>

namespace till::domain::catalog {
namespace {

using sdk::Value;

const char* const schema_v1 = R"SQL(
CREATE TABLE catalog_departments (
  id TEXT PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  updated_utc_ms BIGINT NOT NULL
);
CREATE TABLE catalog_tax_classes (
  id TEXT PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  updated_utc_ms BIGINT NOT NULL
);
CREATE TABLE catalog_tax_rates (
  id TEXT PRIMARY KEY,
  tax_class_id TEXT NOT NULL,
  position INTEGER NOT NULL,
  name TEXT NOT NULL,
  rate_bp BIGINT NOT NULL,
  compound INTEGER NOT NULL
);
CREATE INDEX catalog_tax_rates_class ON catalog_tax_rates (tax_class_id);
CREATE TABLE catalog_modifier_groups (
  id TEXT PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  min_choices INTEGER NOT NULL,
  max_choices INTEGER NOT NULL,
  updated_utc_ms BIGINT NOT NULL
);
CREATE TABLE catalog_modifiers (
  id TEXT PRIMARY KEY,
  group_id TEXT NOT NULL,
  position INTEGER NOT NULL,
  name TEXT NOT NULL,
  price_delta_minor BIGINT NOT NULL
);
CREATE INDEX catalog_modifiers_group ON catalog_modifiers (group_id);
CREATE TABLE catalog_products (
  id TEXT PRIMARY KEY,
  sku TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  department_id TEXT NOT NULL,
  tax_class_id TEXT NOT NULL,
  price_minor BIGINT NOT NULL,
  cost_minor BIGINT NOT NULL,
  active INTEGER NOT NULL,
  weighed INTEGER NOT NULL,
  track_stock INTEGER NOT NULL,
  tags TEXT NOT NULL,
  updated_utc_ms BIGINT NOT NULL
);
CREATE TABLE catalog_variants (
  id TEXT PRIMARY KEY,
  product_id TEXT NOT NULL,
  position INTEGER NOT NULL,
  sku TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  price_minor BIGINT NOT NULL,
  cost_minor BIGINT NOT NULL,
  active INTEGER NOT NULL
);
CREATE INDEX catalog_variants_product ON catalog_variants (product_id);
CREATE TABLE catalog_skus (
  sku TEXT PRIMARY KEY,
  product_id TEXT NOT NULL,
  variant_id TEXT NOT NULL
);
CREATE INDEX catalog_skus_product ON catalog_skus (product_id);
CREATE TABLE catalog_barcodes (
  barcode TEXT PRIMARY KEY,
  product_id TEXT NOT NULL,
  variant_id TEXT NOT NULL,
  position INTEGER NOT NULL
);
CREATE INDEX catalog_barcodes_product ON catalog_barcodes (product_id);
CREATE TABLE catalog_product_modifier_groups (
  product_id TEXT NOT NULL,
  group_id TEXT NOT NULL,
  position INTEGER NOT NULL,
  PRIMARY KEY (product_id, group_id)
)
)SQL";

sdk::Status run(sdk::SqlExecutor& tx, std::string_view sql, const std::vector<Value>& params) {
    auto r = tx.execute(sql, params);
    return r ? sdk::Status() : sdk::Status(r.error());
}

#define TILL_TRY(expr)                    \
    do {                                  \
        if (auto s_ = (expr); !s_.ok()) return s_; \
    } while (false)

Value int_of(std::int64_t v) { return Value(static_cast<long long>(v)); }
Value flag(bool b) { return Value(b ? 1 : 0); }

std::string tags_text(const std::vector<std::string>& tags) {
    Value list = Value::list();
    for (const auto& t : tags) list.push_back(t);
    return list.to_json();
}

std::vector<std::string> tags_from(const std::string& text) {
    std::vector<std::string> out;
    auto parsed = Value::parse_json(text);
    if (parsed)
        for (const auto& v : parsed->as_list()) out.push_back(v.as_string());
    return out;
}

sdk::Status delete_product_rows(sdk::SqlExecutor& tx, const std::string& id) {
    TILL_TRY(run(tx, "DELETE FROM catalog_products WHERE id = ?", {id}));
    TILL_TRY(run(tx, "DELETE FROM catalog_variants WHERE product_id = ?", {id}));
    TILL_TRY(run(tx, "DELETE FROM catalog_skus WHERE product_id = ?", {id}));
    TILL_TRY(run(tx, "DELETE FROM catalog_barcodes WHERE product_id = ?", {id}));
    return run(tx, "DELETE FROM catalog_product_modifier_groups WHERE product_id = ?", {id});
}

}  // namespace

const std::vector<sdk::Migration>& catalog_migrations() {
    static const std::vector<sdk::Migration> migrations = {
        {1, "catalog: departments, tax classes, modifier groups, products, variants, barcodes", schema_v1, ""}};
    return migrations;
}

sdk::Status write_department(sdk::SqlExecutor& tx, const Department& d) {
    TILL_TRY(delete_department(tx, d.department_id));
    return run(tx, "INSERT INTO catalog_departments (id, code, name, updated_utc_ms) VALUES (?, ?, ?, ?)",
               {d.department_id, d.code, d.name, int_of(d.updated_utc_ms)});
}

sdk::Status delete_department(sdk::SqlExecutor& tx, const std::string& id) {
    return run(tx, "DELETE FROM catalog_departments WHERE id = ?", {id});
}

sdk::Status write_tax_class(sdk::SqlExecutor& tx, const TaxClass& t) {
    TILL_TRY(delete_tax_class(tx, t.tax_class_id));
    TILL_TRY(run(tx, "INSERT INTO catalog_tax_classes (id, code, name, updated_utc_ms) VALUES (?, ?, ?, ?)",
                 {t.tax_class_id, t.code, t.name, int_of(t.updated_utc_ms)}));
    int position = 0;
    for (const auto& r : t.rates)
        TILL_TRY(run(tx,
                     "INSERT INTO catalog_tax_rates (id, tax_class_id, position, name, rate_bp, compound) "
                     "VALUES (?, ?, ?, ?, ?, ?)",
                     {r.tax_rate_id, t.tax_class_id, position++, r.name, int_of(r.rate_bp), flag(r.compound)}));
    return {};
}

sdk::Status delete_tax_class(sdk::SqlExecutor& tx, const std::string& id) {
    TILL_TRY(run(tx, "DELETE FROM catalog_tax_classes WHERE id = ?", {id}));
    return run(tx, "DELETE FROM catalog_tax_rates WHERE tax_class_id = ?", {id});
}

sdk::Status write_group(sdk::SqlExecutor& tx, const ModifierGroup& g) {
    TILL_TRY(delete_group(tx, g.group_id));
    TILL_TRY(run(tx,
                 "INSERT INTO catalog_modifier_groups (id, code, name, min_choices, max_choices, updated_utc_ms) "
                 "VALUES (?, ?, ?, ?, ?, ?)",
                 {g.group_id, g.code, g.name, g.min_choices, g.max_choices, int_of(g.updated_utc_ms)}));
    int position = 0;
    for (const auto& m : g.modifiers)
        TILL_TRY(run(tx,
                     "INSERT INTO catalog_modifiers (id, group_id, position, name, price_delta_minor) "
                     "VALUES (?, ?, ?, ?, ?)",
                     {m.modifier_id, g.group_id, position++, m.name, int_of(m.price_delta_minor)}));
    return {};
}

sdk::Status delete_group(sdk::SqlExecutor& tx, const std::string& id) {
    TILL_TRY(run(tx, "DELETE FROM catalog_modifier_groups WHERE id = ?", {id}));
    return run(tx, "DELETE FROM catalog_modifiers WHERE group_id = ?", {id});
}

sdk::Status write_product(sdk::SqlExecutor& tx, const Product& p) {
    TILL_TRY(delete_product_rows(tx, p.product_id));
    TILL_TRY(run(tx,
                 "INSERT INTO catalog_products (id, sku, name, department_id, tax_class_id, price_minor, cost_minor, "
                 "active, weighed, track_stock, tags, updated_utc_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                 {p.product_id, p.sku, p.name, p.department_id, p.tax_class_id, int_of(p.price_minor),
                  int_of(p.cost_minor), flag(p.active), flag(p.weighed), flag(p.track_stock), tags_text(p.tags),
                  int_of(p.updated_utc_ms)}));
    TILL_TRY(run(tx, "INSERT INTO catalog_skus (sku, product_id, variant_id) VALUES (?, ?, ?)",
                 {p.sku, p.product_id, ""}));
    int position = 0;
    for (const auto& b : p.barcodes)
        TILL_TRY(run(tx, "INSERT INTO catalog_barcodes (barcode, product_id, variant_id, position) VALUES (?, ?, ?, ?)",
                     {b, p.product_id, "", position++}));
    position = 0;
    for (const auto& g : p.modifier_group_ids)
        TILL_TRY(run(tx, "INSERT INTO catalog_product_modifier_groups (product_id, group_id, position) VALUES (?, ?, ?)",
                     {p.product_id, g, position++}));
    int vpos = 0;
    for (const auto& v : p.variants) {
        TILL_TRY(run(tx,
                     "INSERT INTO catalog_variants (id, product_id, position, sku, name, price_minor, cost_minor, "
                     "active) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                     {v.variant_id, p.product_id, vpos++, v.sku, v.name, int_of(v.price_minor), int_of(v.cost_minor),
                      flag(v.active)}));
        TILL_TRY(run(tx, "INSERT INTO catalog_skus (sku, product_id, variant_id) VALUES (?, ?, ?)",
                     {v.sku, p.product_id, v.variant_id}));
        position = 0;
        for (const auto& b : v.barcodes)
            TILL_TRY(run(tx,
                         "INSERT INTO catalog_barcodes (barcode, product_id, variant_id, position) VALUES (?, ?, ?, ?)",
                         {b, p.product_id, v.variant_id, position++}));
    }
    return {};
}

sdk::Status delete_product(sdk::SqlExecutor& tx, const std::string& id) { return delete_product_rows(tx, id); }

sdk::Status load_catalog(sdk::SqlExecutor& db, CatalogIndex& into) {
    into.clear();
    auto q = [&](std::string_view sql) { return db.query(sql); };

    auto deps = q("SELECT id, code, name, updated_utc_ms FROM catalog_departments");
    if (!deps) return deps.error();
    for (auto& r : deps->rows)
        into.put_department({r[0].as_string(), r[1].as_string(), r[2].as_string(), r[3].as_int()});

    std::unordered_map<std::string, std::vector<TaxRate>> rates;
    auto rate_rows = q("SELECT tax_class_id, id, name, rate_bp, compound FROM catalog_tax_rates "
                       "ORDER BY tax_class_id, position");
    if (!rate_rows) return rate_rows.error();
    for (auto& r : rate_rows->rows)
        rates[r[0].as_string()].push_back({r[1].as_string(), r[2].as_string(), r[3].as_int(), r[4].as_int() != 0});
    auto classes = q("SELECT id, code, name, updated_utc_ms FROM catalog_tax_classes");
    if (!classes) return classes.error();
    for (auto& r : classes->rows)
        into.put_tax_class({r[0].as_string(), r[1].as_string(), r[2].as_string(), rates[r[0].as_string()],
                            r[3].as_int()});

    std::unordered_map<std::string, std::vector<Modifier>> mods;
    auto mod_rows = q("SELECT group_id, id, name, price_delta_minor FROM catalog_modifiers ORDER BY group_id, position");
    if (!mod_rows) return mod_rows.error();
    for (auto& r : mod_rows->rows) mods[r[0].as_string()].push_back({r[1].as_string(), r[2].as_string(), r[3].as_int()});
    auto groups = q("SELECT id, code, name, min_choices, max_choices, updated_utc_ms FROM catalog_modifier_groups");
    if (!groups) return groups.error();
    for (auto& r : groups->rows)
        into.put_group({r[0].as_string(), r[1].as_string(), r[2].as_string(), static_cast<int>(r[3].as_int()),
                        static_cast<int>(r[4].as_int()), mods[r[0].as_string()], r[5].as_int()});

    // Children first, keyed by product (and variant) id, then the products.
    std::unordered_map<std::string, std::vector<std::string>> barcodes;  // product id or variant id → barcodes
    auto bc = q("SELECT product_id, variant_id, barcode FROM catalog_barcodes ORDER BY product_id, variant_id, position");
    if (!bc) return bc.error();
    for (auto& r : bc->rows) {
        const std::string& owner = r[1].as_string().empty() ? r[0].as_string() : r[1].as_string();
        barcodes[owner].push_back(r[2].as_string());
    }
    std::unordered_map<std::string, std::vector<std::string>> pmg;
    auto pg = q("SELECT product_id, group_id FROM catalog_product_modifier_groups ORDER BY product_id, position");
    if (!pg) return pg.error();
    for (auto& r : pg->rows) pmg[r[0].as_string()].push_back(r[1].as_string());
    std::unordered_map<std::string, std::vector<Variant>> variants;
    auto vr = q("SELECT product_id, id, sku, name, price_minor, cost_minor, active FROM catalog_variants "
                "ORDER BY product_id, position");
    if (!vr) return vr.error();
    for (auto& r : vr->rows) {
        Variant v{r[1].as_string(), r[2].as_string(), r[3].as_string(), r[4].as_int(), r[5].as_int(),
                  r[6].as_int() != 0, {}};
        if (auto it = barcodes.find(v.variant_id); it != barcodes.end()) v.barcodes = std::move(it->second);
        variants[r[0].as_string()].push_back(std::move(v));
    }
    auto pr = q("SELECT id, sku, name, department_id, tax_class_id, price_minor, cost_minor, active, weighed, "
                "track_stock, tags, updated_utc_ms FROM catalog_products");
    if (!pr) return pr.error();
    for (auto& r : pr->rows) {
        Product p;
        p.product_id = r[0].as_string();
        p.sku = r[1].as_string();
        p.name = r[2].as_string();
        p.department_id = r[3].as_string();
        p.tax_class_id = r[4].as_string();
        p.price_minor = r[5].as_int();
        p.cost_minor = r[6].as_int();
        p.active = r[7].as_int() != 0;
        p.weighed = r[8].as_int() != 0;
        p.track_stock = r[9].as_int() != 0;
        p.tags = tags_from(r[10].as_string());
        p.updated_utc_ms = r[11].as_int();
        if (auto it = barcodes.find(p.product_id); it != barcodes.end()) p.barcodes = std::move(it->second);
        if (auto it = pmg.find(p.product_id); it != pmg.end()) p.modifier_group_ids = std::move(it->second);
        if (auto it = variants.find(p.product_id); it != variants.end()) p.variants = std::move(it->second);
        into.put_product(std::move(p));
    }
    into.refresh();
    return {};
}

}  // namespace till::domain::catalog
