// The catalog's JSON forms: what the API answers (and publishes on the event
// bus) and the strict reading of request bodies. Readers check every field's
// type and single-value rules, naming the JSON path of the first problem
// ("$.variants[1].sku: must not contain spaces"); references (department,
// tax class, modifier groups) and uniqueness are checked by the service.
// Reading ignores the read-only members an answer carries (ids, update
// times), so a client may send back what it got.
#pragma once

#include "domain/catalog/model.hpp"
#include "domain/common/catalog_lookup.hpp"
#include "till/sdk/status.hpp"
#include "till/sdk/value.hpp"

namespace till::domain::catalog {

sdk::Value to_value(const Department& d);
sdk::Value to_value(const TaxClass& t);
sdk::Value to_value(const ModifierGroup& g);
sdk::Value to_value(const Product& p);
sdk::Value to_value(const ItemView& item);

/// Ids are left empty (kept ids of rates, modifiers and variants are read
/// when given). Product department_id / tax_class_id / modifier_group_ids
/// hold what the client sent: an id or a code.
sdk::Result<Department> read_department(const sdk::Value& body);
sdk::Result<TaxClass> read_tax_class(const sdk::Value& body);
sdk::Result<ModifierGroup> read_group(const sdk::Value& body);
sdk::Result<Product> read_product(const sdk::Value& body);

}  // namespace till::domain::catalog
