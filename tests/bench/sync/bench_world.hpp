// Real processes for the sync benchmarks (a) catch-up and (b) 50 stores:
// one HQ tilld (role hq, hq_sync) on a PostgreSQL started for the run
// (support/test_postgres.hpp), store tilld processes on SQLite (sync_http),
// tokens from `tillctl hq token issue`. Like tests/integration/sync_world.hpp
// but without Catch2: a failure throws std::runtime_error (a benchmark is a
// plain program with its own arguments).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "support/child_process.hpp"
#include "support/temp_dir.hpp"
#include "till/sdk/value.hpp"

namespace till::bench {

using Clock = std::chrono::steady_clock;

inline double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

/// Throws std::runtime_error(what) when `ok` is false.
void require(bool ok, const std::string& what);

/// Polls `done` every `poll_ms` until true or `timeout_ms` passed.
bool wait_until(const std::function<bool()>& done, int timeout_ms, int poll_ms = 50);

/// One JSON call; throws when the node cannot be reached.
struct Reply {
    int status = 0;
    std::string body;
    sdk::Value json;
};
Reply call(int port, const std::string& token, const std::string& method, const std::string& path,
           const std::string& json_body = {});

/// A tilld process whose data dir is <dir>/data.
class Process {
public:
    explicit Process(const std::string& hint) : dir_(hint) {}
    virtual ~Process();
    void start();  ///< launches, waits for the port and the admin login
    void stop();   ///< SIGTERM, waits for a clean exit
    int port() const noexcept { return port_; }
    const std::string& admin() const noexcept { return admin_; }
    std::string log() const;
    std::string config_path() const { return dir_.file("node.yaml"); }
    std::string data_dir() const { return dir_.file("data"); }
    till::test::TempDir& dir() noexcept { return dir_; }

protected:
    std::string admin_data_dir_;  ///< whose initial-admin-pin logs in ("" = own)

private:
    till::test::TempDir dir_;
    std::unique_ptr<till::test::ChildProcess> child_;
    int port_ = 0;
    std::string admin_;
};

/// HQ on its own database of the shared PostgreSQL, hq_sync on `sync_port()`.
class Hq final : public Process {
public:
    /// `sync_extra`: more lines under `sync:` (e.g. "  hq_max_batch_events: 5000\n").
    explicit Hq(const std::string& sync_extra = {});
    int sync_port() const noexcept { return sync_port_; }
    const std::string& dbname() const noexcept { return dbname_; }
    std::string issue_token(const std::string& store_id);
    /// psql -At on HQ's database.
    std::string sql(const std::string& query) const;
    std::int64_t sql_int(const std::string& query) const;
    /// HQ's master data: cashier alice (PIN 1111), department, tax class, and
    /// five products (MUG, PEN, TEE, CAP, BAG).
    void seed_catalog();

private:
    int sync_port_ = 0;
    std::string dbname_;
};

/// A store on SQLite pushing to HQ through sync_http.
class Store final : public Process {
public:
    Store(const Hq& hq, std::string store_id, std::string token);
    /// Rewrites node.yaml: sync enabled or not, `batch_max_events`.
    void write_config(bool sync_enabled, std::int64_t batch_max_events);
    const std::string& id() const noexcept { return id_; }
    std::string db_path() const { return data_dir() + "/till.db"; }
    /// GET /api/v1/sync/status (admin).
    sdk::Value status();
    /// alice logged in at T1 (users come from HQ), the cash method, T1 opened.
    void prepare_cashier();
    /// One sale with one line per (sku, qty_milli), paid exactly in cash;
    /// returns its total.
    std::int64_t sell(const std::vector<std::pair<std::string, std::int64_t>>& lines);

private:
    std::string id_;
    std::string token_;
    int hq_sync_port_ = 0;
    std::string cashier_;
    std::string cash_;
};

/// A store with a few real sales sold through the API and pushed to `hq`;
/// returns the payloads of its outbox ("sale" events and any others a sale
/// produced), as {type, payload JSON text}, oldest first. The store is
/// stopped when this returns; its database stays in `store`.
struct CapturedEvent {
    std::string type;
    std::string entity_id;
    std::string payload_json;
};
std::vector<CapturedEvent> read_outbox(const std::string& sqlite_path);

}  // namespace till::bench
