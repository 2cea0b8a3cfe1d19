#include "sync/outbox.hpp"

#include "storage/migrations.hpp"

namespace till::sync {
namespace {

using sdk::Value;

constexpr std::size_t kIdsPerStatement = 100;

std::int64_t int_at(const std::vector<Value>& row, std::size_t i) { return row.at(i).as_int(0); }

}  // namespace

const std::vector<sdk::Migration>& store_sync_migrations() {
    static const std::vector<sdk::Migration> migrations = {
        {1, "sync outbox and state",
         "CREATE TABLE sync_state ("
         " id INTEGER PRIMARY KEY CHECK (id = 1),"
         " last_sequence BIGINT NOT NULL,"
         " hlc_wall_ms BIGINT NOT NULL,"
         " hlc_counter BIGINT NOT NULL,"
         " pull_revision BIGINT NOT NULL,"
         " last_push_utc_ms BIGINT NOT NULL,"
         " last_pull_utc_ms BIGINT NOT NULL);"
         "INSERT INTO sync_state (id, last_sequence, hlc_wall_ms, hlc_counter, pull_revision, last_push_utc_ms,"
         " last_pull_utc_ms) VALUES (1, 0, 0, 0, 0, 0, 0);"
         "CREATE TABLE sync_outbox ("
         " sequence BIGINT PRIMARY KEY,"
         " event_id TEXT NOT NULL UNIQUE,"
         " type TEXT NOT NULL,"
         " entity_id TEXT NOT NULL,"
         " hlc TEXT NOT NULL,"
         " created_utc_ms BIGINT NOT NULL,"
         " payload TEXT NOT NULL,"
         " high_priority INTEGER NOT NULL,"
         " acked_utc_ms BIGINT);"
         "CREATE INDEX sync_outbox_unacked ON sync_outbox (sequence) WHERE acked_utc_ms IS NULL;"
         "CREATE INDEX sync_outbox_acked ON sync_outbox (acked_utc_ms) WHERE acked_utc_ms IS NOT NULL",
         ""},
        // The queue depth kept as a counter: status reads it in O(1) instead
        // of counting every unsent row after each push.
        {2, "sync outbox unacked counter",
         "ALTER TABLE sync_state ADD COLUMN unacked_count BIGINT NOT NULL DEFAULT 0;"
         "UPDATE sync_state SET unacked_count = (SELECT COUNT(*) FROM sync_outbox WHERE acked_utc_ms IS NULL)",
         ""},
    };
    return migrations;
}

sdk::Status migrate_store_sync(sdk::Storage& storage) {
    return storage::apply_migrations(storage, "sync", store_sync_migrations());
}

Value OutboxEvent::to_wire(const std::string& node_id) const {
    Value event = Value::map();
    event.set("event_id", event_id);
    event.set("node_id", node_id);
    event.set("sequence", sequence);
    event.set("hlc", hlc);
    event.set("type", type);
    event.set("entity_id", entity_id);
    event.set("created_utc_ms", created_utc_ms);
    event.set("payload", payload);
    return event;
}

sdk::Result<SyncState> read_sync_state(sdk::SqlExecutor& db) {
    auto rows = db.query(
        "SELECT last_sequence, hlc_wall_ms, hlc_counter, pull_revision, last_push_utc_ms, last_pull_utc_ms"
        " FROM sync_state WHERE id = 1");
    if (!rows) return rows.error();
    if (rows->rows.empty()) return sdk::Error{"storage_error", "sync_state has no row (migrations not applied?)"};
    const auto& r = rows->rows.front();
    SyncState state;
    state.last_sequence = int_at(r, 0);
    state.hlc = {int_at(r, 1), int_at(r, 2)};
    state.pull_revision = int_at(r, 3);
    state.last_push_utc_ms = int_at(r, 4);
    state.last_pull_utc_ms = int_at(r, 5);
    return state;
}

sdk::Result<OutboxEvent> outbox_append(sdk::SqlExecutor& tx, const domain::ReplicatedChange& change,
                                       const std::string& node_id, const std::string& event_id,
                                       std::int64_t now_utc_ms) {
    // The UPDATE first: it takes the row lock (PostgreSQL) or the write lock
    // (SQLite) before we read, so two writers cannot take the same sequence.
    if (auto bumped = tx.execute("UPDATE sync_state SET last_sequence = last_sequence + 1, unacked_count = unacked_count + 1 WHERE id = 1");
        !bumped.ok())
        return bumped.error();
    auto state = read_sync_state(tx);
    if (!state) return state.error();
    const HlcStamp stamp = hlc_next(state->hlc, now_utc_ms);
    if (auto saved = tx.execute("UPDATE sync_state SET hlc_wall_ms = ?, hlc_counter = ? WHERE id = 1",
                                {Value(stamp.wall_ms), Value(stamp.counter)});
        !saved.ok())
        return saved.error();

    OutboxEvent event;
    event.sequence = state->last_sequence;
    event.event_id = event_id;
    event.type = change.type;
    event.entity_id = change.entity_id;
    event.hlc = format_hlc_stamp(stamp, node_id);
    event.created_utc_ms = now_utc_ms;
    event.payload = change.payload;
    event.high_priority = change.high_priority;
    auto inserted = tx.execute(
        "INSERT INTO sync_outbox (sequence, event_id, type, entity_id, hlc, created_utc_ms, payload, high_priority)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        {Value(event.sequence), Value(event.event_id), Value(event.type), Value(event.entity_id), Value(event.hlc),
         Value(event.created_utc_ms), Value(event.payload.to_json()), Value(event.high_priority ? 1 : 0)});
    if (!inserted) return inserted.error();
    return event;
}

