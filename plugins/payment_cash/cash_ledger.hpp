// payment_cash's memory of every request key it answered (its own table,
// payment_cash_requests), so the same key always gets the same answer:
// cash has no provider to ask, this table is the provider.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <till/sdk/storage.hpp>

namespace till::payment_cash {

struct CashEntry {
    std::string idempotency_key;
    std::string operation;       ///< "sale" | "refund" | "void"
    std::string order_id;
    std::int64_t amount_minor = 0;
    std::string currency;
    std::string reference;       ///< "cash:<idempotency_key>"
    std::string original_reference;
    std::int64_t created_utc_ms = 0;
};

/// The plugin's migrations (module "payment_cash").
till::sdk::Migration cash_migration();

class CashLedger {
public:
    explicit CashLedger(till::sdk::Storage& storage) : storage_(storage) {}
    /// Records `entry` unless its key is known; returns the stored entry
    /// (the earlier one for a known key) and whether it was new.
    till::sdk::Result<std::pair<CashEntry, bool>> remember(const CashEntry& entry);
    till::sdk::Result<std::optional<CashEntry>> find(const std::string& idempotency_key);

private:
    till::sdk::Storage& storage_;
};

}  // namespace till::payment_cash
