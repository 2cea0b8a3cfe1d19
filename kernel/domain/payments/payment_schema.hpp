// The payments ledger's tables (module "domain.payments"), SQLite and
// PostgreSQL, and the guards that keep it append-only.
#pragma once

#include <vector>

#include "till/sdk/status.hpp"
#include "till/sdk/storage.hpp"

namespace till::domain::payments {

/// payments: one row per attempt (the request, written once);
/// payment_events: one row per state the attempt reached (append-only).
const std::vector<sdk::Migration>& payment_migrations();

/// Applies the migrations, then (SQLite) makes sure the triggers that refuse
/// UPDATE and DELETE on both tables exist. PostgreSQL gets its triggers from
/// the migration itself.
sdk::Status apply_payment_schema(sdk::Storage& storage);

}  // namespace till::domain::payments
