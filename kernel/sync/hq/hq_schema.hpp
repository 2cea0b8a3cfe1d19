// The HQ side's tables, migration module "sync.hq" (SQLite and PostgreSQL):
//
//   sync_hq_revision       one row (id 1): the newest master-data revision; its
//                          row lock orders revisions in commit order
//   sync_hq_changes        the change feed: revision, type, entity_id, payload
//   sync_hq_tokens         token_sha256 (PK), store_id, issued/revoked times
//   sync_hq_stores         every store HQ knows and what it last sent/pulled
//   sync_hq_events         every event received, once (event_id PK,
//                          unique (store_id, sequence))
//   sync_hq_orders, sync_hq_register_sessions, sync_hq_cash_movements,
//   sync_hq_z_reports, sync_hq_stock_movements, sync_hq_stock_levels
//                          projections of the events for reports
#pragma once

#include <string>
#include <vector>

#include "till/sdk/storage.hpp"

namespace till::sync::hq {

inline constexpr const char* kHqMigrationModule = "sync.hq";

const std::vector<sdk::Migration>& hq_migrations();

/// Applies the "sync.hq" migrations to `storage`.
sdk::Status apply_hq_migrations(sdk::Storage& storage);

}  // namespace till::sync::hq
