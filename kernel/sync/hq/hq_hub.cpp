#include "sync/hq/hq_hub.hpp"

#include <algorithm>
#include <atomic>
#include <thread>
#include <map>
#include <mutex>
#include <set>

#include "domain/common/replication.hpp"
#include "sync/directions.hpp"
#include "sync/hq/hq_schema.hpp"
#include "sync/hq/projections.hpp"
#include "sync/hq/revision_listener.hpp"

namespace till::sync::hq {

namespace {

namespace ct = domain::change_type;

sdk::HubApplyResult rejected(std::string message) {
    sdk::HubApplyResult r;
    r.status = sdk::TransportStatus::rejected;
    r.message = std::move(message);
    return r;
}

sdk::HubApplyResult failed(std::string message) {
    sdk::HubApplyResult r;
    r.status = sdk::TransportStatus::failed;
    r.message = std::move(message);
    return r;
}

}  // namespace

struct HqHub::Impl {
    HqHubParts parts;
    TokenStore tokens;
    std::unique_ptr<RevisionListener> listener;
    std::mutex handlers_mutex;
    std::map<std::string, RevisionHandler> handlers;
    // Held while handlers run, so removing a handler waits for a call in
    // flight (a plugin's on_stop may free what its handler uses).
    std::mutex dispatch_mutex;
    std::atomic<std::thread::id> dispatching{};

    explicit Impl(HqHubParts p) : parts(std::move(p)), tokens(parts.storage, parts.clock) {}

    void log(sdk::LogLevel level, const std::string& message) {
        if (parts.logger) parts.logger->log(level, message);
    }

    void dispatch(std::int64_t revision) {
        std::lock_guard running(dispatch_mutex);
        dispatching = std::this_thread::get_id();
        std::vector<std::pair<std::string, RevisionHandler>> copy;
        {
            std::lock_guard lock(handlers_mutex);
            copy.assign(handlers.begin(), handlers.end());
        }
        for (auto& [plugin_id, handler] : copy) {
            try {
                handler(revision);
            } catch (const std::exception& e) {
                log(sdk::LogLevel::error, "sync hub: revision handler of " + plugin_id + " threw: " + e.what());
            } catch (...) {
                log(sdk::LogLevel::error, "sync hub: revision handler of " + plugin_id + " threw");
            }
        }
        dispatching = std::thread::id{};
    }
};

HqHub::HqHub(HqHubParts parts) : impl_(std::make_unique<Impl>(std::move(parts))) {
    RevisionListenerSettings ls;
    ls.postgres_conninfo = impl_->parts.postgres_conninfo;
    ls.poll_ms = impl_->parts.settings.revision_poll_ms;
    ls.reconnect_initial_ms = impl_->parts.settings.reconnect_initial_ms;
    ls.reconnect_max_ms = impl_->parts.settings.reconnect_max_ms;
    Impl* impl = impl_.get();
    impl_->listener = std::make_unique<RevisionListener>(impl_->parts.feed, ls, impl_->parts.logger,
                                                         [impl](std::int64_t rev) { impl->dispatch(rev); });
}

HqHub::~HqHub() { stop(); }

sdk::Status HqHub::start() {
    if (auto st = apply_hq_migrations(impl_->parts.storage); !st.ok()) return st;
    return impl_->listener->start();
}

void HqHub::stop() { impl_->listener->stop(); }

sdk::Result<std::string> HqHub::authenticate_store(std::string_view token) { return impl_->tokens.authenticate(token); }

sdk::HubApplyResult HqHub::apply_batch(const std::string& store_id, const sdk::SyncBatch& batch) {
    auto& p = impl_->parts;
    auto checked = validate_batch(store_id, batch, p.settings.max_batch_events);
    if (!checked.ok) return rejected(checked.rejection.message);
    std::vector<IncomingEvent>& events = checked.batch.events;

    // Outcome of the transaction; reset on each attempt.
    sdk::HubApplyResult result;
    std::string rejection;
    // Two-way records (customers, transfers) merged here, by type, in order.
    std::map<std::string, std::vector<domain::ReplicatedChange>> merged_by_type;
    const std::int64_t now = p.clock.now_utc_ms();

    auto work = [&](sdk::SqlExecutor& tx) -> sdk::Status {
        result = {};
        rejection.clear();
        merged_by_type.clear();
        auto before = store_registry::begin_push(tx, store_id, batch.batch_id, now);
        if (!before) return before.status();

        std::set<std::string, std::less<>> seen;
        std::vector<const IncomingEvent*> fresh;
        for (const IncomingEvent& e : events) {
            if (!seen.insert(e.event_id).second) continue;  // twice in this batch
            auto inserted = tx.execute(
                "INSERT INTO sync_hq_events (event_id, store_id, sequence, hlc, type, entity_id, created_utc_ms, "
                "received_utc_ms, batch_id, payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                {e.event_id, store_id, e.sequence, e.hlc, e.type, e.entity_id, e.created_utc_ms, now, batch.batch_id,
                 e.payload.to_json()});
            if (!inserted) return inserted.status();
            if (*inserted == 1) {
                fresh.push_back(&e);
                continue;
            }
            // Held already: the same event (a duplicate), or a clash.
            auto held = tx.query("SELECT store_id, sequence FROM sync_hq_events WHERE event_id = ?", {e.event_id});
            if (!held) return held.status();
            const std::string at = "events[" + std::to_string(e.index) + "]";
            if (held->rows.empty()) {
                auto other = tx.query("SELECT event_id FROM sync_hq_events WHERE store_id = ? AND sequence = ?",
                                      {store_id, e.sequence});
                if (!other) return other.status();
                rejection = at + ".sequence: " + std::to_string(e.sequence) + " is already held as event " +
                            (other->rows.empty() ? std::string("?") : other->rows[0].at(0).as_string()) +
                            ", not " + e.event_id;
                return sdk::Status::failure("rejected", rejection);
            }
            if (held->rows[0].at(0).as_string() != store_id || held->rows[0].at(1).as_int() != e.sequence) {
                rejection = at + ".event_id: " + e.event_id + " is already held with another store or sequence";
                return sdk::Status::failure("rejected", rejection);
            }
            ++result.duplicate_events;
        }

        std::stable_sort(fresh.begin(), fresh.end(),
                         [](const IncomingEvent* a, const IncomingEvent* b) { return a->sequence < b->sequence; });
        for (const IncomingEvent* e : fresh) {
            if (direction_of(e->type) == Direction::both) {
                domain::ReplicaApplier* applier = p.appliers.find(e->type);
                if (!applier)
                    return sdk::Status::failure("unavailable", "no applier for " + e->type +
                                                                   " changes is registered on this HQ node");
                domain::ReplicatedChange change{e->type, e->entity_id.empty() ? e->payload["id"].as_string()
                                                                              : e->entity_id,
                                                e->payload, false};
                auto stored = applier->apply(tx, change);
                if (!stored) {
                    if (stored.error().code == "invalid_argument") {
                        rejection = "events[" + std::to_string(e->index) + "].payload: " + stored.error().message;
                        return sdk::Status::failure("rejected", rejection);
                    }
                    return stored.status();
                }
                domain::ReplicatedChange merged{change.type, change.entity_id, std::move(stored.value()), false};
                if (auto rev = p.feed.append(tx, merged); !rev) return rev.status();
                merged_by_type[change.type].push_back(std::move(change));
                continue;
            }
            if (!is_upstream_type(e->type))
                impl_->log(sdk::LogLevel::warn, "sync hub: store " + store_id + " sent event type \"" + e->type +
                                                    "\" this HQ does not know; kept, not projected");
            if (auto st = project_event(tx, store_id, *e); !st.ok()) return st;
        }
        result.applied_events = static_cast<std::int64_t>(fresh.size());

        auto ack = store_registry::finish_push(tx, store_id, *before, result.applied_events);
        if (!ack) return ack.status();
        result.acknowledged_sequence = *ack;
        return {};
    };

