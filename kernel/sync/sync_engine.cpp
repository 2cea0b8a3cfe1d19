#include "sync/sync_engine.hpp"

#include <algorithm>
#include <chrono>
#include <exception>
#include <map>
#include <vector>

#include "domain/common/ids.hpp"
#include "sync/outbox.hpp"

namespace till::sync {
namespace {

using sdk::TransportStatus;
using sdk::Value;

constexpr std::int64_t kPruneAckedAfterMs = 7LL * 24 * 3600 * 1000;  // acked events kept a week
constexpr std::int64_t kPublishEveryMs = 1000;
constexpr std::int64_t kMaxWaitMs = 3600 * 1000;

// One loop's (push or pull) view of the link.
struct LoopState {
    std::string state;  // "" until the first attempt; else a sync_state_name
    std::string error;
    std::int64_t failures = 0;
    std::int64_t next_at_mono_ms = 0;
};

const char* state_for(TransportStatus status) {
    switch (status) {
        case TransportStatus::ok: return sync_state_name::connected;
        case TransportStatus::offline: return sync_state_name::offline;
        case TransportStatus::unauthorised: return sync_state_name::unauthorised;
        case TransportStatus::rejected:
        case TransportStatus::failed: return sync_state_name::backing_off;
    }
    return sync_state_name::backing_off;
}

const char* status_word(TransportStatus status) {
    switch (status) {
        case TransportStatus::ok: return "ok";
        case TransportStatus::offline: return "offline";
        case TransportStatus::unauthorised: return "unauthorised";
        case TransportStatus::rejected: return "rejected";
        case TransportStatus::failed: return "failed";
    }
    return "failed";
}

// A pulled change, checked.
struct PulledChange {
    std::int64_t revision = 0;
    domain::ReplicatedChange change;
};

sdk::Result<std::vector<PulledChange>> parse_page(const std::vector<Value>& changes) {
    std::vector<PulledChange> out;
    out.reserve(changes.size());
    for (std::size_t i = 0; i < changes.size(); ++i) {
        const Value& c = changes[i];
        const std::string where = "changes[" + std::to_string(i) + "]";
        if (!c.is_map()) return sdk::Error{"invalid_argument", where + ": expected an object"};
        if (!c["revision"].is_int() || c["revision"].as_int() <= 0)
            return sdk::Error{"invalid_argument", where + ".revision: expected a positive integer"};
        if (!c["type"].is_string() || c["type"].as_string().empty())
            return sdk::Error{"invalid_argument", where + ".type: expected a non-empty string"};
        if (!c["entity_id"].is_string())
            return sdk::Error{"invalid_argument", where + ".entity_id: expected a string"};
        PulledChange p;
        p.revision = c["revision"].as_int();
        p.change.type = c["type"].as_string();
        p.change.entity_id = c["entity_id"].as_string();
        p.change.payload = c["payload"];
        out.push_back(std::move(p));
    }
    std::stable_sort(out.begin(), out.end(),
                     [](const PulledChange& a, const PulledChange& b) { return a.revision < b.revision; });
    return out;
}

}  // namespace

SyncSettings sync_settings_from(const sdk::Value& s) {
    SyncSettings out;
    out.enabled = s["enabled"].as_bool(out.enabled);
    out.transport = s["transport"].as_string(out.transport);
    out.push_interval_ms = s["push_interval_ms"].as_int(out.push_interval_ms);
    out.pull_interval_ms = s["pull_interval_ms"].as_int(out.pull_interval_ms);
    out.batch_max_events = s["batch_max_events"].as_int(out.batch_max_events);
    out.request_timeout_ms = s["request_timeout_ms"].as_int(out.request_timeout_ms);
    out.backoff_initial_ms = s["backoff_initial_ms"].as_int(out.backoff_initial_ms);
    out.backoff_max_ms = s["backoff_max_ms"].as_int(out.backoff_max_ms);
    return out;
}

struct SyncEngine::Impl {
    Impl(SyncEngineDeps d, const SyncSettings& s)
        : deps(std::move(d)),
          settings(s),
          random(deps.random ? deps.random : default_random_source()),
          ids(deps.clock),
          batch_limit(std::max<std::int64_t>(1, s.batch_max_events)) {}

