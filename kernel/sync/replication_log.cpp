#include "sync/replication_log.hpp"

#include <optional>

#include "domain/common/body_reader.hpp"
#include "sync/directions.hpp"
#include "sync/outbox.hpp"

namespace till::sync {
namespace {

/// "payload.lines[0].note: is not valid UTF-8 text" for the first string or
/// member name HQ would refuse (batch_validation), else nullopt.
std::optional<std::string> unsendable_text(const sdk::Value& v, const std::string& path) {
    if (v.is_string()) {
        if (auto bad = domain::check_text(v.as_string())) return path + ": " + *bad;
        return std::nullopt;
    }
    if (v.is_list()) {
        const auto& items = v.as_list();
        for (std::size_t i = 0; i < items.size(); ++i)
            if (auto bad = unsendable_text(items[i], path + "[" + std::to_string(i) + "]")) return bad;
    } else if (v.is_map()) {
        for (const auto& [key, item] : v.as_map()) {
            if (auto bad = domain::check_text(key)) return path + " (a member name): " + *bad;
            if (auto bad = unsendable_text(item, path + "." + key)) return bad;
        }
    }
    return std::nullopt;
}

}  // namespace

ReplicationSettings replication_settings_from(const sdk::Value& sync_section, sdk::NodeRole role,
                                              std::string node_id) {
    ReplicationSettings s;
    s.role = role;
    s.node_id = std::move(node_id);
    s.sync_enabled = sync_section["enabled"].as_bool(false);
    s.allow_local_master_data = sync_section["allow_local_master_data"].as_bool(false);
    return s;
}

SyncReplicationLog::SyncReplicationLog(ReplicationSettings settings, const sdk::Clock& clock, FeedAppend feed)
    : settings_(std::move(settings)), clock_(clock), feed_(std::move(feed)), ids_(clock) {}

SyncReplicationLog::~SyncReplicationLog() = default;

sdk::Status SyncReplicationLog::start(sdk::Storage& storage) {
    if (settings_.role == sdk::NodeRole::hq) return {};
    return migrate_store_sync(storage);
}

sdk::Status SyncReplicationLog::append(sdk::SqlExecutor& tx, const domain::ReplicatedChange& change) {
    const Direction direction = direction_of(change.type);
    if (direction == Direction::unknown)
        return sdk::Status::failure("invalid_argument", "replication: unknown change type \"" + change.type + "\"");
    if (settings_.role == sdk::NodeRole::hq) {
        if (direction == Direction::up) return {};
        if (!feed_) return sdk::Status::failure("unavailable", "replication: HQ change feed is not set up");
        return feed_(tx, change);
    }
    if (direction == Direction::down) return {};
    // Text HQ refuses would block this store's whole queue behind it: the
    // change fails here instead, before anything is confirmed.
    if (auto bad = unsendable_text(change.payload, "payload"))
        return sdk::Status::failure("invalid_argument", "this " + change.type + " cannot be sent to HQ: " + *bad);
    if (auto bad = domain::check_text(change.entity_id))
        return sdk::Status::failure("invalid_argument", "this " + change.type + " cannot be sent to HQ: its id " + *bad);
    domain::ReplicatedChange stamped = change;
    stamped.high_priority = change.high_priority || is_high_priority_type(change.type);
    auto appended = outbox_append(tx, stamped, settings_.node_id, ids_.next(), clock_.now_utc_ms());
    return appended.status();
}

sdk::Status SyncReplicationLog::may_edit_master_data(std::string_view type) const {
    if (settings_.role == sdk::NodeRole::hq) return {};
    if (!settings_.sync_enabled || settings_.allow_local_master_data) return {};
    return sdk::Status::failure("forbidden", "master data (" + std::string(type) +
                                                 ") is managed at HQ on this store (sync.enabled); set "
                                                 "sync.allow_local_master_data to edit it here");
}

void SyncReplicationLog::committed_high_priority() {
    // Called under the lock so set_wake({}) returns only after a running
    // wake finished (the engine may go away right after).
    std::lock_guard lock(wake_mutex_);
    if (wake_) wake_();
}

void SyncReplicationLog::set_wake(std::function<void()> wake) {
    std::lock_guard lock(wake_mutex_);
    wake_ = std::move(wake);
}

}  // namespace till::sync
