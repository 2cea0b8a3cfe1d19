// Checks a whole batch from a store before anything of it is applied
// (wire format version 1, docs/sync.md): batch fields, every event's fields
// and the payload fields HQ's projections read. The first problem found is
// returned with its JSON path, e.g. "events[3].sequence: expected a positive
// integer". Pure functions, no storage.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "till/sdk/status.hpp"
#include "till/sdk/sync_transport.hpp"
#include "till/sdk/value.hpp"

namespace till::sync::hq {

/// One event of a batch, its fields checked and extracted.
struct IncomingEvent {
    std::size_t index = 0;  ///< position in the batch (for messages)
    std::string event_id;
    std::string node_id;
    std::int64_t sequence = 0;
    std::string hlc;
    std::string type;
    std::string entity_id;
    std::int64_t created_utc_ms = 0;
    sdk::Value payload;  ///< a map
};

/// Why validation refused a batch (the hq_sync plugin maps it to HTTP).
enum class BatchProblem { invalid, wrong_store, too_large };

struct BatchRejection {
    BatchProblem problem = BatchProblem::invalid;
    std::string message;
};

/// Kinds a store may send (upstream ones and customer); master-data kinds
/// are refused, unknown kinds are accepted and only recorded (a newer store).
bool is_upstream_type(const std::string& type) noexcept;
bool is_master_type(const std::string& type) noexcept;

/// True for "<15 digits>-<5 digits>-<node_id>" (script::format_hlc's format).
bool is_valid_hlc(const std::string& hlc, const std::string& node_id) noexcept;

struct ValidatedBatch {
    std::vector<IncomingEvent> events;  ///< in the batch's order
};

/// Validates `batch` sent by `store_id`. `max_events` is hq_max_batch_events.
/// Errors: BatchRejection (code in `problem`). Within one batch the same
/// event may appear twice (treated as a duplicate), but one sequence may
/// not carry two different event ids.
struct ValidationOutcome {
    bool ok = false;
    ValidatedBatch batch;
    BatchRejection rejection;
};
ValidationOutcome validate_batch(const std::string& store_id, const sdk::SyncBatch& batch, std::int64_t max_events);

/// The total of an order payload: "totals.total_minor" (the orders API) or
/// "total_minor" at the top; same for tax_minor and discount_minor.
/// Returns nullptr when absent.
const sdk::Value* order_amount(const sdk::Value& payload, const char* field) noexcept;

}  // namespace till::sync::hq
