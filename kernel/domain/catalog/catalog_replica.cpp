#include "domain/catalog/catalog_replica.hpp"

#include "domain/catalog/catalog_json.hpp"
#include "domain/catalog/catalog_store.hpp"
#include "domain/common/http_errors.hpp"

namespace till::domain::catalog {
namespace {

using sdk::Value;

sdk::Error invalid(const std::string& message) { return sdk::Error{std::string(error_code::invalid_argument), message}; }

/// The id member `key` of `payload`: a non-empty string.
sdk::Result<std::string> id_member(const Value& payload, const char* key) {
    const Value* v = payload.is_map() ? payload.find(key) : nullptr;
    if (!v || !v->is_string() || v->as_string().empty())
        return invalid(std::string("$.") + key + ": expected the record's id (a non-empty string)");
    return v->as_string();
}

std::int64_t updated_of(const Value& payload) {
    const Value* v = payload.find("updated_utc_ms");
    return v && v->is_int() ? v->as_int() : 0;
}

/// Each item of list `key` must carry a non-empty id `id_key` (HQ made them).
sdk::Status require_item_ids(const Value& payload, const char* key, const char* id_key) {
    const Value* list = payload.find(key);
    if (!list || !list->is_list()) return {};
    for (std::size_t i = 0; i < list->size(); ++i) {
        const Value& item = list->as_list()[i];
        const Value* id = item.is_map() ? item.find(id_key) : nullptr;
        if (!id || !id->is_string() || id->as_string().empty())
            return invalid(std::string("$.") + key + "[" + std::to_string(i) + "]." + id_key +
                           ": expected the id HQ gave it");
    }
    return {};
}

/// The first id (other than `own_id`) in `column` of `table` with `value`; "" when none.
sdk::Result<std::string> holder(sdk::SqlExecutor& tx, const std::string& sql, const std::string& value,
                                const std::string& own_id) {
    auto rows = tx.query(sql, {value, own_id});
    if (!rows) return rows.error();
    return rows->rows.empty() ? std::string() : rows->rows[0].at(0).as_string();
}

sdk::Result<bool> exists(sdk::SqlExecutor& tx, const char* table, const std::string& id) {
    auto rows = tx.query(std::string("SELECT 1 FROM ") + table + " WHERE id = ?", {id});
    if (!rows) return rows.error();
    return !rows->rows.empty();
}

/// Refuses a code held here by another record of the same table.
sdk::Status code_free(sdk::SqlExecutor& tx, const char* table, const char* what, const std::string& code,
                      const std::string& id) {
    auto other = holder(tx, std::string("SELECT id FROM ") + table + " WHERE code = ? AND id <> ?", code, id);
    if (!other) return other.error();
    if (!other->empty())
        return invalid(std::string(what) + " " + id + ": code '" + code + "' is held on this store by " + what + " " +
                       *other + " (not from HQ); rename or delete it here");
    return {};
}

sdk::Status sku_free(sdk::SqlExecutor& tx, const std::string& sku, const std::string& product_id) {
    auto other = holder(tx, "SELECT product_id FROM catalog_skus WHERE sku = ? AND product_id <> ?", sku, product_id);
    if (!other) return other.error();
    if (!other->empty())
        return invalid("product " + product_id + ": SKU " + sku + " is held on this store by product " + *other +
                       " (not from HQ); delete it here");
    return {};
}

sdk::Status take_barcode(sdk::SqlExecutor& tx, const std::string& barcode, const std::string& product_id) {
    auto n = tx.execute("DELETE FROM catalog_barcodes WHERE barcode = ? AND product_id <> ?", {barcode, product_id});
    return n ? sdk::Status() : sdk::Status(n.error());
}

sdk::Result<Value> apply_product(sdk::SqlExecutor& tx, const Product& p) {
    auto dep = exists(tx, "catalog_departments", p.department_id);
    if (!dep) return dep.error();
    if (!*dep) return invalid("product " + p.sku + ": unknown department " + p.department_id);
    auto tax = exists(tx, "catalog_tax_classes", p.tax_class_id);
    if (!tax) return tax.error();
    if (!*tax) return invalid("product " + p.sku + ": unknown tax class " + p.tax_class_id);
    for (const auto& g : p.modifier_group_ids) {
        auto known = exists(tx, "catalog_modifier_groups", g);
        if (!known) return known.error();
        if (!*known) return invalid("product " + p.sku + ": unknown modifier group " + g);
    }
    if (auto s = sku_free(tx, p.sku, p.product_id); !s.ok()) return s.error();
    for (const auto& v : p.variants)
        if (auto s = sku_free(tx, v.sku, p.product_id); !s.ok()) return s.error();
    for (const auto& b : p.barcodes)
        if (auto s = take_barcode(tx, b, p.product_id); !s.ok()) return s.error();
    for (const auto& v : p.variants)
        for (const auto& b : v.barcodes)
            if (auto s = take_barcode(tx, b, p.product_id); !s.ok()) return s.error();
    if (auto s = write_product(tx, p); !s.ok()) return s.error();
    return to_value(p);
}

}  // namespace

Value replica_deletion(const std::string& id) {
    Value v = Value::map();
    v.set("id", id);
    v.set("deleted", true);
    return v;
}

bool is_replica_deletion(const Value& payload) {
    const Value* d = payload.is_map() ? payload.find("deleted") : nullptr;
    return d && d->is_bool() && d->as_bool();
}

sdk::Result<Department> department_from_replica(const Value& payload) {
    auto id = id_member(payload, "department_id");
    if (!id) return id.error();
    auto d = read_department(payload);
    if (!d) return d.error();
    d->department_id = *id;
    d->updated_utc_ms = updated_of(payload);
    return d;
}

sdk::Result<TaxClass> tax_class_from_replica(const Value& payload) {
    auto id = id_member(payload, "tax_class_id");
    if (!id) return id.error();
    if (auto s = require_item_ids(payload, "rates", "tax_rate_id"); !s.ok()) return s.error();
    auto t = read_tax_class(payload);
    if (!t) return t.error();
    t->tax_class_id = *id;
    t->updated_utc_ms = updated_of(payload);
    return t;
}

sdk::Result<ModifierGroup> group_from_replica(const Value& payload) {
    auto id = id_member(payload, "group_id");
    if (!id) return id.error();
    if (auto s = require_item_ids(payload, "modifiers", "modifier_id"); !s.ok()) return s.error();
    auto g = read_group(payload);
    if (!g) return g.error();
    g->group_id = *id;
    g->updated_utc_ms = updated_of(payload);
    return g;
}

sdk::Result<Product> product_from_replica(const Value& payload) {
    auto id = id_member(payload, "product_id");
    if (!id) return id.error();
    if (auto s = require_item_ids(payload, "variants", "variant_id"); !s.ok()) return s.error();
    auto p = read_product(payload);
    if (!p) return p.error();
    p->product_id = *id;
    p->updated_utc_ms = updated_of(payload);
    return p;
}

sdk::Result<Value> apply_catalog_replica(sdk::SqlExecutor& tx, const ReplicatedChange& change) {
    const Value& payload = change.payload;
    const std::string& type = change.type;
    if (is_replica_deletion(payload)) {
        auto id = id_member(payload, "id");
        if (!id) return id.error();
        sdk::Status s;
        if (type == change_type::department) s = delete_department(tx, *id);
        else if (type == change_type::tax_class) s = delete_tax_class(tx, *id);
        else if (type == change_type::modifier_group) s = delete_group(tx, *id);
        else if (type == change_type::product) s = delete_product(tx, *id);
        else return invalid("the catalog does not hold changes of type '" + type + "'");
        if (!s.ok()) return s.error();
        return replica_deletion(*id);
    }
    if (type == change_type::department) {
        auto d = department_from_replica(payload);
        if (!d) return d.error();
        if (auto s = code_free(tx, "catalog_departments", "department", d->code, d->department_id); !s.ok())
            return s.error();
        if (auto s = write_department(tx, *d); !s.ok()) return s.error();
        return to_value(*d);
    }
    if (type == change_type::tax_class) {
        auto t = tax_class_from_replica(payload);
        if (!t) return t.error();
        if (auto s = code_free(tx, "catalog_tax_classes", "tax class", t->code, t->tax_class_id); !s.ok())
            return s.error();
        if (auto s = write_tax_class(tx, *t); !s.ok()) return s.error();
        return to_value(*t);
    }
    if (type == change_type::modifier_group) {
        auto g = group_from_replica(payload);
        if (!g) return g.error();
        if (auto s = code_free(tx, "catalog_modifier_groups", "modifier group", g->code, g->group_id); !s.ok())
            return s.error();
        if (auto s = write_group(tx, *g); !s.ok()) return s.error();
        return to_value(*g);
    }
    if (type == change_type::product) {
        auto p = product_from_replica(payload);
        if (!p) return p.error();
        return apply_product(tx, *p);
    }
    return invalid("the catalog does not hold changes of type '" + type + "'");
}

}  // namespace till::domain::catalog
