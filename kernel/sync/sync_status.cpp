#include "sync/sync_status.hpp"

namespace till::sync {

sdk::Value SyncStatus::to_value() const {
    sdk::Value v = sdk::Value::map();
    v.set("enabled", enabled);
    v.set("transport", transport);
    v.set("state", state);
    v.set("queue_depth", queue_depth);
    v.set("oldest_unsent_age_ms", oldest_unsent_age_ms);
    v.set("last_push_utc_ms", last_push_utc_ms);
    v.set("last_pull_utc_ms", last_pull_utc_ms);
    v.set("pull_revision", pull_revision);
    v.set("last_sequence", last_sequence);
    v.set("acknowledged_sequence", acknowledged_sequence);
    v.set("last_error", last_error);
    v.set("next_attempt_utc_ms", next_attempt_utc_ms);
    v.set("pushed_total", pushed_total);
    v.set("pulled_total", pulled_total);
    v.set("skipped_total", skipped_total);
    return v;
}

}  // namespace till::sync
