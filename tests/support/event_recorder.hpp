// A node's event stream (/api/v1/events, WebSocket, logged in with
// ?access_token=) read on its own thread; every event is kept. Poco stays in
// the .cpp.
#pragma once

#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "till/sdk/value.hpp"

namespace till::test {

class EventRecorder {
public:
    /// Connects to 127.0.0.1:port; throws (test code) when the upgrade is refused.
    EventRecorder(int port, const std::string& token);
    ~EventRecorder();
    EventRecorder(const EventRecorder&) = delete;
    EventRecorder& operator=(const EventRecorder&) = delete;

    /// Every event message so far ({"type":"event","topic",...,"payload"}).
    std::vector<sdk::Value> events() const;
    std::multiset<std::string> topics() const;
    /// The payload of the first event of `topic` that satisfies `match`; null when none yet.
    sdk::Value find(const std::string& topic, const std::function<bool(const sdk::Value&)>& match = {}) const;
    /// Waits (bounded) until an event of `topic` has arrived.
    bool wait_for(const std::string& topic, int timeout_ms = 10000) const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace till::test
