// The transport seam for the engine's tests: a real sdk::SyncTransport that
// keeps what it is pushed like a tiny HQ would (each event once, by id), serves
// a list of master-data changes to pull, and can be told to misbehave —
// offline, unauthorised, rejected, failed, or losing acknowledgements. Not a
// mock of a shipped part: the shipped transports are plugins tested on their
// own (tests/plugins/sync_http, sync_file).
#pragma once

#include <cstdint>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "till/sdk/sync_transport.hpp"

namespace till::test {

class TestTransport final : public sdk::SyncTransport {
public:
    std::string id() const override { return "test"; }
    sdk::PushResult push(const sdk::SyncBatch& batch, std::int64_t timeout_ms) override;
    sdk::PullResult pull(std::int64_t since_revision, std::int64_t timeout_ms) override;
    void set_notify_handler(NotifyHandler handler) override;

    /// What push and pull answer (ok: behave like HQ).
    void set_mode(sdk::TransportStatus mode, std::string message = {});
    /// Answer ok but leave out the acknowledgements of the last `count`
    /// events of each batch (they are still held, as if the answer was lost).
    void lose_last_acks(std::size_t count);
    /// The changes pull serves (with "revision" members, ascending).
    void set_changes(std::vector<sdk::Value> changes, std::size_t page_size);
    /// Calls the engine's notify handler (as a WebSocket notification would).
    void announce(std::int64_t revision);
    bool has_notify_handler() const;

    std::vector<sdk::SyncBatch> batches() const;  ///< every push received, in order
    std::vector<sdk::Value> held() const;         ///< events held, each once, in arrival order
    std::vector<std::int64_t> pull_sinces() const;

private:
    mutable std::mutex mutex_;
    sdk::TransportStatus mode_ = sdk::TransportStatus::ok;
    std::string message_;
    std::size_t lose_acks_ = 0;
    std::vector<sdk::Value> changes_;
    std::size_t page_size_ = 100;
    NotifyHandler handler_;
    std::vector<sdk::SyncBatch> batches_;
    std::vector<sdk::Value> held_;
    std::set<std::string> held_ids_;
    std::vector<std::int64_t> pull_sinces_;
};

}  // namespace till::test