    SyncEngineDeps deps;
    const SyncSettings settings;
    RandomSource random;
    domain::IdGenerator ids;

    // Used only by the cycle functions (one thread at a time) and stop().
    std::shared_ptr<sdk::SyncTransport> transport;

    mutable std::mutex mutex;  // everything below
    std::condition_variable wake_cv;
    std::condition_variable done_cv;
    std::thread thread;
    bool running = false;
    bool stopping = false;
    bool push_requested = false;
    bool pull_requested = false;
    std::uint64_t push_gen_requested = 0, push_gen_done = 0;
    std::uint64_t pull_gen_requested = 0, pull_gen_done = 0;
    std::int64_t batch_limit;
    std::int64_t cursor = 0;
    std::int64_t announced = 0;
    std::int64_t last_push_utc_ms = 0;
    std::int64_t last_pull_utc_ms = 0;
    std::int64_t pushed_total = 0, pulled_total = 0, skipped_total = 0;
    LoopState push, pull;
    std::string published_state;
    sdk::Value published;
    std::int64_t published_mono_ms = 0;
    bool published_once = false;

    std::int64_t mono() const noexcept { return deps.clock.monotonic_ms(); }
    std::int64_t utc() const noexcept { return deps.clock.now_utc_ms(); }
    sdk::Logger* log() const noexcept { return deps.logger.get(); }

    std::string combined_state_locked() const {
        if (!settings.enabled) return sync_state_name::disabled;
        const std::string* states[] = {&push.state, &pull.state};
        for (const char* worst : {sync_state_name::unauthorised, sync_state_name::offline,
                                  sync_state_name::backing_off, sync_state_name::connected})
            for (const std::string* s : states)
                if (*s == worst) return worst;
        return sync_state_name::offline;  // nothing tried yet
    }

    std::shared_ptr<sdk::SyncTransport> ensure_transport() {
        if (transport) return transport;
        transport = deps.registry.sync_transport(settings.transport);
        if (transport) {
            transport->set_notify_handler([this](std::int64_t revision) { announce(revision); });
            if (log()) log()->info("sync: using transport \"" + settings.transport + "\"");
        }
        return transport;
    }

    std::string missing_transport_message() const {
        return "sync transport \"" + settings.transport +
               "\" is not available: no started plugin provides it (plugin sync_http provides \"http\", "
               "sync_file provides \"file\")";
    }

    void announce(std::int64_t revision) {
        {
            std::lock_guard lock(mutex);
            announced = std::max(announced, revision);
            if (revision > cursor) pull_requested = true;
            // HQ is reachable again: a push waiting out an offline backoff goes now.
            if (push.state == sync_state_name::offline) reset_loop_locked(push);
        }
        wake_cv.notify_all();
    }

    void reset_loop_locked(LoopState& loop) {
        loop.state.clear();
        loop.error.clear();
        loop.failures = 0;
        loop.next_at_mono_ms = mono();
    }

    // Records a failed attempt of `loop`; returns the delay chosen.
    std::int64_t record_failure_locked(LoopState& loop, TransportStatus status, const std::string& message) {
        loop.state = state_for(status);
        loop.error = message;
        ++loop.failures;
        const std::int64_t delay =
            status == TransportStatus::unauthorised
                ? settings.backoff_max_ms
                : backoff_delay_ms({settings.backoff_initial_ms, settings.backoff_max_ms}, loop.failures, random);
        loop.next_at_mono_ms = mono() + delay;
        return delay;
    }

    void record_success_locked(LoopState& loop, LoopState& other, std::int64_t next_delay_ms) {
        loop.state = sync_state_name::connected;
        loop.error.clear();
        loop.failures = 0;
        loop.next_at_mono_ms = mono() + next_delay_ms;
        if (other.state == sync_state_name::offline) reset_loop_locked(other);
    }

