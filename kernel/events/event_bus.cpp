#include "events/event_bus.hpp"

#include <algorithm>
#include <atomic>
#include <deque>
#include <exception>
#include <string>
#include <utility>

namespace till::events {

bool topic_matches(std::string_view pattern, std::string_view topic) noexcept {
    if (pattern == "*" || pattern == topic) return true;
    return topic.size() > pattern.size() && topic.substr(0, pattern.size()) == pattern &&
           topic[pattern.size()] == '.';
}

namespace {

struct Subscription {
    sdk::SubscriptionId id = 0;
    std::string source;
    std::string pattern;
    sdk::EventHandler handler;
    std::atomic<bool> active{true};
};

}  // namespace

struct EventBusImpl::Impl {
    Impl(const sdk::Clock& c, std::shared_ptr<sdk::Logger> l) : clock(c), logger(std::move(l)) {}

    const sdk::Clock& clock;
    std::shared_ptr<sdk::Logger> logger;
    // Held for the whole of one delivery: serialises publishers (so handlers
    // see events in sequence order) and lets unsubscribe() wait for a running
    // call. Recursive because handlers may publish or unsubscribe.
    std::recursive_mutex delivery_mutex;
    std::mutex list_mutex;  // guards subs and next_id only
    std::vector<std::shared_ptr<Subscription>> subs;
    sdk::SubscriptionId next_id = 1;
    std::atomic<std::uint64_t> sequence{0};
    // Touched only by the thread holding delivery_mutex: events published by
    // handlers during a delivery wait here until the current one is done.
    bool delivering = false;
    std::deque<sdk::Event> pending;

    void deliver(const sdk::Event& event);

    void report_throw(const Subscription& sub, const sdk::Event& event, const char* what) {
        if (!logger) return;
        logger->error("event handler of '" + sub.source + "' subscribed to '" + sub.pattern +
                      "' threw on event '" + event.topic + "' #" +
                      std::to_string(event.sequence) + ": " + what);
    }
};

EventBusImpl::EventBusImpl(const sdk::Clock& clock, std::shared_ptr<sdk::Logger> logger)
    : impl_(std::make_unique<Impl>(clock, std::move(logger))) {}

EventBusImpl::~EventBusImpl() = default;

std::uint64_t EventBusImpl::publish(std::string_view topic, sdk::Value payload) {
    return publish_from("kernel", topic, std::move(payload));
}

std::uint64_t EventBusImpl::publish_from(std::string_view source, std::string_view topic,
                                         sdk::Value payload) {
    std::lock_guard delivery(impl_->delivery_mutex);
    sdk::Event event;
    event.topic = std::string(topic);
    event.payload = std::move(payload);
    event.time_utc_ms = impl_->clock.now_utc_ms();
    event.source = std::string(source);
    event.sequence = impl_->sequence.load() + 1;
    impl_->sequence.store(event.sequence);
    const std::uint64_t sequence = event.sequence;

    if (impl_->delivering) {  // published by a handler of the current delivery
        impl_->pending.push_back(std::move(event));
        return sequence;
    }
    impl_->delivering = true;
    impl_->deliver(event);
    while (!impl_->pending.empty()) {
        sdk::Event next = std::move(impl_->pending.front());
        impl_->pending.pop_front();
        impl_->deliver(next);
    }
    impl_->delivering = false;
    return sequence;
}

void EventBusImpl::Impl::deliver(const sdk::Event& event) {
    std::vector<std::shared_ptr<Subscription>> snapshot;
    {
        std::lock_guard list(list_mutex);
        snapshot.reserve(subs.size());
        for (const auto& sub : subs)
            if (topic_matches(sub->pattern, event.topic)) snapshot.push_back(sub);
    }
    for (const auto& sub : snapshot) {
        // A handler earlier in this delivery may have unsubscribed this one.
        if (!sub->active.load()) continue;
        try {
            sub->handler(event);
        } catch (const std::exception& e) {
            report_throw(*sub, event, e.what());
        } catch (...) {
            report_throw(*sub, event, "unknown exception");
        }
    }
}

sdk::SubscriptionId EventBusImpl::subscribe(std::string topic_pattern, sdk::EventHandler handler) {
    return subscribe_from("kernel", std::move(topic_pattern), std::move(handler));
}

sdk::SubscriptionId EventBusImpl::subscribe_from(std::string source, std::string topic_pattern,
                                                 sdk::EventHandler handler) {
    auto sub = std::make_shared<Subscription>();
    sub->source = std::move(source);
    sub->pattern = std::move(topic_pattern);
    sub->handler = std::move(handler);
    std::lock_guard list(impl_->list_mutex);
    sub->id = impl_->next_id++;
    impl_->subs.push_back(sub);
    return sub->id;
}

void EventBusImpl::unsubscribe(sdk::SubscriptionId id) {
    // Waits for a delivery running on another thread; re-entrant on this one.
    std::lock_guard delivery(impl_->delivery_mutex);
    std::lock_guard list(impl_->list_mutex);
    auto it = std::find_if(impl_->subs.begin(), impl_->subs.end(),
                           [id](const auto& s) { return s->id == id; });
    if (it == impl_->subs.end()) return;
    (*it)->active.store(false);
    impl_->subs.erase(it);
}

std::uint64_t EventBusImpl::last_sequence() const noexcept { return impl_->sequence.load(); }

PluginEventBus::PluginEventBus(EventBusImpl& bus, std::string source)
    : bus_(bus), source_(std::move(source)) {}

PluginEventBus::~PluginEventBus() { unsubscribe_all(); }

std::uint64_t PluginEventBus::publish(std::string_view topic, sdk::Value payload) {
    return bus_.publish_from(source_, topic, std::move(payload));
}

sdk::SubscriptionId PluginEventBus::subscribe(std::string topic_pattern,
                                              sdk::EventHandler handler) {
    auto id = bus_.subscribe_from(source_, std::move(topic_pattern), std::move(handler));
    std::lock_guard lock(mutex_);
    ids_.push_back(id);
    return id;
}

void PluginEventBus::unsubscribe(sdk::SubscriptionId id) {
    {
        std::lock_guard lock(mutex_);
        auto it = std::find(ids_.begin(), ids_.end(), id);
        if (it == ids_.end()) return;  // not ours: a plugin cannot drop another's handler
        ids_.erase(it);
    }
    bus_.unsubscribe(id);  // outside mutex_: it may wait for a running handler
}

void PluginEventBus::unsubscribe_all() {
    std::vector<sdk::SubscriptionId> ids;
    {
        std::lock_guard lock(mutex_);
        ids.swap(ids_);
    }
    for (auto id : ids) bus_.unsubscribe(id);
}

}  // namespace till::events
