#include "sync/hq/change_feed.hpp"

#include <algorithm>
#include <string>

namespace till::sync::hq {

ChangeFeed::ChangeFeed(sdk::Storage& storage, const sdk::Clock& clock) : storage_(storage), clock_(clock) {}

sdk::Result<std::int64_t> ChangeFeed::append(sdk::SqlExecutor& tx, const domain::ReplicatedChange& change) {
    // The UPDATE takes the counter row's lock until the caller's transaction
    // ends: the next appender waits here, and reads the committed value.
    auto bumped = tx.execute("UPDATE sync_hq_revision SET revision = revision + 1 WHERE id = 1");
    if (!bumped) return bumped.error();
    if (*bumped != 1)
        return sdk::Error{"storage_error", "sync_hq_revision is missing its row: the change feed cannot be appended"};
    auto read = tx.query("SELECT revision FROM sync_hq_revision WHERE id = 1");
    if (!read) return read.error();
    if (read->rows.empty() || !read->rows[0].at(0).is_int())
        return sdk::Error{"storage_error", "sync_hq_revision holds no revision"};
    const std::int64_t revision = read->rows[0][0].as_int();

    const sdk::Value& payload = change.payload.is_null() ? sdk::Value::map() : change.payload;
    auto inserted = tx.execute(
        "INSERT INTO sync_hq_changes (revision, type, entity_id, payload, created_utc_ms) VALUES (?, ?, ?, ?, ?)",
        {revision, change.type, change.entity_id, payload.to_json(), clock_.now_utc_ms()});
    if (!inserted) return inserted.error();

    if (storage_.dialect() == sdk::Dialect::postgresql) {
        // NOTIFY takes no parameters; the payload is our own integer.
        auto notified = tx.execute("NOTIFY " + std::string(kNotifyChannel) + ", '" + std::to_string(revision) + "'");
        if (!notified) return notified.error();
    }
    return revision;
}

sdk::Result<ChangePage> ChangeFeed::changes_since(std::int64_t since_revision, std::int64_t limit) {
    return changes_since(storage_, since_revision, limit);
}

sdk::Result<ChangePage> ChangeFeed::changes_since(sdk::SqlExecutor& tx, std::int64_t since_revision,
                                                  std::int64_t limit) {
    limit = std::clamp<std::int64_t>(limit, 1, 100000);
    if (since_revision < 0) since_revision = 0;
    auto rows = tx.query(
        "SELECT revision, type, entity_id, payload, created_utc_ms FROM sync_hq_changes WHERE revision > ? "
        "ORDER BY revision LIMIT ?",
        {since_revision, limit + 1});
    if (!rows) return rows.error();
    ChangePage page;
    page.revision = since_revision;
    for (const auto& row : rows->rows) {
        if (static_cast<std::int64_t>(page.changes.size()) == limit) {
            page.more = true;
            break;
        }
        sdk::Value change = sdk::Value::map();
        change.set("revision", row.at(0).as_int());
        change.set("type", row.at(1).as_string());
        change.set("entity_id", row.at(2).as_string());
        auto payload = sdk::Value::parse_json(row.at(3).as_string());
        if (!payload)
            return sdk::Error{"storage_error", "sync_hq_changes revision " + std::to_string(row.at(0).as_int()) +
                                                   ": payload is not valid JSON: " + payload.error().message};
        change.set("payload", std::move(payload.value()));
        change.set("created_utc_ms", row.at(4).as_int());
        page.revision = row.at(0).as_int();
        page.changes.push_back(std::move(change));
    }
    return page;
}

sdk::Result<std::int64_t> ChangeFeed::current_revision() {
    auto read = storage_.query("SELECT revision FROM sync_hq_revision WHERE id = 1");
    if (!read) return read.error();
    if (read->rows.empty()) return std::int64_t{0};
    return read->rows[0].at(0).as_int();
}

}  // namespace till::sync::hq
