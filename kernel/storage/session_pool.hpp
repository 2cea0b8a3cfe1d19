// A Poco::Data::SessionPool that (1) runs a setup function on every session
// it creates (SQLite pragmas), and (2) makes callers wait for a free session
// instead of throwing SessionPoolExhaustedException. Internal to till_storage.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

namespace Poco::Data {
class Session;
}

namespace till::storage::detail {

class SessionPool;

/// One session taken from the pool; given back when destroyed. Move-only.
class SessionLease {
public:
    SessionLease(SessionLease&&) noexcept;
    ~SessionLease();
    Poco::Data::Session& session() noexcept { return *session_; }

private:
    friend class SessionPool;
    SessionLease(SessionPool& pool, std::unique_ptr<Poco::Data::Session> session);
    SessionPool* pool_;
    std::unique_ptr<Poco::Data::Session> session_;
};

class SessionPool {
public:
    using Setup = std::function<void(Poco::Data::Session&)>;
    /// Nothing connects yet. `setup` runs once on each new session (inside
    /// the pool's lock) and may throw to refuse the session.
    SessionPool(const std::string& connector, const std::string& connection_string, int size, Setup setup);
    ~SessionPool();
    SessionPool(const SessionPool&) = delete;
    SessionPool& operator=(const SessionPool&) = delete;

    /// Waits up to `wait` for a free slot. Throws StorageFailure when none
    /// frees up, or whatever connecting throws (a Poco exception).
    SessionLease acquire(std::chrono::milliseconds wait);

private:
    friend class SessionLease;
    void release() noexcept;
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace till::storage::detail
