#include "inventory_test_support.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

namespace till::test {

std::vector<Backend> inventory_backends() { return {Backend::sqlite, Backend::postgresql}; }

const char* backend_name(Backend b) { return b == Backend::sqlite ? "sqlite" : "postgresql"; }

std::optional<domain::ItemView> FixedCatalog::find_item(const std::string& sku_or_barcode) const {
    if (std::find(skus_.begin(), skus_.end(), sku_or_barcode) == skus_.end()) return std::nullopt;
    domain::ItemView item;
    item.product_id = "product-" + sku_or_barcode;
    item.sku = sku_or_barcode;
    item.name = "Item " + sku_or_barcode;
    return item;
}

InventoryUnderTest::InventoryUnderTest(Backend backend, const domain::CatalogLookup* catalog)
    : fixture(backend), audit(fixture.ctx()), people(fixture.ctx(), audit),
      inventory(fixture.ctx(), people, audit, catalog) {
    auto a = audit.start();
    INFO((a.ok() ? std::string() : a.message()));
    REQUIRE(a.ok());
    auto p = people.start();
    INFO((p.ok() ? std::string() : p.message()));
    REQUIRE(p.ok());
    auto s = inventory.start();
    INFO((s.ok() ? std::string() : s.message()));
    REQUIRE(s.ok());
}

domain::StockMovement movement(const std::string& sku, std::int64_t delta_milli, const std::string& kind) {
    domain::StockMovement m;
    m.sku = sku;
    m.qty_delta_milli = delta_milli;
    m.kind = kind;
    m.reference = "order:test";
    m.user_id = "user-test";
    return m;
}

domain::StockLevel record_one(domain::InventoryService& inventory, sdk::Storage& storage,
                              const domain::StockMovement& m) {
    domain::StockLevel level;
    auto s = storage.transaction([&](sdk::SqlExecutor& tx) -> sdk::Status {
        auto r = inventory.record(tx, m);
        if (!r) return r.status();
        level = *r;
        return {};
    });
    INFO((s.ok() ? std::string() : s.error().code + ": " + s.message()));
    REQUIRE(s.ok());
    return level;
}

std::int64_t ledger_sum(sdk::Storage& storage, const std::string& sku) {
    auto rows = storage.query(
        "SELECT CAST(COALESCE(SUM(qty_delta_milli), 0) AS BIGINT) FROM stock_movements WHERE sku = ?",
        {sdk::Value(sku)});
    REQUIRE(rows.ok());
    return rows->rows.at(0).at(0).as_int();
}

domain::Authorization authorization_of(const std::string& user_id, const std::string& role) {
    domain::Authorization a;
    a.principal.user_id = user_id;
    a.principal.user_name = user_id;
    a.principal.role = role;
    a.principal.terminal_id = "T1";
    return a;
}

}  // namespace till::test
