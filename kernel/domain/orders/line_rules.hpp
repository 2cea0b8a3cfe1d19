// The rules for one line, independent of storage: quantities, modifiers
// chosen against the item's modifier groups, discounts and their limit.
// Errors are "invalid_argument" naming the JSON path given by the caller.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "domain/common/body_reader.hpp"
#include "domain/common/catalog_lookup.hpp"
#include "domain/orders/order_model.hpp"
#include "till/sdk/status.hpp"

namespace till::domain::orders {

/// The catalog item as the line keeps it (price and tax rates as of now).
ItemSnapshot snapshot_of(const ItemView& item);

/// qty_milli must be > 0; an item that is not weighed sells in whole units
/// (multiples of 1000).
sdk::Status check_qty(const ItemSnapshot& item, std::int64_t qty_milli, const std::string& path);

/// The modifiers with ids `ids` (the JSON list at `path`), checked against
/// the item's groups: every id known, none twice, each group's choices
/// between its min and max.
sdk::Result<std::vector<ChosenModifier>> choose_modifiers(const ItemView& item, const std::vector<std::string>& ids,
                                                          const std::string& path);

/// Reads {"percent_bp": n} or {"amount_minor": n} (exactly one) at `key` of
/// `reader`; nullopt when absent. {"percent_bp": 0} clears a discount.
std::optional<Discount> read_discount(BodyReader& reader, std::string_view key);

/// Whether `discount` on an amount of `base_minor` exceeds `limit_bp`.
bool over_limit(const Discount& discount, std::int64_t base_minor, std::int64_t limit_bp);

/// The discount in basis points of `base_minor` (for audit details).
std::int64_t discount_bp(const Discount& discount, std::int64_t base_minor);

}  // namespace till::domain::orders
