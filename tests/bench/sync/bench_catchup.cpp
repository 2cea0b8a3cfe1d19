// Benchmark (a) of issue 5: a store with N queued sales (5 lines each)
// catching up with HQ, against PostgreSQL COPY of the same rows.
//
//   build/tests/bench/sync/bench_sync_catchup [sales=100000] [batch_max_events=5000]
//
// 1. HQ (tilld role hq, hq_sync) on a PostgreSQL started here; a store
//    (tilld role store, SQLite, sync_http) sells 8 real sales through the API
//    and pushes them: their outbox events are the templates.
// 2. With the store stopped, N sales' worth of events (the templates with
//    fresh ids) are appended through the real outbox code
//    (sync::SyncReplicationLog::append) to the store's SQLite file, 1000
//    sales per transaction.
// 3. The store starts with sync.batch_max_events = batch; timed from its
//    launch until HQ acknowledged the last sequence and the store's
//    GET /api/v1/sync/status says queue_depth 0. HQ must then
//    hold every sale once (sync_hq_orders) with the expected total.
// 4. Limit: the same rows (sync_hq_events and sync_hq_orders of those sales)
//    exported and COPYed into scratch tables with the same indexes.
#include <cstdio>
#include <filesystem>
#include <map>
#include <string>

#include "bench_world.hpp"
#include "sale_template.hpp"
#include "storage/database.hpp"
#include "support/test_postgres.hpp"
#include "sync/replication_log.hpp"

namespace {

using namespace till;
using namespace till::bench;

class WallClock final : public sdk::Clock {
public:
    std::int64_t now_utc_ms() const noexcept override {
        return std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::system_clock::now().time_since_epoch())
            .count();
    }
    std::int64_t monotonic_ms() const noexcept override {
        return std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::steady_clock::now().time_since_epoch())
            .count();
    }
};

struct Filled {
    std::int64_t events = 0;
    std::int64_t lines = 0;
    std::int64_t total_minor = 0;
    double seconds = 0;
};

Filled fill_outbox(const Store& store, const std::vector<SaleTemplate>& templates, int sales) {
    WallClock clock;
    storage::StorageSettings settings;
    settings.url = "sqlite:" + store.db_path();
    settings.data_dir = store.data_dir();
    settings.pool_size = 1;
    auto db = storage::Database::open(settings);
    require(db.ok(), "open store db: " + db.status().message());
    sync::ReplicationSettings rs;
    rs.role = sdk::NodeRole::store;
    rs.node_id = store.id();
    rs.sync_enabled = true;
    sync::SyncReplicationLog log(rs, clock);
    require(log.start(**db).ok(), "sync migrations");
    domain::IdGenerator ids(clock);
    Filled out;
    const auto start = Clock::now();
    constexpr int per_tx = 1000;
    for (int first = 0; first < sales; first += per_tx) {
        const int last = std::min(sales, first + per_tx);
        auto done = (*db)->transaction([&](sdk::SqlExecutor& tx) -> sdk::Status {
            for (int s = first; s < last; ++s) {
                const SaleTemplate& t = templates[static_cast<std::size_t>(s) % templates.size()];
                for (auto& e : t.instance(ids)) {
                    auto payload = sdk::Value::parse_json(e.payload_json);
                    if (!payload) return payload.status();
                    domain::ReplicatedChange change{e.type, e.entity_id, std::move(*payload), false};
                    if (auto st = log.append(tx, change); !st) return st;
                    ++out.events;
                }
                out.lines += static_cast<std::int64_t>(t.lines());
                out.total_minor += t.total_minor();
            }
            return {};
        });
        require(done.ok(), "fill outbox: " + done.message());
    }
    out.seconds = seconds_since(start);
    return out;
}

