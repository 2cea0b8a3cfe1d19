// Upsell suggestions: what a rule returns, and how the answers of all rules
// of a deployment are merged.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "till/sdk/value.hpp"

namespace till::script {

struct Suggestion {
    std::string sku;
    std::string reason;                     ///< shown to the cashier
    std::optional<std::int64_t> price_minor;  ///< offer price; none = catalog price
    std::int64_t priority = 0;              ///< higher first; -1000..1000
    std::string rule;                       ///< file that suggested it
};

/// De-duplicates by SKU (highest priority wins; on a tie, the earlier rule)
/// and ranks by priority (descending), then rule order. `in_rule_order`
/// holds every rule's suggestions, rules in file-name order. Keeps `max`.
std::vector<Suggestion> merge_suggestions(const std::vector<Suggestion>& in_rule_order, std::size_t max);

/// [{sku, reason, price_minor?, priority, rule}, ...]
sdk::Value suggestions_to_value(const std::vector<Suggestion>& suggestions);

}  // namespace till::script
