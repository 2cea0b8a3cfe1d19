// The catalog on disk: its schema (migrations for SQLite and PostgreSQL,
// module "domain.catalog") and the statements that write one thing or load
// everything. Writers run inside the caller's transaction; each replaces the
// thing's rows whole (delete then insert), so a write is always complete.
#pragma once

#include <string>
#include <vector>

#include "domain/catalog/catalog_index.hpp"
#include "domain/catalog/model.hpp"
#include "till/sdk/status.hpp"
#include "till/sdk/storage.hpp"

namespace till::domain::catalog {

const std::vector<sdk::Migration>& catalog_migrations();

sdk::Status write_department(sdk::SqlExecutor& tx, const Department& d);
sdk::Status delete_department(sdk::SqlExecutor& tx, const std::string& id);
sdk::Status write_tax_class(sdk::SqlExecutor& tx, const TaxClass& t);
sdk::Status delete_tax_class(sdk::SqlExecutor& tx, const std::string& id);
sdk::Status write_group(sdk::SqlExecutor& tx, const ModifierGroup& g);
sdk::Status delete_group(sdk::SqlExecutor& tx, const std::string& id);
sdk::Status write_product(sdk::SqlExecutor& tx, const Product& p);
sdk::Status delete_product(sdk::SqlExecutor& tx, const std::string& id);

/// Everything stored, into a fresh index.
sdk::Status load_catalog(sdk::SqlExecutor& db, CatalogIndex& into);

}  // namespace till::domain::catalog
