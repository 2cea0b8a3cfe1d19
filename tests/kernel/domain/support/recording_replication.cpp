#include "recording_replication.hpp"

#include <stdexcept>

namespace till::test {

RecordingReplication::RecordingReplication(sdk::Storage& storage) : storage_(storage) {
    const bool pg = storage.dialect() == sdk::Dialect::postgresql;
    const std::string sql = std::string("CREATE TABLE IF NOT EXISTS test_replication_log (seq ") +
                            (pg ? "BIGSERIAL PRIMARY KEY" : "INTEGER PRIMARY KEY AUTOINCREMENT") +
                            ", type TEXT NOT NULL, entity_id TEXT NOT NULL, payload TEXT NOT NULL, "
                            "high_priority INTEGER NOT NULL)";
    auto made = storage.execute(sql);
    if (!made) throw std::runtime_error("test_replication_log: " + made.error().message);
}

sdk::Status RecordingReplication::append(sdk::SqlExecutor& tx, const domain::ReplicatedChange& change) {
    {
        std::lock_guard lock(mutex_);
        if (failing_type_ && (failing_type_->empty() || *failing_type_ == change.type)) {
            ++refused_;
            return sdk::Status::failure("storage_error", "replication log: cannot append the " + change.type +
                                                             " change of " + change.entity_id + " (test: disk full)");
        }
    }
    auto done = tx.execute(
        "INSERT INTO test_replication_log (type, entity_id, payload, high_priority) VALUES (?, ?, ?, ?)",
        {change.type, change.entity_id, change.payload.to_json(), change.high_priority ? 1 : 0});
    if (!done) return done.status();
    return {};
}

sdk::Status RecordingReplication::may_edit_master_data(std::string_view type) const {
    std::lock_guard lock(mutex_);
    if (refused_master_ && (refused_master_->empty() || *refused_master_ == type))
        return sdk::Status::failure("forbidden", "master data (" + std::string(type) +
                                                     ") is managed at HQ on this store (test)");
    return {};
}

void RecordingReplication::committed_high_priority() { ++wakeups_; }

void RecordingReplication::fail_appends(std::string type) {
    std::lock_guard lock(mutex_);
    failing_type_ = std::move(type);
}

void RecordingReplication::succeed_appends() {
    std::lock_guard lock(mutex_);
    failing_type_.reset();
}

void RecordingReplication::refuse_master_data(std::string type) {
    std::lock_guard lock(mutex_);
    refused_master_ = std::move(type);
}

void RecordingReplication::allow_master_data() {
    std::lock_guard lock(mutex_);
    refused_master_.reset();
}

std::vector<domain::ReplicatedChange> RecordingReplication::committed(std::string_view type) const {
    auto rows = type.empty()
                    ? storage_.query("SELECT type, entity_id, payload, high_priority FROM test_replication_log "
                                     "ORDER BY seq")
                    : storage_.query("SELECT type, entity_id, payload, high_priority FROM test_replication_log "
                                     "WHERE type = ? ORDER BY seq",
                                     {std::string(type)});
    if (!rows) throw std::runtime_error("test_replication_log: " + rows.error().message);
    std::vector<domain::ReplicatedChange> out;
    for (const auto& r : rows->rows) {
        domain::ReplicatedChange c;
        c.type = r[0].as_string();
        c.entity_id = r[1].as_string();
        auto payload = sdk::Value::parse_json(r[2].as_string());
        if (!payload) throw std::runtime_error("test_replication_log: bad payload: " + payload.error().message);
        c.payload = std::move(payload.value());
        c.high_priority = r[3].as_int() != 0;
        out.push_back(std::move(c));
    }
    return out;
}

}  // namespace till::test
