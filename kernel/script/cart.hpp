// What an upsell rule sees: the cart (a plain data structure the order
// engine fills), the context of the call and the catalog lookups.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "till/sdk/value.hpp"

namespace till::script {

struct CartModifier {
    std::string modifier_id;
    std::string name;
    std::int64_t price_delta_minor = 0;
    bool operator==(const CartModifier&) const = default;
};

struct CartLine {
    std::string line_id;
    std::string sku;
    std::string name;
    std::string department;
    std::vector<std::string> tags;
    std::int64_t qty_milli = 0;          ///< 1000 = one unit
    std::int64_t unit_price_minor = 0;
    std::int64_t total_minor = 0;        ///< line total after line discounts
    std::vector<CartModifier> modifiers;
    bool operator==(const CartLine&) const = default;
};

struct CartCustomer {
    std::string customer_id;
    std::string name;
    std::vector<std::string> tags;
    bool operator==(const CartCustomer&) const = default;
};

struct Cart {
    std::string order_id;
    std::string order_type;               ///< "counter", "table", "delivery", ...
    std::string currency;                 ///< ISO 4217
    std::vector<CartLine> lines;
    std::int64_t subtotal_minor = 0;
    std::int64_t discount_minor = 0;
    std::int64_t tax_minor = 0;
    std::int64_t total_minor = 0;
    std::optional<CartCustomer> customer;
    bool operator==(const Cart&) const = default;
};

/// Reads a cart from its JSON shape (docs/rules.md, "The cart"). Errors name
/// the JSON path ("lines[2].qty_milli: expected integer").
sdk::Result<Cart> cart_from_value(const sdk::Value& value);
sdk::Value cart_to_value(const Cart& cart);

/// A catalog item as rules see it.
struct CatalogItem {
    std::string sku;
    std::string name;
    std::string department;
    std::int64_t price_minor = 0;
    std::vector<std::string> tags;
    bool active = true;
};

/// Catalog lookups offered to rules as ctx.catalog.*. Implemented by the
/// node over its catalog index (no storage round trip: called on every cart
/// change). Must not throw. Called from the thread evaluating the rules.
class RuleCatalog {
public:
    virtual ~RuleCatalog();
    virtual std::optional<CatalogItem> find_by_sku(std::string_view sku) const = 0;
    /// At most `limit` active items, in a stable order.
    virtual std::vector<CatalogItem> find_by_department(std::string_view department, std::size_t limit) const = 0;
    virtual std::vector<CatalogItem> find_by_tag(std::string_view tag, std::size_t limit) const = 0;
};

/// An in-memory catalog: for tests, `tillctl rules run/test` and benchmarks.
class MapCatalog final : public RuleCatalog {
public:
    void add(CatalogItem item);
    std::optional<CatalogItem> find_by_sku(std::string_view sku) const override;
    std::vector<CatalogItem> find_by_department(std::string_view department, std::size_t limit) const override;
    std::vector<CatalogItem> find_by_tag(std::string_view tag, std::size_t limit) const override;
    /// Reads [{sku, name, department, price_minor, tags, active}, ...].
    static sdk::Result<MapCatalog> from_value(const sdk::Value& list);

private:
    std::vector<CatalogItem> items_;
};

/// The context of one evaluation.
struct UpsellContext {
    std::string store_id;
    std::int64_t time_utc_ms = 0;
    /// Store's offset from UTC, for ctx.local_hour / ctx.weekday / daypart.
    int utc_offset_minutes = 0;
    /// "" = derived from the local hour: breakfast (<11), lunch (<15),
    /// afternoon (<18), dinner (<22), night.
    std::string daypart;
    const RuleCatalog* catalog = nullptr;  ///< may be null: lookups find nothing
};

/// The daypart name for a local hour (0-23), as described above.
const char* daypart_for_hour(int local_hour);

}  // namespace till::script
