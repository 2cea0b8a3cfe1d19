// sync_file on a store: the SyncTransport "file".
//
// push() writes the batch as a signed events bundle to
// export_dir/<node_id>.events.till-bundle (replacing the previous one: the
// engine always pushes the oldest unacknowledged events, so the newest file
// holds everything HQ has not confirmed yet) and acknowledges the events HQ's
// newest master bundle in import_dir confirms (sequence <= its
// acknowledged_sequence). pull() returns that bundle's changes after
// `since`. A bundle that is corrupt or signed with another key is reported
// (rejected, with the reason) and left where it is.
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>

#include <till/sdk/clock.hpp>
#include <till/sdk/logger.hpp>
#include <till/sdk/sync_transport.hpp>

namespace till::sync_file {

struct StoreFileOptions {
    std::string node_id;
    std::string export_dir;  ///< absolute
    std::string import_dir;  ///< absolute
    std::string token;       ///< inline token, or
    std::string token_file;  ///< absolute path read before each use
    std::size_t max_body_bytes = 512u * 1024u * 1024u;
};

class StoreFileTransport final : public sdk::SyncTransport {
public:
    StoreFileTransport(StoreFileOptions options, sdk::Clock& clock, sdk::Logger& logger);

    std::string id() const override { return "file"; }
    sdk::PushResult push(const sdk::SyncBatch& batch, std::int64_t timeout_ms) override;
    sdk::PullResult pull(std::int64_t since_revision, std::int64_t timeout_ms) override;

    /// The file push() writes.
    std::string export_path() const;

private:
    struct MasterBundle {
        std::string path;
        std::int64_t created_utc_ms = 0;
        std::int64_t since_revision = 0;
        std::int64_t revision = 0;
        std::int64_t acknowledged_sequence = 0;
        sdk::Value changes;
    };
    /// The newest master bundle for this store: nullopt when none; an error
    /// ("rejected" cases) when the newest one is unusable.
    sdk::Result<std::optional<MasterBundle>> newest_master(const std::string& key) const;
    sdk::Result<std::string> bundle_key() const;
    std::string events_bundle(const sdk::SyncBatch& batch, const std::string& key) const;

    StoreFileOptions options_;
    sdk::Clock& clock_;
    sdk::Logger& logger_;
    /// The cursor the engine last pulled with: carried in the events bundle
    /// so HQ knows which changes to send back. -1 until the first pull.
    std::atomic<std::int64_t> last_since_{-1};
};

}  // namespace till::sync_file
