// Accepted suggestions, kept for HQ's conversion reports: table
// upsell_acceptances of migrations module "domain.upsell" (SQLite and
// PostgreSQL; times are BIGINT UTC milliseconds, ids UUIDv7 text).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "till/sdk/status.hpp"
#include "till/sdk/storage.hpp"
#include "till/sdk/value.hpp"

namespace till::domain::upsell {

struct Acceptance {
    std::string acceptance_id;
    std::string order_id;
    std::string sku;
    std::string rule;           ///< the file that suggested it: "scripts/cafe/upsell/combo.lua"
    std::string rules_version;  ///< the rules version running when accepted ("" = none)
    std::string user_id;
    std::string terminal_id;
    std::int64_t accepted_utc_ms = 0;

    sdk::Value to_value() const;
};

const std::vector<sdk::Migration>& acceptance_migrations();

sdk::Status insert_acceptance(sdk::SqlExecutor& tx, const Acceptance& a);
/// The acceptances of one order, oldest first.
sdk::Result<std::vector<Acceptance>> acceptances_of(sdk::SqlExecutor& db, const std::string& order_id);

}  // namespace till::domain::upsell
