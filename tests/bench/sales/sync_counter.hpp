// Counts the fsyncs SQLite asks for, per kind of file, by wrapping the
// default VFS (a shim installed as the new default before any database is
// opened; every connection in the process then goes through it, Poco's
// included, since Poco::DataSQLite links the same libsqlite3).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>

namespace till::bench {

struct SyncCounts {
    std::int64_t wal = 0;     ///< xSync on a -wal file
    std::int64_t db = 0;      ///< xSync on a main database file (checkpoints)
    std::int64_t other = 0;   ///< journals, temp files
    std::int64_t total() const { return wal + db + other; }
};

inline SyncCounts operator-(const SyncCounts& a, const SyncCounts& b) {
    return {a.wal - b.wal, a.db - b.db, a.other - b.other};
}

class SyncCounter {
public:
    /// Registers the counting VFS as SQLite's default; nullptr if SQLite refused.
    static std::unique_ptr<SyncCounter> install();
    ~SyncCounter();  ///< unregisters it (no connection may still use it)
    SyncCounter(const SyncCounter&) = delete;
    SyncCounter& operator=(const SyncCounter&) = delete;

    SyncCounts counts() const noexcept;

    struct Impl;

private:
    SyncCounter();
    std::unique_ptr<Impl> impl_;
};

}  // namespace till::bench