int run(int sales, std::int64_t batch) {
    std::printf("sync catch-up benchmark: %d sales, sync.batch_max_events %lld\n", sales,
                static_cast<long long>(batch));
    Hq hq;
    hq.start();
    hq.seed_catalog();
    const std::string store_id = "store-bench";
    Store store(hq, store_id, hq.issue_token(store_id));
    store.start();
    constexpr int template_sales = 8;
    sell_template_sales(store, template_sales);
    store.stop();
    const auto outbox = read_outbox(store.db_path());
    const auto templates = sale_templates(outbox);
    require(templates.size() == template_sales, "expected 8 sale templates");
    std::map<std::string, int> kinds;
    for (const auto& e : outbox) ++kinds[e.type];
    std::printf("templates: %zu real sales, %zu events in the outbox (", templates.size(), outbox.size());
    for (const auto& [k, n] : kinds) std::printf(" %s=%d", k.c_str(), n);
    std::printf(" ), %zu events per sale, %zu lines per sale, sale payload %zu bytes\n", templates[0].events(),
                templates[0].lines(), outbox.back().payload_json.size());
    const std::int64_t held_before = hq.sql_int("SELECT count(*) FROM sync_hq_events");
    const std::int64_t max_seq_before =
        hq.sql_int("SELECT coalesce(max(sequence), 0) FROM sync_hq_events WHERE store_id = '" + store_id + "'");

    const Filled filled = fill_outbox(store, templates, sales);
    std::printf("outbox filled: %lld events (%d sales, %lld lines) in %.1f s through SyncReplicationLog::append "
                "(%.0f events/s)\n",
                static_cast<long long>(filled.events), sales, static_cast<long long>(filled.lines), filled.seconds,
                static_cast<double>(filled.events) / filled.seconds);

    store.write_config(true, batch);
    const auto start = Clock::now();
    store.start();
    const double started_s = seconds_since(start);
    // Waits on HQ's acknowledged_sequence (one indexed row, once a second),
    // then confirms with the store's status: GET /api/v1/sync/status counts
    // the whole unsent queue on each call (see docs/performance.md), so
    // polling it during the catch-up would slow the store down.
    const std::int64_t last_sequence = max_seq_before + filled.events;
    const int timeout_ms = 3600 * 1000;
    const bool acked = wait_until(
        [&] {
            return hq.sql_int("SELECT coalesce(max(acknowledged_sequence), 0) FROM sync_hq_stores WHERE store_id = '" +
                              store_id + "'") >= last_sequence;
        },
        timeout_ms, 1000);
    require(acked, "HQ did not acknowledge everything within an hour:\n" + store.log());
    const bool drained = wait_until([&] { return store.status()["queue_depth"].as_int() == 0; }, 60000, 100);
    const double total_s = seconds_since(start);
    require(drained, "the store's queue_depth did not reach 0:\n" + store.log());
    const std::int64_t hq_sales = hq.sql_int("SELECT count(*) FROM sync_hq_orders WHERE store_id = '" + store_id +
                                             "' AND kind = 'sale'");
    const std::int64_t hq_distinct = hq.sql_int("SELECT count(DISTINCT order_id) FROM sync_hq_orders WHERE store_id = '" +
                                                store_id + "' AND kind = 'sale'");
    const std::int64_t hq_events = hq.sql_int("SELECT count(*) FROM sync_hq_events") - held_before;
    std::int64_t template_total = 0;
    for (const auto& t : templates) template_total += t.total_minor();
    const std::int64_t hq_total = hq.sql_int(
        "SELECT coalesce(sum(total_minor), 0) FROM sync_hq_orders WHERE store_id = '" + store_id +
        "' AND kind = 'sale'");
    const double events_per_s = static_cast<double>(filled.events) / total_s;
    std::printf("catch-up: %lld events (%d sales) in %.1f s from the store's launch (start %.1f s) = %.0f events/s, "
                "%.0f sales/s\n",
                static_cast<long long>(filled.events), sales, total_s, started_s, events_per_s, sales / total_s);
    std::printf("HQ: %lld sales held (%lld distinct, expected %d), %lld new events (expected %lld), total %lld "
                "(expected %lld)\n",
                static_cast<long long>(hq_sales), static_cast<long long>(hq_distinct), sales + template_sales,
                static_cast<long long>(hq_events), static_cast<long long>(filled.events),
                static_cast<long long>(hq_total), static_cast<long long>(filled.total_minor + template_total));
    require(hq_sales == sales + template_sales && hq_distinct == hq_sales, "HQ does not hold every sale once");
    require(hq_events == filled.events, "HQ does not hold every event once");
    require(hq_total == filled.total_minor + template_total, "HQ's total differs from the store's");
    store.stop();

    // The limit: COPY of the same rows (events + order projections of the
    // synthetic sales) into scratch tables with the same indexes.
    auto& pg = test::TestPostgres::shared();
    const std::string dir = "/tmp/till-bench-copy-" + std::to_string(::getpid());
    std::filesystem::create_directories(dir);
    std::filesystem::permissions(dir, std::filesystem::perms::all);
    const std::string events_file = dir + "/events.copy";
    const std::string orders_file = dir + "/orders.copy";
    const std::string where = "store_id = '" + store_id + "' AND source_sequence > " + std::to_string(max_seq_before);
    hq.sql("COPY (SELECT * FROM sync_hq_events WHERE store_id = '" + store_id + "' AND sequence > " +
           std::to_string(max_seq_before) + ") TO '" + events_file + "'");
    hq.sql("COPY (SELECT * FROM sync_hq_orders WHERE " + where + ") TO '" + orders_file + "'");
    hq.sql("CREATE TABLE bench_copy_events (LIKE sync_hq_events INCLUDING ALL); "
           "CREATE TABLE bench_copy_orders (LIKE sync_hq_orders INCLUDING ALL)");
    const auto psql_start = Clock::now();
    pg.psql(hq.dbname(), "SELECT 1");
    const double psql_s = seconds_since(psql_start);
    const auto copy_start = Clock::now();
    pg.psql(hq.dbname(), "COPY bench_copy_events FROM '" + events_file + "'; COPY bench_copy_orders FROM '" +
                             orders_file + "'");
    const double copy_s = seconds_since(copy_start) - psql_s;
    const std::int64_t copied_events = hq.sql_int("SELECT count(*) FROM bench_copy_events");
    const std::int64_t copied_orders = hq.sql_int("SELECT count(*) FROM bench_copy_orders");
    const std::int64_t bytes = hq.sql_int(
        "SELECT pg_total_relation_size('bench_copy_events') + pg_total_relation_size('bench_copy_orders')");
    std::filesystem::remove_all(dir);
    std::printf("COPY limit: %lld event rows + %lld order rows (%.0f MB with indexes) in %.2f s = %.0f events/s "
                "(psql start-up %.2f s subtracted)\n",
                static_cast<long long>(copied_events), static_cast<long long>(copied_orders), bytes / 1e6, copy_s,
                static_cast<double>(copied_events) / copy_s, psql_s);
    std::printf("ratio: sync catch-up takes %.1fx the COPY time (%.1f%% of COPY's rate)\n", total_s / copy_s,
                100.0 * copy_s / total_s);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    std::setvbuf(stdout, nullptr, _IOLBF, 0);  // progress visible when redirected
    try {
        const int sales = argc > 1 ? std::stoi(argv[1]) : 100000;
        const std::int64_t batch = argc > 2 ? std::stoll(argv[2]) : 5000;
        if (sales < 1 || batch < 1) throw std::runtime_error("usage: bench_sync_catchup [sales>0] [batch>0]");
        return run(sales, batch);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_sync_catchup: %s\n", e.what());
        return 1;
    }
}
