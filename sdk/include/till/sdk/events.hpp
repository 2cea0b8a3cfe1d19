// Till SDK — the in-process event bus. Every state change in a node is
// published as an Event; the kernel forwards them to WebSocket clients of
// /api/v1/events that subscribed to a matching topic.
//
// Topics are dot-separated ("plugin.started", "order.paid"). A subscription
// matches a topic equal to its pattern, or starting with the pattern followed
// by a dot ("order" matches "order.paid"); "*" matches everything.
//
// Threading: publish() may be called from any thread and delivers to
// in-process handlers synchronously on that thread, in subscription order.
// Delivery is serialised node-wide, so every handler sees events in sequence
// order; an event published from inside a handler is delivered after the
// current one. Handlers must be quick and must not throw (the kernel catches
// and logs): no storage transactions, network or device I/O, or waiting
// inside a handler — it would hold up every publisher. Hand such work to a
// thread of your own.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "till/sdk/value.hpp"

namespace till::sdk {

struct Event {
    std::string topic;
    Value payload;
    std::int64_t time_utc_ms = 0;
    std::uint64_t sequence = 0;  ///< per node, increasing by one per event
    std::string source;          ///< "kernel" or the publishing plugin id
};

using EventHandler = std::function<void(const Event&)>;
using SubscriptionId = std::uint64_t;

class EventBus {
public:
    virtual ~EventBus();
    /// Publishes an event; returns its sequence number.
    virtual std::uint64_t publish(std::string_view topic, Value payload) = 0;
    /// Registers a handler; 0 is never a valid id.
    virtual SubscriptionId subscribe(std::string topic_pattern, EventHandler handler) = 0;
    /// Removes a handler. Returns after any running call of it has finished.
    virtual void unsubscribe(SubscriptionId id) = 0;
};

}  // namespace till::sdk
