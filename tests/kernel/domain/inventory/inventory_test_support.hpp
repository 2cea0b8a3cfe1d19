// Helpers for the inventory tests: a fixture per backend with the inventory
// service and the real audit trail started, and movement shorthands.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "domain/audit/audit_trail.hpp"
#include "domain/common/catalog_lookup.hpp"
#include "domain/inventory/inventory_service.hpp"
#include "domain/people/people_service.hpp"
#include "domain_fixture.hpp"

namespace till::test {

/// The backends every storage-facing inventory test runs on.
std::vector<Backend> inventory_backends();
const char* backend_name(Backend b);

/// A catalog of fixed SKUs (the CatalogLookup seam, for the unknown-SKU rules).
class FixedCatalog final : public domain::CatalogLookup {
public:
    explicit FixedCatalog(std::vector<std::string> skus) : skus_(std::move(skus)) {}
    std::optional<domain::ItemView> find_item(const std::string& sku_or_barcode) const override;

private:
    std::vector<std::string> skus_;
};

/// A domain with the real audit trail and people module (the Authorizer)
/// started, and the inventory service started on top of them.
struct InventoryUnderTest {
    explicit InventoryUnderTest(Backend backend, const domain::CatalogLookup* catalog = nullptr);
    DomainFixture fixture;
    domain::audit::AuditTrail audit;
    domain::people::PeopleService people;
    domain::InventoryService inventory;
};

domain::StockMovement movement(const std::string& sku, std::int64_t delta_milli, const std::string& kind = "sale");

/// Records one movement in its own transaction; REQUIREs success.
domain::StockLevel record_one(domain::InventoryService& inventory, sdk::Storage& storage,
                              const domain::StockMovement& m);

/// SUM(qty_delta_milli) of `sku` straight from the table.
std::int64_t ledger_sum(sdk::Storage& storage, const std::string& sku);

domain::Authorization authorization_of(const std::string& user_id, const std::string& role = "supervisor");

}  // namespace till::test
