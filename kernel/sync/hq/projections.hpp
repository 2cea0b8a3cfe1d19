// HQ's report tables built from the events stores send (sync_hq_orders,
// sync_hq_register_sessions, sync_hq_cash_movements, sync_hq_z_reports,
// sync_hq_stock_movements, sync_hq_stock_levels). Called once per batch with
// its new events (never a duplicate), inside the batch's transaction.
//
// Rows that change over time (an order, a session) keep the sequence of the
// event that wrote them and only take a later one, so batches applied out of
// order end in the same state. A row never moves between stores.
#pragma once

#include <string>
#include <vector>

#include "sync/hq/batch_validation.hpp"
#include "till/sdk/status.hpp"
#include "till/sdk/storage.hpp"

namespace till::sync::hq {

/// Projects `events` of `store_id` (the new events of one batch, in
/// sequence order) in a few multi-row statements per table. Kinds without a
/// projection (customer, transfer, unknown kinds) do nothing here. Fails only
/// on a storage fault.
sdk::Status project_events(sdk::SqlExecutor& tx, const std::string& store_id,
                           const std::vector<const IncomingEvent*>& events);

}  // namespace till::sync::hq
