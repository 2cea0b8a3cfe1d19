// What an HQ node's sync hub is configured with: the HQ keys of the `sync:`
// section (kernel/config/kernel_schema.cpp) plus how often the revision
// listener looks at the database.
#pragma once

#include <cstdint>

#include "till/sdk/value.hpp"

namespace till::sync::hq {

struct HqSettings {
    std::int64_t max_batch_events = 5000;   ///< sync.hq_max_batch_events: more → batch rejected
    std::int64_t max_pull_changes = 1000;   ///< sync.hq_max_pull_changes: most changes per pull answer
    /// How often the revision listener checks the newest revision itself
    /// (SQLite: the only way it learns of one; PostgreSQL: a safety net
    /// behind LISTEN/NOTIFY, and how long a stop may take at most).
    std::int64_t revision_poll_ms = 250;
    /// PostgreSQL: first wait before reconnecting the LISTEN connection,
    /// doubling up to reconnect_max_ms.
    std::int64_t reconnect_initial_ms = 200;
    std::int64_t reconnect_max_ms = 10000;
};

/// Reads the validated `sync:` section (NodeConfig's, defaults applied);
/// missing keys keep the defaults above.
HqSettings hq_settings_from(const sdk::Value& sync_section);

}  // namespace till::sync::hq