    void log_failure(const char* what, TransportStatus status, const std::string& message, std::int64_t failures,
                     std::int64_t delay_ms) {
        if (!log()) return;
        const std::string line = std::string("sync: ") + what + " " + status_word(status) +
                                 (message.empty() ? "" : ": " + message) + " (failure " + std::to_string(failures) +
                                 ", next try in " + std::to_string(delay_ms) + " ms)";
        if (failures == 1 || failures % 10 == 0) log()->warn(line);
        else log()->debug(line);
    }

    SyncStatus status_now() const {
        SyncStatus s;
        s.enabled = settings.enabled;
        s.transport = settings.transport;
        auto stats = outbox_stats(deps.storage);
        const std::int64_t now_utc = utc();
        std::lock_guard lock(mutex);
        s.state = combined_state_locked();
        if (stats) {
            s.queue_depth = stats->queue_depth;
            if (stats->oldest_unsent_utc_ms)
                s.oldest_unsent_age_ms = std::max<std::int64_t>(0, now_utc - *stats->oldest_unsent_utc_ms);
            s.last_sequence = stats->last_sequence;
            s.acknowledged_sequence = stats->acknowledged_sequence;
        } else {
            s.queue_depth = -1;
        }
        s.last_push_utc_ms = last_push_utc_ms;
        s.last_pull_utc_ms = last_pull_utc_ms;
        s.pull_revision = cursor;
        s.last_error = !push.error.empty() ? push.error : pull.error;
        if (!stats && s.last_error.empty()) s.last_error = "storage: " + stats.error().message;
        if (settings.enabled) {
            const std::int64_t next_mono = std::min(push.next_at_mono_ms, pull.next_at_mono_ms);
            s.next_attempt_utc_ms = now_utc + std::max<std::int64_t>(0, next_mono - mono());
        }
        s.pushed_total = pushed_total;
        s.pulled_total = pulled_total;
        s.skipped_total = skipped_total;
        return s;
    }

    // Publishes `sync.status` when the state changed, else at most once a
    // second when something else did. Engine thread only.
    void maybe_publish() {
        SyncStatus s = status_now();
        Value v = s.to_value();
        Value compared = v;
        compared.set("oldest_unsent_age_ms", 0);
        compared.set("next_attempt_utc_ms", 0);
        const std::int64_t now = mono();
        {
            std::lock_guard lock(mutex);
            const bool state_changed = !published_once || s.state != published_state;
            const bool other_changed = compared != published;
            if (!state_changed && !(other_changed && now - published_mono_ms >= kPublishEveryMs)) return;
            published_once = true;
            published_state = s.state;
            published = compared;
            published_mono_ms = now;
        }
        deps.events.publish("sync.status", std::move(v));
    }

