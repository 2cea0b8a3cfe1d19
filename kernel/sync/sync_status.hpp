// What the store's sync engine reports: GET /api/v1/sync/status, the event
// `sync.status`, `tillctl sync status` (docs/sync.md, "Status").
#pragma once

#include <cstdint>
#include <string>

#include "till/sdk/value.hpp"

namespace till::sync {

namespace sync_state_name {
inline constexpr const char* disabled = "disabled";          ///< sync.enabled is false
inline constexpr const char* connected = "connected";        ///< the last push/pull reached HQ and succeeded
inline constexpr const char* offline = "offline";            ///< HQ unreachable (or no transport): waiting to retry
inline constexpr const char* backing_off = "backing_off";    ///< HQ refused or failed a batch: waiting to retry
inline constexpr const char* unauthorised = "unauthorised";  ///< the sync token is unknown or revoked
}  // namespace sync_state_name

struct SyncStatus {
    bool enabled = false;
    std::string transport;  ///< config sync.transport
    std::string state = sync_state_name::disabled;
    std::int64_t queue_depth = 0;           ///< events not yet acknowledged by HQ
    std::int64_t oldest_unsent_age_ms = 0;  ///< age of the oldest of them (0 when none)
    std::int64_t last_push_utc_ms = 0;      ///< last successful push (0: never)
    std::int64_t last_pull_utc_ms = 0;      ///< last successful pull (0: never)
    std::int64_t pull_revision = 0;         ///< master-data cursor: newest revision applied
    std::int64_t last_sequence = 0;         ///< newest event sequence written here
    std::int64_t acknowledged_sequence = 0; ///< every event 1..S acknowledged by HQ
    std::string last_error;                 ///< "" when the last attempts succeeded
    std::int64_t next_attempt_utc_ms = 0;   ///< when the engine tries next (0: not running)
    std::int64_t pushed_total = 0;          ///< events acknowledged since the engine started
    std::int64_t pulled_total = 0;          ///< changes applied since the engine started
    std::int64_t skipped_total = 0;         ///< pulled changes of a type no module applies

    sdk::Value to_value() const;
};

}  // namespace till::sync
