// Sync wire format version 1 (docs/sync.md): the batch a store pushes and the
// answers HQ gives. Only the envelope is checked here; each event's fields are
// checked by the kernel's SyncHub, which names the JSON path of a bad one.
#pragma once

#include <cstdint>
#include <string>

#include "till/sdk/status.hpp"
#include "till/sdk/sync_hub.hpp"
#include "till/sdk/sync_transport.hpp"
#include "till/sdk/value.hpp"

namespace till::hq_sync {

inline constexpr std::int64_t kWireSchema = 1;

/// A batch envelope that failed its checks: `json_path` names the field
/// ("$.schema", "$.events[3]").
struct WireError {
    std::string json_path;
    std::string detail;
};

/// Turns a parsed batch document into a SyncBatch: a map with "schema" == 1,
/// a non-empty string "batch_id" and "node_id", and "events" a list of maps.
/// Unknown top-level members are ignored (a later minor revision may add some).
sdk::Result<sdk::SyncBatch> batch_from_json(const sdk::Value& doc, WireError& error);

/// {"acknowledged_event_ids": [...], "applied": n, "duplicates": m, "acknowledged_sequence": S}
sdk::Value push_answer(const sdk::HubApplyResult& result);

/// {"schema": 1, "revision": R, "more": b, "acknowledged_sequence": S, "changes": [...]}
sdk::Value pull_answer(const sdk::PullResult& result, std::int64_t acknowledged_sequence);

/// {"type": "revision", "revision": N} — the text of a notify frame.
std::string revision_message(std::int64_t revision);

}  // namespace till::hq_sync
