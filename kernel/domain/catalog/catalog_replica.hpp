// Catalog records as sync carries them (docs/sync.md, "Payloads"): the
// record as the API answers it, ids and update time included, or
// {"id": ..., "deleted": true} for a deletion; and the writing of one such
// change, pulled from HQ, into the store's tables (inside the sync engine's
// transaction). HQ is the master of the catalog: its record replaces the
// store's whole. Internal to the catalog module (CatalogService wires it as
// its ReplicaApplier).
#pragma once

#include <string>

#include "domain/catalog/model.hpp"
#include "domain/common/replication.hpp"
#include "till/sdk/status.hpp"
#include "till/sdk/storage.hpp"
#include "till/sdk/value.hpp"

namespace till::domain::catalog {

/// {"id": id, "deleted": true}: the payload of a deletion.
sdk::Value replica_deletion(const std::string& id);
/// True for a deletion payload.
bool is_replica_deletion(const sdk::Value& payload);

/// A full record (ids kept) from a change payload. Errors
/// "invalid_argument" naming the JSON path.
sdk::Result<Department> department_from_replica(const sdk::Value& payload);
sdk::Result<TaxClass> tax_class_from_replica(const sdk::Value& payload);
sdk::Result<ModifierGroup> group_from_replica(const sdk::Value& payload);
sdk::Result<Product> product_from_replica(const sdk::Value& payload);

/// Writes `change` (department, tax_class, modifier_group or product) in
/// `tx` and returns the record as stored (or the deletion payload).
/// A product's references must exist (in `tx`: earlier changes of the same
/// batch count); a barcode HQ gives it is taken from whichever other
/// product holds it here (that product's own change follows from HQ); a
/// code or SKU held by another (local) record is refused: "invalid_argument"
/// naming the change and the holder.
sdk::Result<sdk::Value> apply_catalog_replica(sdk::SqlExecutor& tx, const ReplicatedChange& change);

}  // namespace till::domain::catalog
