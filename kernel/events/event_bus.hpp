// The node's in-process event bus (sdk::EventBus). Thread-safe. Delivery is
// synchronous on the publisher's thread; a handler that throws is caught and
// logged, and does not stop delivery to the others.
//
// Ordering: publishers are serialised (one delivery at a time, node-wide), so
// every handler sees events in sequence order. A handler may publish,
// subscribe or unsubscribe (itself included) from inside a call; an event it
// publishes gets its sequence number at once but is delivered after the
// current event has reached every handler, so no handler (a WebSocket client
// included) ever sees a later event before an earlier one. Handlers must be
// quick: a slow one delays every
// publisher. unsubscribe() from another thread waits for the delivery in
// progress to finish, so never call it while holding a lock a handler takes.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "till/sdk/clock.hpp"
#include "till/sdk/events.hpp"
#include "till/sdk/logger.hpp"

namespace till::events {

/// True when `topic` matches `pattern` ("*", equal, or pattern + "." prefix).
bool topic_matches(std::string_view pattern, std::string_view topic) noexcept;

class EventBusImpl final : public sdk::EventBus {
public:
    EventBusImpl(const sdk::Clock& clock, std::shared_ptr<sdk::Logger> logger);
    ~EventBusImpl() override;
    std::uint64_t publish(std::string_view topic, sdk::Value payload) override;
    sdk::SubscriptionId subscribe(std::string topic_pattern, sdk::EventHandler handler) override;
    void unsubscribe(sdk::SubscriptionId id) override;
    /// Publishes with an explicit source ("kernel" or a plugin id).
    std::uint64_t publish_from(std::string_view source, std::string_view topic, sdk::Value payload);
    /// Subscribes on behalf of `source` (named in the log when the handler throws).
    sdk::SubscriptionId subscribe_from(std::string source, std::string topic_pattern,
                                       sdk::EventHandler handler);
    /// The sequence number of the latest published event (0 before the first).
    std::uint64_t last_sequence() const noexcept;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

/// The bus as one plugin sees it: events it publishes carry its id as source,
/// and its subscriptions are dropped when it stops.
class PluginEventBus final : public sdk::EventBus {
public:
    PluginEventBus(EventBusImpl& bus, std::string source);
    ~PluginEventBus() override;  ///< unsubscribes everything made through it
    std::uint64_t publish(std::string_view topic, sdk::Value payload) override;
    sdk::SubscriptionId subscribe(std::string topic_pattern, sdk::EventHandler handler) override;
    void unsubscribe(sdk::SubscriptionId id) override;
    void unsubscribe_all();

private:
    EventBusImpl& bus_;
    std::string source_;
    std::mutex mutex_;
    std::vector<sdk::SubscriptionId> ids_;
};

}  // namespace till::events