    auto done = p.storage.transaction(work);
    if (!rejection.empty()) return rejected(rejection);
    if (!done.ok()) {
        impl_->log(sdk::LogLevel::error, "sync hub: batch " + batch.batch_id + " of store " + store_id +
                                             " not applied: " + done.message());
        return failed(done.error().code + ": " + done.message());
    }

    if (!merged_by_type.empty()) {
        for (const auto& [type, changes] : merged_by_type) {
            if (auto* applier = p.appliers.find(type)) {
                try {
                    applier->after_commit(changes);
                } catch (...) {
                    impl_->log(sdk::LogLevel::error, "sync hub: " + type + " applier after_commit threw");
                }
            }
        }
        impl_->listener->poke();
    }

    result.status = sdk::TransportStatus::ok;
    std::set<std::string, std::less<>> listed;
    result.acknowledged_event_ids.reserve(events.size());
    for (const IncomingEvent& e : events)
        if (listed.insert(e.event_id).second) result.acknowledged_event_ids.push_back(e.event_id);
    return result;
}

sdk::PullResult HqHub::changes_since(const std::string& store_id, std::int64_t since_revision,
                                     std::int64_t max_changes) {
    auto& p = impl_->parts;
    sdk::PullResult out;
    if (since_revision < 0) {
        out.status = sdk::TransportStatus::rejected;
        out.message = "since: expected a revision of 0 or more";
        return out;
    }
    const std::int64_t limit = std::clamp<std::int64_t>(max_changes, 1, p.settings.max_pull_changes);
    auto page = p.feed.changes_since(since_revision, limit);
    if (!page) {
        out.status = sdk::TransportStatus::failed;
        out.message = page.error().code + ": " + page.error().message;
        return out;
    }
    if (auto st = store_registry::record_pull(p.storage, store_id, since_revision, p.clock.now_utc_ms()); !st.ok())
        impl_->log(sdk::LogLevel::warn, "sync hub: cannot record the pull of store " + store_id + ": " + st.message());
    out.status = sdk::TransportStatus::ok;
    out.revision = page->revision;
    out.more = page->more;
    out.changes = std::move(page->changes);
    return out;
}

sdk::Result<std::int64_t> HqHub::current_revision() { return impl_->parts.feed.current_revision(); }

sdk::Result<std::int64_t> HqHub::acknowledged_sequence(const std::string& store_id) {
    return store_registry::acknowledged_sequence(impl_->parts.storage, store_id);
}

sdk::Result<std::string> HqHub::bundle_key(const std::string& store_id) { return impl_->tokens.bundle_key(store_id); }

void HqHub::set_revision_handler(const std::string& plugin_id, RevisionHandler handler) {
    const bool removing = !handler;
    {
        std::lock_guard lock(impl_->handlers_mutex);
        if (handler) impl_->handlers[plugin_id] = std::move(handler);
        else impl_->handlers.erase(plugin_id);
    }
    // Wait for a dispatch in flight (unless called from inside a handler).
    if (removing && impl_->dispatching.load() != std::this_thread::get_id())
        std::lock_guard wait_for_dispatch(impl_->dispatch_mutex);
}

TokenStore& HqHub::tokens() noexcept { return impl_->tokens; }

sdk::Result<std::vector<StoreInfo>> HqHub::stores() { return store_registry::list(impl_->parts.storage); }

const HqSettings& HqHub::settings() const noexcept { return impl_->parts.settings; }

}  // namespace till::sync::hq
