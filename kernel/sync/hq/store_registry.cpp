#include "sync/hq/store_registry.hpp"

namespace till::sync::hq {

namespace {

std::optional<std::int64_t> opt_int(const sdk::Value& v) {
    if (v.is_int()) return v.as_int();
    return std::nullopt;
}

sdk::Value opt_value(const std::optional<std::int64_t>& v) { return v ? sdk::Value(*v) : sdk::Value(); }

constexpr std::int64_t kGapScanPage = 10000;

}  // namespace

sdk::Value store_to_value(const StoreInfo& s) {
    sdk::Value v = sdk::Value::map();
    v.set("store_id", s.store_id);
    v.set("registered_utc_ms", s.registered_utc_ms);
    v.set("first_push_utc_ms", opt_value(s.first_push_utc_ms));
    v.set("last_push_utc_ms", opt_value(s.last_push_utc_ms));
    v.set("last_batch_id", s.last_batch_id.empty() ? sdk::Value() : sdk::Value(s.last_batch_id));
    v.set("events_received", s.events_received);
    v.set("acknowledged_sequence", s.acknowledged_sequence);
    v.set("last_pull_utc_ms", opt_value(s.last_pull_utc_ms));
    v.set("pull_revision", s.pull_revision);
    v.set("live_tokens", s.live_tokens);
    return v;
}

namespace store_registry {

sdk::Result<std::int64_t> begin_push(sdk::SqlExecutor& tx, const std::string& store_id, const std::string& batch_id,
                                     std::int64_t now) {
    // The upsert writes the row, so it holds the row lock until tx ends.
    auto up = tx.execute(
        "INSERT INTO sync_hq_stores (store_id, registered_utc_ms, first_push_utc_ms, last_push_utc_ms, last_batch_id) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT (store_id) DO UPDATE SET last_push_utc_ms = excluded.last_push_utc_ms, "
        "last_batch_id = excluded.last_batch_id, "
        "first_push_utc_ms = COALESCE(sync_hq_stores.first_push_utc_ms, excluded.first_push_utc_ms)",
        {store_id, now, now, now, batch_id});
    if (!up) return up.error();
    return acknowledged_sequence(tx, store_id);
}

sdk::Result<std::int64_t> finish_push(sdk::SqlExecutor& tx, const std::string& store_id, std::int64_t from,
                                      std::int64_t new_events) {
    std::int64_t ack = from;
    for (;;) {
        auto rows = tx.query(
            "SELECT sequence FROM sync_hq_events WHERE store_id = ? AND sequence > ? ORDER BY sequence LIMIT ?",
            {store_id, ack, kGapScanPage});
        if (!rows) return rows.error();
        bool gap = false;
        for (const auto& r : rows->rows) {
            if (r.at(0).as_int() != ack + 1) {
                gap = true;
                break;
            }
            ++ack;
        }
        if (gap || static_cast<std::int64_t>(rows->rows.size()) < kGapScanPage) break;
    }
    auto up = tx.execute(
        "UPDATE sync_hq_stores SET acknowledged_sequence = ?, events_received = events_received + ? WHERE store_id = ?",
        {ack, new_events, store_id});
    if (!up) return up.error();
    return ack;
}

sdk::Status record_pull(sdk::SqlExecutor& db, const std::string& store_id, std::int64_t since, std::int64_t now) {
    auto up = db.execute(
        "INSERT INTO sync_hq_stores (store_id, registered_utc_ms, last_pull_utc_ms, pull_revision) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (store_id) DO UPDATE SET last_pull_utc_ms = excluded.last_pull_utc_ms, "
        "pull_revision = excluded.pull_revision",
        {store_id, now, now, since});
    return up.status();
}

sdk::Result<std::int64_t> acknowledged_sequence(sdk::SqlExecutor& db, const std::string& store_id) {
    auto rows = db.query("SELECT acknowledged_sequence FROM sync_hq_stores WHERE store_id = ?", {store_id});
    if (!rows) return rows.error();
    if (rows->rows.empty()) return std::int64_t{0};
    return rows->rows[0].at(0).as_int();
}

sdk::Result<std::vector<StoreInfo>> list(sdk::SqlExecutor& db) {
    auto rows = db.query(
        "SELECT s.store_id, s.registered_utc_ms, s.first_push_utc_ms, s.last_push_utc_ms, s.last_batch_id, "
        "s.events_received, s.acknowledged_sequence, s.last_pull_utc_ms, s.pull_revision, "
        "(SELECT COUNT(*) FROM sync_hq_tokens t WHERE t.store_id = s.store_id AND t.revoked_utc_ms IS NULL) "
        "FROM sync_hq_stores s ORDER BY s.store_id");
    if (!rows) return rows.error();
    std::vector<StoreInfo> out;
    for (const auto& r : rows->rows) {
        StoreInfo s;
        s.store_id = r.at(0).as_string();
        s.registered_utc_ms = r.at(1).as_int();
        s.first_push_utc_ms = opt_int(r.at(2));
        s.last_push_utc_ms = opt_int(r.at(3));
        s.last_batch_id = r.at(4).as_string();
        s.events_received = r.at(5).as_int();
        s.acknowledged_sequence = r.at(6).as_int();
        s.last_pull_utc_ms = opt_int(r.at(7));
        s.pull_revision = r.at(8).as_int();
        s.live_tokens = r.at(9).as_int();
        out.push_back(std::move(s));
    }
    return out;
}

}  // namespace store_registry
}  // namespace till::sync::hq