    CycleOutcome push_cycle();
    CycleOutcome pull_cycle();
    sdk::Result<std::int64_t> apply_page(const sdk::PullResult& page, std::int64_t since, std::int64_t& new_cursor,
                                         std::int64_t& skipped);
    void run();
};

CycleOutcome SyncEngine::Impl::push_cycle() {
    CycleOutcome out;
    auto t = ensure_transport();
    if (!t) {
        std::lock_guard lock(mutex);
        out.status = TransportStatus::offline;
        out.delay_ms = record_failure_locked(push, TransportStatus::offline, missing_transport_message());
        return out;
    }
    std::int64_t limit;
    {
        std::lock_guard lock(mutex);
        limit = batch_limit;
    }
    auto pending = outbox_pending(deps.storage, limit);
    if (!pending) {
        std::lock_guard lock(mutex);
        out.status = TransportStatus::failed;
        out.delay_ms = record_failure_locked(push, TransportStatus::failed, "storage: " + pending.error().message);
        return out;
    }
    if (pending->empty()) {
        std::lock_guard lock(mutex);
        push.next_at_mono_ms = mono() + settings.push_interval_ms;
        out.delay_ms = settings.push_interval_ms;
        return out;
    }

    sdk::SyncBatch batch;
    batch.batch_id = ids.next();
    batch.node_id = deps.node_id;
    batch.events.reserve(pending->size());
    for (const auto& e : *pending) batch.events.push_back(e.to_wire(deps.node_id));
    out.attempted = true;
    out.events = static_cast<std::int64_t>(batch.events.size());

    sdk::PushResult result;
    try {
        result = t->push(batch, settings.request_timeout_ms);
    } catch (const std::exception& e) {
        result.status = TransportStatus::failed;
        result.message = std::string("transport threw: ") + e.what();
    } catch (...) {
        result.status = TransportStatus::failed;
        result.message = "transport threw an unknown exception";
    }
    out.status = result.status;

    if (result.status == TransportStatus::ok) {
        const std::int64_t now_utc = utc();
        std::int64_t acked = 0;
        auto marked = deps.storage.transaction([&](sdk::SqlExecutor& tx) -> sdk::Status {
            auto n = outbox_mark_acked(tx, result.acknowledged_event_ids, now_utc);
            if (!n) return n.status();
            acked = *n;
            if (acked == 0) return {};
            if (auto s = write_last_push(tx, now_utc); !s.ok()) return s;
            return outbox_prune(tx, now_utc - kPruneAckedAfterMs).status();
        });
        std::lock_guard lock(mutex);
        if (!marked.ok()) {
            out.status = TransportStatus::failed;
            out.delay_ms = record_failure_locked(push, TransportStatus::failed, "storage: " + marked.message());
            return out;
        }
        if (acked == 0) {
            out.status = TransportStatus::failed;
            out.delay_ms = record_failure_locked(
                push, TransportStatus::failed,
                "HQ answered ok but acknowledged none of the " + std::to_string(out.events) + " events of batch " +
                    batch.batch_id);
            log_failure("push", TransportStatus::failed, push.error, push.failures, out.delay_ms);
            return out;
        }
        out.acked = acked;
        pushed_total += acked;
        last_push_utc_ms = now_utc;
        batch_limit = std::min(std::max<std::int64_t>(1, settings.batch_max_events), batch_limit * 2);
        // A full batch (or one HQ did not fully acknowledge): the next one at once.
        out.more = out.events == limit || acked < out.events;
        out.delay_ms = out.more ? 0 : settings.push_interval_ms;
        record_success_locked(push, pull, out.delay_ms);
        return out;
    }

    std::string message = result.message;
    if (message.empty()) message = std::string("push ") + status_word(result.status);
    std::lock_guard lock(mutex);
    if (result.status == TransportStatus::rejected)
        batch_limit = std::max<std::int64_t>(1, out.events / 2);  // an oversized batch must not block the queue
    out.delay_ms = record_failure_locked(push, result.status, message);
    log_failure("push", result.status, message, push.failures, out.delay_ms);
    return out;
}

sdk::Result<std::int64_t> SyncEngine::Impl::apply_page(const sdk::PullResult& page, std::int64_t since,
                                                       std::int64_t& new_cursor, std::int64_t& skipped) {
    auto parsed = parse_page(page.changes);
    if (!parsed) return parsed.error();
    new_cursor = std::max(since, page.revision);
    skipped = 0;
    std::int64_t applied = 0;
    // Per applier, in order of first appearance, the changes it applied.
    std::vector<std::pair<domain::ReplicaApplier*, std::vector<domain::ReplicatedChange>>> done;
    std::vector<std::string> skipped_types;
    const std::int64_t now_utc = utc();
    auto committed = deps.storage.transaction([&](sdk::SqlExecutor& tx) -> sdk::Status {
        done.clear();
        skipped_types.clear();
        skipped = 0;
        applied = 0;
        try {
            for (const auto& p : *parsed) {
                if (p.revision <= since) continue;  // already applied (a repeated page)
                new_cursor = std::max(new_cursor, p.revision);
                domain::ReplicaApplier* applier = deps.appliers.find(p.change.type);
                if (!applier) {
                    ++skipped;
                    skipped_types.push_back(p.change.type + " (revision " + std::to_string(p.revision) + ")");
                    continue;
                }
                auto result = applier->apply(tx, p.change);
                if (!result)
                    return sdk::Status::failure(result.error().code,
                                                "change revision " + std::to_string(p.revision) + " (" +
                                                    p.change.type + " " + p.change.entity_id +
                                                    "): " + result.error().message);
                ++applied;
                auto it = std::find_if(done.begin(), done.end(), [&](const auto& d) { return d.first == applier; });
                if (it == done.end()) done.push_back({applier, {p.change}});
                else it->second.push_back(p.change);
            }
        } catch (const std::exception& e) {
            return sdk::Status::failure("internal", std::string("an applier threw: ") + e.what());
        }
        return write_pull_cursor(tx, new_cursor, now_utc);
    });
    if (!committed.ok()) return committed.error();
    for (const auto& t : skipped_types)
        if (log()) log()->warn("sync: skipped a pulled change of type " + t + ": no module applies it");
    for (auto& [applier, changes] : done) {
        try {
            applier->after_commit(changes);
        } catch (const std::exception& e) {
            if (log()) log()->error(std::string("sync: after_commit of an applier threw: ") + e.what());
        }
    }
    return applied;
}

CycleOutcome SyncEngine::Impl::pull_cycle() {
    CycleOutcome out;
    auto t = ensure_transport();
    if (!t) {
        std::lock_guard lock(mutex);
        out.status = TransportStatus::offline;
        out.delay_ms = record_failure_locked(pull, TransportStatus::offline, missing_transport_message());
        return out;
    }
    std::int64_t since;
    {
        std::lock_guard lock(mutex);
        since = cursor;
    }
    out.attempted = true;
    sdk::PullResult result;
    try {
        result = t->pull(since, settings.request_timeout_ms);
    } catch (const std::exception& e) {
        result.status = TransportStatus::failed;
        result.message = std::string("transport threw: ") + e.what();
    } catch (...) {
        result.status = TransportStatus::failed;
        result.message = "transport threw an unknown exception";
    }
    out.status = result.status;
    if (result.status != TransportStatus::ok) {
        std::string message = result.message.empty() ? std::string("pull ") + status_word(result.status)
                                                     : result.message;
        std::lock_guard lock(mutex);
        out.delay_ms = record_failure_locked(pull, result.status, message);
        log_failure("pull", result.status, message, pull.failures, out.delay_ms);
        return out;
    }

    std::int64_t new_cursor = since;
    std::int64_t skipped = 0;
    auto applied = apply_page(result, since, new_cursor, skipped);
    std::lock_guard lock(mutex);
    if (!applied) {
        out.status = TransportStatus::failed;
        out.delay_ms = record_failure_locked(pull, TransportStatus::failed,
                                             "pulled changes not applied: " + applied.error().message);
        log_failure("pull", TransportStatus::failed, pull.error, pull.failures, out.delay_ms);
        return out;
    }
    out.events = *applied;
    cursor = new_cursor;
    last_pull_utc_ms = utc();
    pulled_total += *applied;
    skipped_total += skipped;
    // `more` without progress would spin: wait for the interval instead.
    out.more = result.more && new_cursor > since;
    out.delay_ms = out.more ? 0 : settings.pull_interval_ms;
    record_success_locked(pull, push, out.delay_ms);
    return out;
}

void SyncEngine::Impl::run() {
    std::unique_lock lock(mutex);
    while (!stopping) {
        const std::int64_t now = mono();
        const bool push_due = push_requested || now >= push.next_at_mono_ms;
        const bool pull_due = pull_requested || now >= pull.next_at_mono_ms;
        if (push_due) {
            push_requested = false;
            const std::uint64_t gen = push_gen_requested;
            lock.unlock();
            push_cycle();
            maybe_publish();
            lock.lock();
            push_gen_done = std::max(push_gen_done, gen);
            done_cv.notify_all();
        }
        if (stopping) break;
        if (pull_due) {
            pull_requested = false;
            const std::uint64_t gen = pull_gen_requested;
            lock.unlock();
            pull_cycle();
            maybe_publish();
            lock.lock();
            pull_gen_done = std::max(pull_gen_done, gen);
            done_cv.notify_all();
        }
        if (push_due || pull_due) continue;
        const std::int64_t next = std::min(push.next_at_mono_ms, pull.next_at_mono_ms);
        const std::int64_t wait_ms = std::clamp<std::int64_t>(next - mono(), 1, kMaxWaitMs);
        wake_cv.wait_for(lock, std::chrono::milliseconds(wait_ms),
                         [this] { return stopping || push_requested || pull_requested; });
    }
}

SyncEngine::SyncEngine(SyncEngineDeps deps, SyncSettings settings)
    : impl_(nullptr), settings_(std::move(settings)) {
    impl_ = std::make_unique<Impl>(std::move(deps), settings_);
}

SyncEngine::~SyncEngine() { stop(); }

sdk::Status SyncEngine::start() {
    Impl& m = *impl_;
    auto state = read_sync_state(m.deps.storage);
    if (!state) return state.status();
    {
        std::lock_guard lock(m.mutex);
        if (m.running) return {};
        m.cursor = state->pull_revision;
        m.last_push_utc_ms = state->last_push_utc_ms;
        m.last_pull_utc_ms = state->last_pull_utc_ms;
        m.push.next_at_mono_ms = m.mono();
        m.pull.next_at_mono_ms = m.mono();
    }
    if (!settings_.enabled) {
        if (m.log()) m.log()->info("sync: disabled (sync.enabled: false); events stay in the outbox");
        return {};
    }
    {
        std::lock_guard lock(m.mutex);
        m.running = true;
        m.stopping = false;
    }
    m.thread = std::thread([&m] { m.run(); });
    if (m.log())
        m.log()->info("sync: engine started (transport \"" + settings_.transport + "\", push every " +
                      std::to_string(settings_.push_interval_ms) + " ms, pull every " +
                      std::to_string(settings_.pull_interval_ms) + " ms)");
    return {};
}

void SyncEngine::stop() {
    Impl& m = *impl_;
    {
        std::lock_guard lock(m.mutex);
        m.stopping = true;
    }
    m.wake_cv.notify_all();
    m.done_cv.notify_all();
    if (m.thread.joinable()) m.thread.join();
    {
        std::lock_guard lock(m.mutex);
        m.running = false;
    }
    if (m.transport) {
        m.transport->set_notify_handler({});
        m.transport.reset();
    }
}

void SyncEngine::push_soon() {
    Impl& m = *impl_;
    {
        std::lock_guard lock(m.mutex);
        if (!m.running || m.push.failures > 0) return;  // a failing link keeps its backoff
        m.push_requested = true;
    }
    m.wake_cv.notify_all();
}

SyncStatus SyncEngine::push_now() {
    Impl& m = *impl_;
    {
        std::unique_lock lock(m.mutex);
        if (m.running && !m.stopping) {
            const std::uint64_t gen = ++m.push_gen_requested;
            m.push_requested = true;
            m.wake_cv.notify_all();
            m.done_cv.wait_for(lock, std::chrono::milliseconds(settings_.request_timeout_ms + 5000),
                               [&] { return m.push_gen_done >= gen || m.stopping; });
        }
    }
    return status();
}

SyncStatus SyncEngine::pull_now() {
    Impl& m = *impl_;
    {
        std::unique_lock lock(m.mutex);
        if (m.running && !m.stopping) {
            const std::uint64_t gen = ++m.pull_gen_requested;
            m.pull_requested = true;
            m.wake_cv.notify_all();
            m.done_cv.wait_for(lock, std::chrono::milliseconds(settings_.request_timeout_ms + 5000),
                               [&] { return m.pull_gen_done >= gen || m.stopping; });
        }
    }
    return status();
}

void SyncEngine::on_revision_announced(std::int64_t revision) { impl_->announce(revision); }

SyncStatus SyncEngine::status() const { return impl_->status_now(); }

CycleOutcome SyncEngine::run_push_cycle() {
    CycleOutcome out = impl_->push_cycle();
    impl_->maybe_publish();
    return out;
}

CycleOutcome SyncEngine::run_pull_cycle() {
    CycleOutcome out = impl_->pull_cycle();
    impl_->maybe_publish();
    return out;
}

}  // namespace till::sync
