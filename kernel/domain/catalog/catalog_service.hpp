// The catalog module: departments, tax classes, modifier groups, products
// and their variants and barcodes; search; CSV import/export; and the
// CatalogLookup seam the order engine sells from.
//
// The whole catalog lives in memory (CatalogIndex), loaded from storage by
// start() and updated after every committed change, so lookups and searches
// never touch storage. Changes are serialised (one writer at a time), each in
// one storage transaction with its audit entries (`catalog.price_changed`),
// and published after the commit as `catalog.department_changed`,
// `catalog.tax_class_changed`, `catalog.modifier_group_changed` or
// `catalog.product_changed` (payload: the thing as the API shows it; for a
// deletion {"<thing>_id": id, "deleted": true}).
//
// Sync: each change also appends a ReplicatedChange (type department,
// tax_class, modifier_group or product; payload the record as the API shows
// it, or {"id", "deleted": true}) in its transaction — an import one per
// product written. A failed append fails the change.
//
// Thread-safety: every method may be called from any thread.
// Errors: "invalid_argument" (422) and "conflict" (409) with a message that
// starts with the JSON path; "not_found" (404); storage failures keep their
// code (500).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/catalog/catalog_csv.hpp"
#include "domain/catalog/catalog_index.hpp"
#include "domain/catalog/model.hpp"
#include "domain/common/audit.hpp"
#include "domain/common/auth.hpp"
#include "domain/common/catalog_lookup.hpp"
#include "domain/common/context.hpp"

namespace till::api {
class Router;
}

namespace till::domain::catalog {

/// Who makes a change (for the audit log).
struct Actor {
    std::string user_id;
    std::string terminal_id;
    std::string authorized_by;  ///< supervisor of an override, else ""
    std::string reason;
    static Actor from(const Authorization& a);
};

struct ProductPage {
    std::vector<Product> items;
    std::string next;  ///< SKU to pass as `after` for the next page; "" at the end
};

struct ImportResult {
    ImportPlan plan;        ///< problems (then nothing was applied) or the row outcomes
    std::size_t created = 0;
    std::size_t updated = 0;
    std::size_t unchanged = 0;
};

class CatalogService final : public CatalogLookup {
public:
    CatalogService(DomainContext& ctx, Authorizer& authorizer, AuditLog& audit);
    ~CatalogService() override;
    CatalogService(const CatalogService&) = delete;
    CatalogService& operator=(const CatalogService&) = delete;

    /// Applies the migrations (module "domain.catalog") and loads the catalog.
    sdk::Status start();
    /// The /api/v1/catalog/... routes (see docs/api/openapi.yaml). Every
    /// write route first asks ctx.replication.may_edit_master_data(type):
    /// on a store synced with HQ it answers 403 with that message.
    sdk::Status add_routes(api::Router& router);

    /// Writes department, tax_class, modifier_group and product changes
    /// pulled from HQ (register it with the sync engine for those four
    /// types). apply() runs in the engine's transaction and does not append
    /// to the ReplicationLog; after_commit() updates the in-memory catalog
    /// and publishes catalog.*_changed. Lives as long as the service.
    ReplicaApplier& replica_applier();

    // CatalogLookup
    std::optional<ItemView> find_item(const std::string& sku_or_barcode) const override;
    /// Like find_item, with a "not_found" error that says why (unknown, or a
    /// product sold through its variants, which it lists).
    sdk::Result<ItemView> lookup_item(const std::string& sku_or_barcode) const;
    std::vector<SearchHit> search(std::string_view query, std::size_t limit, bool include_inactive = false) const;

    // Departments. Inputs carry code and name; ids and times are set here.
    sdk::Result<Department> create_department(Department input, const Actor& by);
    sdk::Result<Department> update_department(const std::string& id, Department input, const Actor& by);
    /// "conflict" while a product uses it.
    sdk::Status delete_department(const std::string& id, const Actor& by);
    std::optional<Department> department(const std::string& id) const;
    std::vector<Department> departments() const;

    sdk::Result<TaxClass> create_tax_class(TaxClass input, const Actor& by);
    sdk::Result<TaxClass> update_tax_class(const std::string& id, TaxClass input, const Actor& by);
    sdk::Status delete_tax_class(const std::string& id, const Actor& by);
    std::optional<TaxClass> tax_class(const std::string& id) const;
    std::vector<TaxClass> tax_classes() const;

    sdk::Result<ModifierGroup> create_group(ModifierGroup input, const Actor& by);
    sdk::Result<ModifierGroup> update_group(const std::string& id, ModifierGroup input, const Actor& by);
    sdk::Status delete_group(const std::string& id, const Actor& by);
    std::optional<ModifierGroup> group(const std::string& id) const;
    std::vector<ModifierGroup> groups() const;

    /// Input department_id / tax_class_id / modifier_group_ids may be ids or
    /// codes. Variants keep their id when the input gives it or has the same
    /// SKU as an existing variant. A price change is audited.
    sdk::Result<Product> create_product(Product input, const Actor& by);
    sdk::Result<Product> update_product(const std::string& id, Product input, const Actor& by);
    sdk::Status delete_product(const std::string& id, const Actor& by);
    std::optional<Product> product(const std::string& id) const;
    ProductPage products(const std::string& after_sku, std::size_t limit) const;

    std::string export_csv() const;
    /// Plans the import; applies it in one transaction only when no row is bad.
    sdk::Result<ImportResult> import_csv(std::string_view csv, const Actor& by);

    /// Test seam: `hook` runs on the writing thread after each committed
    /// change, while the search order is rebuilt outside the index lock
    /// (lookups and searches must not wait for it). Set before serving.
    void on_index_rebuild(std::function<void()> hook);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace till::domain::catalog
