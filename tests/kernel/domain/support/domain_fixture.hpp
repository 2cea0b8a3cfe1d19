// A domain under test: a real database (SQLite in a temp dir, or a fresh
// database on the shared throwaway PostgreSQL), a real event bus that records
// what was published, a settable clock, an empty capability registry (add
// plugin capabilities to it, or load real plugins), default settings and an
// id generator — everything a DomainContext needs.
//
//   till::test::DomainFixture f;                 // SQLite
//   till::test::DomainFixture pg(Backend::postgresql);
//   CatalogService catalog(f.ctx());
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "domain/common/context.hpp"
#include "events/event_bus.hpp"
#include "plugin_host/capability_registry.hpp"
#include "storage/database.hpp"
#include "support/temp_dir.hpp"

namespace till::test {

/// A clock tests move by hand; starts at 2026-01-15 10:00:00 UTC.
class ManualClock final : public sdk::Clock {
public:
    std::int64_t now_utc_ms() const noexcept override;
    std::int64_t monotonic_ms() const noexcept override;
    void set_utc_ms(std::int64_t utc_ms) noexcept;
    void advance_ms(std::int64_t delta_ms) noexcept;

private:
    mutable std::mutex mutex_;
    std::int64_t now_ms_ = 1768471200000;
    std::int64_t mono_ms_ = 1000000;
};

/// Keeps every log line; thread-safe.
class RecordingLogger final : public sdk::Logger {
public:
    void log(sdk::LogLevel level, std::string_view message) noexcept override;
    bool enabled(sdk::LogLevel) const noexcept override { return true; }
    bool contains(const std::string& text) const;
    std::vector<std::string> lines() const;

private:
    mutable std::mutex mutex_;
    std::vector<std::string> lines_;
};

enum class Backend { sqlite, postgresql };

class DomainFixture {
public:
    explicit DomainFixture(Backend backend = Backend::sqlite);
    ~DomainFixture();

    /// The context to build services from. Settings may be changed before
    /// the services are built (sales(), auth()).
    domain::DomainContext& ctx() { return *ctx_; }
    /// Makes ctx() append replicated changes to `log` (kept by reference)
    /// instead of dropping them (NoReplication). Call before building
    /// services: it replaces the context object.
    void use_replication(domain::ReplicationLog& log);
    domain::SalesSettings& sales() { return sales_; }
    domain::AuthSettings& auth() { return auth_; }
    ManualClock& clock() { return clock_; }
    storage::Database& db() { return *db_; }
    plugin_host::CapabilityRegistry& registry() { return registry_; }
    events::EventBusImpl& bus() { return *bus_; }
    RecordingLogger& log() { return *logger_; }
    const std::string& data_dir() const { return dir_.path(); }
    Backend backend() const { return backend_; }

    /// Topics published so far, in order, and the events themselves.
    std::vector<std::string> topics() const;
    std::vector<sdk::Event> events() const;
    /// The last event with `topic`; a null-payload Event when none.
    sdk::Event last_event(const std::string& topic) const;

private:
    Backend backend_;
    TempDir dir_;
    ManualClock clock_;
    std::shared_ptr<RecordingLogger> logger_;
    std::unique_ptr<storage::Database> db_;
    std::unique_ptr<events::EventBusImpl> bus_;
    plugin_host::CapabilityRegistry registry_;
    domain::SalesSettings sales_;
    domain::AuthSettings auth_;
    std::unique_ptr<domain::IdGenerator> ids_;
    domain::NoReplication replication_;
    sdk::NodeInfo node_;
    std::unique_ptr<domain::DomainContext> ctx_;
    mutable std::mutex events_mutex_;
    std::vector<sdk::Event> events_;
};

/// The defaults of the `sales:` and `auth:` config sections, as the kernel
/// schema gives them (auth with pin_kdf_iterations lowered to 1000 so tests
/// run fast).
domain::SalesSettings default_sales_settings();
domain::AuthSettings default_auth_settings();

}  // namespace till::test