sdk::Result<std::vector<OutboxEvent>> outbox_pending(sdk::SqlExecutor& db, std::int64_t limit) {
    auto rows = db.query(
        "SELECT sequence, event_id, type, entity_id, hlc, created_utc_ms, payload, high_priority"
        " FROM sync_outbox WHERE acked_utc_ms IS NULL ORDER BY sequence LIMIT ?",
        {Value(limit)});
    if (!rows) return rows.error();
    std::vector<OutboxEvent> events;
    events.reserve(rows->rows.size());
    for (const auto& r : rows->rows) {
        OutboxEvent e;
        e.sequence = int_at(r, 0);
        e.event_id = r.at(1).as_string();
        e.type = r.at(2).as_string();
        e.entity_id = r.at(3).as_string();
        e.hlc = r.at(4).as_string();
        e.created_utc_ms = int_at(r, 5);
        auto payload = Value::parse_json(r.at(6).as_string());
        if (!payload)
            return sdk::Error{"storage_error", "sync_outbox row " + std::to_string(e.sequence) +
                                                   " has a payload that is not JSON: " + payload.error().message};
        e.payload = std::move(*payload);
        e.high_priority = int_at(r, 7) != 0;
        events.push_back(std::move(e));
    }
    return events;
}

sdk::Result<std::int64_t> outbox_mark_acked(sdk::SqlExecutor& tx, const std::vector<std::string>& event_ids,
                                            std::int64_t now_utc_ms) {
    std::int64_t changed = 0;
    for (std::size_t start = 0; start < event_ids.size(); start += kIdsPerStatement) {
        const std::size_t end = std::min(event_ids.size(), start + kIdsPerStatement);
        std::string sql = "UPDATE sync_outbox SET acked_utc_ms = ? WHERE acked_utc_ms IS NULL AND event_id IN (";
        std::vector<Value> params{Value(now_utc_ms)};
        for (std::size_t i = start; i < end; ++i) {
            sql += i == start ? "?" : ", ?";
            params.emplace_back(event_ids[i]);
        }
        sql += ")";
        auto n = tx.execute(sql, params);
        if (!n) return n.error();
        changed += *n;
    }
    if (changed > 0) {
        auto counted = tx.execute("UPDATE sync_state SET unacked_count = unacked_count - ? WHERE id = 1",
                                  {Value(changed)});
        if (!counted) return counted.error();
    }
    return changed;
}

sdk::Result<std::int64_t> outbox_prune(sdk::SqlExecutor& tx, std::int64_t before_utc_ms) {
    return tx.execute("DELETE FROM sync_outbox WHERE acked_utc_ms IS NOT NULL AND acked_utc_ms < ?",
                      {Value(before_utc_ms)});
}

sdk::Status write_last_push(sdk::SqlExecutor& tx, std::int64_t now_utc_ms) {
    return tx.execute("UPDATE sync_state SET last_push_utc_ms = ? WHERE id = 1", {Value(now_utc_ms)}).status();
}

sdk::Status write_pull_cursor(sdk::SqlExecutor& tx, std::int64_t revision, std::int64_t now_utc_ms) {
    return tx
        .execute("UPDATE sync_state SET pull_revision = ?, last_pull_utc_ms = ? WHERE id = 1",
                 {Value(revision), Value(now_utc_ms)})
        .status();
}

sdk::Result<OutboxStats> outbox_stats(sdk::SqlExecutor& db) {
    auto state = read_sync_state(db);
    if (!state) return state.error();
    // The head of the queue through the partial index, and the kept counter:
    // no scan of the unsent rows, however many there are.
    auto counter = db.query("SELECT unacked_count FROM sync_state WHERE id = 1");
    if (!counter) return counter.error();
    auto head = db.query(
        "SELECT sequence, created_utc_ms FROM sync_outbox WHERE acked_utc_ms IS NULL ORDER BY sequence LIMIT 1");
    if (!head) return head.error();
    OutboxStats stats;
    stats.last_sequence = state->last_sequence;
    stats.queue_depth = counter->rows.empty() ? 0 : int_at(counter->rows.front(), 0);
    if (!head->rows.empty()) {
        const auto& r = head->rows.front();
        stats.oldest_unsent_utc_ms = int_at(r, 1);
        stats.acknowledged_sequence = int_at(r, 0) - 1;
    } else {
        stats.acknowledged_sequence = state->last_sequence;
    }
    return stats;
}

}  // namespace till::sync
