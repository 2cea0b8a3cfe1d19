// sync_file on an HQ node: imports stores' events bundles and writes each
// store a master bundle.
//
// A thread scans import_dir every poll interval. Each events bundle is
// checked (header, signature with SyncHub::bundle_key(store), body), applied
// through SyncHub::apply_batch (in chunks of import_chunk_events), then moved
// to import_dir/done/; a bad one goes to import_dir/rejected/ with a .reason
// file beside it; one HQ cannot apply now (storage fault) stays for the next
// scan. After an import, and after every new master-data revision, the store
// gets export_dir/<store>.till-bundle: the changes since the revision its
// last events bundle carried, and HQ's acknowledged sequence for it.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include <till/sdk/clock.hpp>
#include <till/sdk/logger.hpp>
#include <till/sdk/sync_hub.hpp>

namespace till::sync_file {

/// Store ids name files: letters, digits, '.', '_' and '-', not starting with '.'.
bool safe_store_id(const std::string& id);

struct HqExchangeOptions {
    std::string node_id;
    std::string import_dir;  ///< absolute
    std::string export_dir;  ///< absolute
    std::int64_t poll_interval_ms = 2000;
    std::int64_t import_chunk_events = 5000;
    std::int64_t max_master_changes = 100000;
    std::size_t max_body_bytes = 512u * 1024u * 1024u;
};

/// Counters for status and tests.
struct HqExchangeStats {
    std::int64_t imported_bundles = 0;
    std::int64_t rejected_bundles = 0;
    std::int64_t master_bundles_written = 0;
    std::int64_t scans = 0;
};

class HqBundleExchange {
public:
    HqBundleExchange(HqExchangeOptions options, sdk::SyncHub& hub, sdk::Clock& clock, sdk::Logger& logger);
    ~HqBundleExchange();  ///< stops
    HqBundleExchange(const HqBundleExchange&) = delete;
    HqBundleExchange& operator=(const HqBundleExchange&) = delete;

    /// Learns the stores that already have a master bundle in export_dir,
    /// then starts the scanning thread.
    void start();
    void stop() noexcept;
    /// A new revision: rewrite every known store's master bundle (from the
    /// thread, soon). Safe from any thread.
    void on_revision(std::int64_t revision);
    /// One scan now, on the caller's thread (tests; the thread does the same).
    void scan_once();

    HqExchangeStats stats() const;

private:
    void run();
    void import_one(const std::string& path);
    void reject(const std::string& path, const std::string& reason);
    void write_master(const std::string& store_id, std::int64_t since_revision);
    void load_known_stores();

    HqExchangeOptions options_;
    sdk::SyncHub& hub_;
    sdk::Clock& clock_;
    sdk::Logger& logger_;
    std::mutex work_mutex_;  ///< one scan at a time
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    bool revision_pending_ = false;
    std::map<std::string, std::int64_t> store_cursors_;  ///< store → since_revision of its master bundle
    HqExchangeStats stats_;
    std::thread thread_;
};

}  // namespace till::sync_file
