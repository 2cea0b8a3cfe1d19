// The node's in-process event bus (sdk::EventBus). Thread-safe. Delivery is
// synchronous on the publisher's thread; a handler that throws is caught and
// logged, and does not stop delivery to the others.
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
