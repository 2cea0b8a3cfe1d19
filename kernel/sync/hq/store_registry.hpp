// HQ's list of stores and what each last sent (table sync_hq_stores): first
// and last push, last batch id, events received, acknowledged sequence (the
// highest S such that HQ holds every event 1..S of the store), last pull and
// the revision it pulled from.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "till/sdk/status.hpp"
#include "till/sdk/storage.hpp"
#include "till/sdk/value.hpp"

namespace till::sync::hq {

struct StoreInfo {
    std::string store_id;
    std::int64_t registered_utc_ms = 0;
    std::optional<std::int64_t> first_push_utc_ms;
    std::optional<std::int64_t> last_push_utc_ms;
    std::string last_batch_id;
    std::int64_t events_received = 0;
    std::int64_t acknowledged_sequence = 0;
    std::optional<std::int64_t> last_pull_utc_ms;
    std::int64_t pull_revision = 0;
    std::int64_t live_tokens = 0;
};

/// As the API and `tillctl hq stores --json` show it.
sdk::Value store_to_value(const StoreInfo& store);

namespace store_registry {

/// Registers a push of `batch_id` by `store_id` and takes the store row's
/// lock until `tx` ends (pushes of one store apply one after the other, on
/// any HQ node). Returns the store's acknowledged sequence before the push.
sdk::Result<std::int64_t> begin_push(sdk::SqlExecutor& tx, const std::string& store_id, const std::string& batch_id,
                                     std::int64_t now_utc_ms);

/// Moves the acknowledged sequence past every contiguous held sequence
/// after `from`, adds `new_events` to events_received; returns the new value.
sdk::Result<std::int64_t> finish_push(sdk::SqlExecutor& tx, const std::string& store_id, std::int64_t from,
                                      std::int64_t new_events);

/// Records a pull from `since_revision` (the store holds everything up to it).
sdk::Status record_pull(sdk::SqlExecutor& db, const std::string& store_id, std::int64_t since_revision,
                        std::int64_t now_utc_ms);

sdk::Result<std::int64_t> acknowledged_sequence(sdk::SqlExecutor& db, const std::string& store_id);

/// Every store, by id.
sdk::Result<std::vector<StoreInfo>> list(sdk::SqlExecutor& db);

}  // namespace store_registry
}  // namespace till::sync::hq
