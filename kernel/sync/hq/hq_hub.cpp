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

    // Each event once, in batch order (a repeat inside the batch is dropped).
    std::vector<const IncomingEvent*> unique;
    {
        std::set<std::string, std::less<>> seen;
        for (const IncomingEvent& e : events)
            if (seen.insert(e.event_id).second) unique.push_back(&e);
    }
    // The fast way stores the new events in multi-row statements; when one
    // of them clashes (a sequence held under another event id), the batch is
    // done again event by event, which finds and names the clash.
    bool event_by_event = false;
    constexpr std::string_view kRetryEventByEvent = "retry_event_by_event";

    auto clash_or_duplicate = [&](sdk::SqlExecutor& tx, const IncomingEvent& e, const std::string& held_store,
                                  std::int64_t held_sequence, bool held) -> sdk::Status {
        const std::string at = "events[" + std::to_string(e.index) + "]";
        if (!held) {
            auto other = tx.query("SELECT event_id FROM sync_hq_events WHERE store_id = ? AND sequence = ?",
                                  {store_id, e.sequence});
            if (!other) return other.status();
            rejection = at + ".sequence: " + std::to_string(e.sequence) + " is already held as event " +
                        (other->rows.empty() ? std::string("?") : other->rows[0].at(0).as_string()) + ", not " +
                        e.event_id;
            return sdk::Status::failure("rejected", rejection);
        }
        if (held_store != store_id || held_sequence != e.sequence) {
            rejection = at + ".event_id: " + e.event_id + " is already held with another store or sequence";
            return sdk::Status::failure("rejected", rejection);
        }
        ++result.duplicate_events;
        return {};
    };

    auto insert_one_by_one = [&](sdk::SqlExecutor& tx, std::vector<const IncomingEvent*>& fresh) -> sdk::Status {
        for (const IncomingEvent* e : unique) {
            auto inserted = tx.execute(
                "INSERT INTO sync_hq_events (event_id, store_id, sequence, hlc, type, entity_id, created_utc_ms, "
                "received_utc_ms, batch_id, payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                {e->event_id, store_id, e->sequence, e->hlc, e->type, e->entity_id, e->created_utc_ms, now,
                 batch.batch_id, e->payload.to_json()});
            if (!inserted) return inserted.status();
            if (*inserted == 1) {
                fresh.push_back(e);
                continue;
            }
            auto held = tx.query("SELECT store_id, sequence FROM sync_hq_events WHERE event_id = ?", {e->event_id});
            if (!held) return held.status();
            const bool found = !held->rows.empty();
            if (auto st = clash_or_duplicate(tx, *e, found ? held->rows[0].at(0).as_string() : std::string(),
                                             found ? held->rows[0].at(1).as_int() : 0, found);
                !st.ok())
                return st;
        }
        return {};
    };

    auto insert_many = [&](sdk::SqlExecutor& tx, std::vector<const IncomingEvent*>& fresh) -> sdk::Status {
        constexpr std::size_t kRows = 200;
        std::map<std::string, std::pair<std::string, std::int64_t>, std::less<>> held;
        for (std::size_t start = 0; start < unique.size(); start += kRows) {
            const std::size_t end = std::min(unique.size(), start + kRows);
            std::string sql = "SELECT event_id, store_id, sequence FROM sync_hq_events WHERE event_id IN (";
            std::vector<sdk::Value> params;
            for (std::size_t i = start; i < end; ++i) {
                sql += i == start ? "?" : ", ?";
                params.emplace_back(unique[i]->event_id);
            }
            sql += ")";
            auto rows = tx.query(sql, params);
            if (!rows) return rows.status();
            for (const auto& r : rows->rows)
                held[r.at(0).as_string()] = {r.at(1).as_string(), r.at(2).as_int()};
        }
        for (const IncomingEvent* e : unique) {
            auto it = held.find(e->event_id);
            if (it == held.end()) {
                fresh.push_back(e);
                continue;
            }
            if (auto st = clash_or_duplicate(tx, *e, it->second.first, it->second.second, true); !st.ok()) return st;
        }
        for (std::size_t start = 0; start < fresh.size(); start += kRows) {
            const std::size_t end = std::min(fresh.size(), start + kRows);
            std::string sql =
                "INSERT INTO sync_hq_events (event_id, store_id, sequence, hlc, type, entity_id, created_utc_ms, "
                "received_utc_ms, batch_id, payload) VALUES ";
            std::vector<sdk::Value> params;
            params.reserve((end - start) * 10);
            for (std::size_t i = start; i < end; ++i) {
                const IncomingEvent* e = fresh[i];
                sql += i == start ? "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)" : ", (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
                for (sdk::Value v : {sdk::Value(e->event_id), sdk::Value(store_id), sdk::Value(e->sequence),
                                     sdk::Value(e->hlc), sdk::Value(e->type), sdk::Value(e->entity_id),
                                     sdk::Value(e->created_utc_ms), sdk::Value(now), sdk::Value(batch.batch_id),
                                     sdk::Value(e->payload.to_json())})
                    params.push_back(std::move(v));
            }
            sql += " ON CONFLICT DO NOTHING";
            auto inserted = tx.execute(sql, params);
            if (!inserted) return inserted.status();
            if (*inserted != static_cast<std::int64_t>(end - start))
                return sdk::Status::failure(std::string(kRetryEventByEvent), "a new event clashes with a held one");
        }
        return {};
    };

    auto work = [&](sdk::SqlExecutor& tx) -> sdk::Status {
        result = {};
        rejection.clear();
        merged_by_type.clear();
        auto before = store_registry::begin_push(tx, store_id, batch.batch_id, now);
        if (!before) return before.status();

        std::vector<const IncomingEvent*> fresh;
        if (auto st = event_by_event ? insert_one_by_one(tx, fresh) : insert_many(tx, fresh); !st.ok()) return st;

        std::stable_sort(fresh.begin(), fresh.end(),
                         [](const IncomingEvent* a, const IncomingEvent* b) { return a->sequence < b->sequence; });
        std::vector<const IncomingEvent*> projected;
        projected.reserve(fresh.size());
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
            projected.push_back(e);
        }
        if (auto st = project_events(tx, store_id, projected); !st.ok()) return st;
        result.applied_events = static_cast<std::int64_t>(fresh.size());

        auto ack = store_registry::finish_push(tx, store_id, *before, result.applied_events);
        if (!ack) return ack.status();
        result.acknowledged_sequence = *ack;
        return {};
    };

    auto done = p.storage.transaction(work);
    if (!done.ok() && done.error().code == kRetryEventByEvent) {
        event_by_event = true;
        done = p.storage.transaction(work);
    }
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
