// Till SDK — sync transports: how a store's events reach HQ and HQ's master
// data reaches the store (HTTP, file bundles, ...).
//
// The kernel's sync engine owns the outbox, cursors, retries and conflict
// policies; a transport only moves bytes and reports what happened. It must
// not retry on its own beyond one request, and must return
// TransportStatus::unauthorised for a refused credential so the engine can
// show it and keep selling.
//
// Threading: push and pull are called from the sync engine's thread, one at a
// time; the notify handler may be called from the transport's own thread.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "till/sdk/value.hpp"

namespace till::sdk {

enum class TransportStatus { ok, offline, unauthorised, rejected, failed };

/// A batch of upstream events (sales, refunds, ...), each a Value with at
/// least "event_id", "node_id", "sequence" and "hlc".
struct SyncBatch {
    std::string batch_id;
    std::string node_id;
    std::vector<Value> events;
};

struct PushResult {
    TransportStatus status = TransportStatus::failed;
    std::vector<std::string> acknowledged_event_ids;  ///< applied or already known at HQ
    std::string message;
};

struct PullResult {
    TransportStatus status = TransportStatus::failed;
    std::int64_t revision = 0;     ///< newest revision included
    bool more = false;             ///< call again with `revision` for the rest
    std::vector<Value> changes;    ///< master-data changes in revision order
    std::string message;
};

class SyncTransport {
public:
    virtual ~SyncTransport();
    /// Stable id, e.g. "http" or "file".
    virtual std::string id() const = 0;
    virtual PushResult push(const SyncBatch& batch, std::int64_t timeout_ms) = 0;
    virtual PullResult pull(std::int64_t since_revision, std::int64_t timeout_ms) = 0;
    /// Called with the newest revision HQ announces, when the transport can
    /// hear announcements (e.g. a WebSocket). Optional: the default ignores it.
    using NotifyHandler = std::function<void(std::int64_t revision)>;
    virtual void set_notify_handler(NotifyHandler handler);
};

}  // namespace till::sdk
