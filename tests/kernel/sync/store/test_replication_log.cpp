// The replication log on a real SQLite file: outbox rows in the caller's
// transaction, gap-free sequences, HLC monotonic across restarts and clock
// jumps, direction and role rules, the master-data guard.
#include <catch2/catch.hpp>

#include <atomic>
#include <thread>

#include "domain_fixture.hpp"
#include "storage/database.hpp"
#include "storage/migrations.hpp"
#include "support/temp_dir.hpp"
#include "sync/hlc.hpp"
#include "sync/outbox.hpp"
#include "sync/replication_log.hpp"

using namespace till;
using till::sdk::Value;

namespace {

sync::ReplicationSettings store_settings(bool enabled = true, bool local_master = false) {
    sync::ReplicationSettings s;
    s.role = sdk::NodeRole::store;
    s.node_id = "store-001";
    s.sync_enabled = enabled;
    s.allow_local_master_data = local_master;
    return s;
}

std::unique_ptr<storage::Database> open_db(const test::TempDir& dir) {
    storage::StorageSettings settings;
    settings.data_dir = dir.path();
    auto db = storage::Database::open(settings);
    REQUIRE(db);
    return std::move(*db);
}

domain::ReplicatedChange sale(const std::string& id) {
    Value payload = Value::map();
    payload.set("order_id", id);
    payload.set("total_minor", 450);
    return {"sale", id, payload, false};
}

sdk::Status append_one(storage::Database& db, sync::SyncReplicationLog& log, const domain::ReplicatedChange& c) {
    return db.transaction([&](sdk::SqlExecutor& tx) { return log.append(tx, c); });
}

}  // namespace

TEST_CASE("upstream changes become outbox events with gap-free sequences in commit order", "[sync][outbox]") {
    test::TempDir dir("till-sync");
    auto db = open_db(dir);
    test::ManualClock clock;
    sync::SyncReplicationLog log(store_settings(), clock);
    REQUIRE(log.start(*db).ok());

    REQUIRE(append_one(*db, log, sale("o-1")).ok());
    // A transaction that fails after appending leaves no event and no used sequence.
    auto failed = db->transaction([&](sdk::SqlExecutor& tx) {
        auto s = log.append(tx, sale("o-rolled-back"));
        REQUIRE(s.ok());
        return sdk::Status::failure("conflict", "the sale failed later");
    });
    REQUIRE_FALSE(failed.ok());
    REQUIRE(append_one(*db, log, sale("o-2")).ok());
    REQUIRE(append_one(*db, log, {"z_report", "z-1", Value::map(), false}).ok());

    auto pending = sync::outbox_pending(*db, 100);
    REQUIRE(pending);
    REQUIRE(pending->size() == 3);
    CHECK((*pending)[0].sequence == 1);
    CHECK((*pending)[0].entity_id == "o-1");
    CHECK((*pending)[1].sequence == 2);
    CHECK((*pending)[1].entity_id == "o-2");
    CHECK((*pending)[2].sequence == 3);
    CHECK((*pending)[2].type == "z_report");
    CHECK((*pending)[2].high_priority);  // z_report is high priority whatever the caller said
    CHECK_FALSE((*pending)[0].high_priority);
    CHECK((*pending)[0].payload["total_minor"].as_int() == 450);
    CHECK((*pending)[0].hlc < (*pending)[1].hlc);
    CHECK((*pending)[1].hlc < (*pending)[2].hlc);

    const Value wire = (*pending)[0].to_wire("store-001");
    CHECK(wire["node_id"].as_string() == "store-001");
    CHECK(wire["sequence"].as_int() == 1);
    CHECK(wire["type"].as_string() == "sale");
    CHECK(wire["event_id"].as_string().size() == 36);
    CHECK(wire["created_utc_ms"].as_int() == clock.now_utc_ms());
    auto parsed = sync::parse_hlc_stamp(wire["hlc"].as_string());
    REQUIRE(parsed);
    CHECK(parsed->node_id == "store-001");
}

TEST_CASE("after a restart with the clock set back hours, sequence and hlc keep growing", "[sync][outbox]") {
    test::TempDir dir("till-sync");
    test::ManualClock clock;
    std::string last_hlc;
    {
        auto db = open_db(dir);
        sync::SyncReplicationLog log(store_settings(), clock);
        REQUIRE(log.start(*db).ok());
        for (int i = 0; i < 3; ++i) REQUIRE(append_one(*db, log, sale("o-" + std::to_string(i))).ok());
        auto pending = sync::outbox_pending(*db, 100);
        REQUIRE(pending);
        last_hlc = pending->back().hlc;
    }
    clock.set_utc_ms(clock.now_utc_ms() - 5LL * 3600 * 1000);
    auto db = open_db(dir);
    sync::SyncReplicationLog log(store_settings(), clock);
    REQUIRE(log.start(*db).ok());
    REQUIRE(append_one(*db, log, sale("after-restart")).ok());
    REQUIRE(append_one(*db, log, sale("after-restart-2")).ok());
    auto pending = sync::outbox_pending(*db, 100);
    REQUIRE(pending);
    REQUIRE(pending->size() == 5);
    CHECK((*pending)[3].sequence == 4);
    CHECK((*pending)[4].sequence == 5);
    CHECK((*pending)[3].hlc > last_hlc);
    CHECK((*pending)[4].hlc > (*pending)[3].hlc);
}

TEST_CASE("the store records upstream and customer changes, not master data", "[sync][outbox]") {
    test::TempDir dir("till-sync");
    auto db = open_db(dir);
    test::ManualClock clock;
    sync::SyncReplicationLog log(store_settings(), clock);
    REQUIRE(log.start(*db).ok());
    REQUIRE(append_one(*db, log, {"product", "LATTE", Value::map(), false}).ok());
    REQUIRE(append_one(*db, log, {"user", "u-1", Value::map(), false}).ok());
    REQUIRE(append_one(*db, log, {"customer", "c-1", Value::map(), false}).ok());
    REQUIRE(append_one(*db, log, {"stock_movement", "m-1", Value::map(), false}).ok());
    auto unknown = append_one(*db, log, {"sales", "x", Value::map(), false});
    REQUIRE_FALSE(unknown.ok());
    CHECK(unknown.error().code == "invalid_argument");
    CHECK(unknown.message() == "replication: unknown change type \"sales\"");
    auto pending = sync::outbox_pending(*db, 100);
    REQUIRE(pending);
    REQUIRE(pending->size() == 2);
    CHECK((*pending)[0].type == "customer");
    CHECK((*pending)[1].type == "stock_movement");
}

TEST_CASE("the outbox is kept when sync is disabled", "[sync][outbox]") {
    test::TempDir dir("till-sync");
    auto db = open_db(dir);
    test::ManualClock clock;
    sync::SyncReplicationLog log(store_settings(false), clock);
    REQUIRE(log.start(*db).ok());
    REQUIRE(append_one(*db, log, sale("o-1")).ok());
    auto stats = sync::outbox_stats(*db);
    REQUIRE(stats);
    CHECK(stats->queue_depth == 1);
    CHECK(stats->last_sequence == 1);
    CHECK(stats->acknowledged_sequence == 0);
}

TEST_CASE("acknowledged sequence is the end of the acknowledged prefix", "[sync][outbox]") {
    test::TempDir dir("till-sync");
    auto db = open_db(dir);
    test::ManualClock clock;
    sync::SyncReplicationLog log(store_settings(), clock);
    REQUIRE(log.start(*db).ok());
    for (int i = 0; i < 4; ++i) REQUIRE(append_one(*db, log, sale("o-" + std::to_string(i))).ok());
    auto pending = sync::outbox_pending(*db, 100);
    REQUIRE(pending);
    auto marked = db->transaction([&](sdk::SqlExecutor& tx) {
        return sync::outbox_mark_acked(tx, {(*pending)[0].event_id, (*pending)[2].event_id, "not-an-event"},
                                       clock.now_utc_ms())
            .status();
    });
    REQUIRE(marked.ok());
    auto stats = sync::outbox_stats(*db);
    REQUIRE(stats);
    CHECK(stats->queue_depth == 2);
    CHECK(stats->acknowledged_sequence == 1);
    CHECK(*stats->oldest_unsent_utc_ms == clock.now_utc_ms());
    auto left = sync::outbox_pending(*db, 100);
    REQUIRE(left);
    REQUIRE(left->size() == 2);
    CHECK((*left)[0].sequence == 2);
    CHECK((*left)[1].sequence == 4);
}

TEST_CASE("the queue depth is a kept counter: acks counted once, and an outbox from before it is counted on upgrade",
          "[sync][outbox]") {
    test::TempDir dir("till-sync");
    {
        // An outbox made by the first schema version, with three unsent rows and one sent.
        auto db = open_db(dir);
        const std::vector<sdk::Migration> first(sync::store_sync_migrations().begin(),
                                                sync::store_sync_migrations().begin() + 1);
        REQUIRE(storage::apply_migrations(*db, "sync", first).ok());
        for (int i = 1; i <= 4; ++i)
            REQUIRE(db->execute("INSERT INTO sync_outbox (sequence, event_id, type, entity_id, hlc, created_utc_ms,"
                                " payload, high_priority, acked_utc_ms) VALUES (?, ?, 'sale', 'o', 'h', ?, '{}', 0, ?)",
                                {Value(i), Value("e-" + std::to_string(i)), Value(1000 + i),
                                 i == 1 ? Value(5000) : Value()})
                        .ok());
        REQUIRE(db->execute("UPDATE sync_state SET last_sequence = 4").ok());
    }
    auto db = open_db(dir);
    test::ManualClock clock;
    sync::SyncReplicationLog log(store_settings(), clock);
    REQUIRE(log.start(*db).ok());
    auto stats = sync::outbox_stats(*db);
    REQUIRE(stats);
    CHECK(stats->queue_depth == 3);
    CHECK(stats->acknowledged_sequence == 1);
    CHECK(*stats->oldest_unsent_utc_ms == 1002);

    REQUIRE(append_one(*db, log, sale("o-5")).ok());
    for (int round = 0; round < 2; ++round) {  // the same acks twice: counted once
        auto marked = db->transaction([&](sdk::SqlExecutor& tx) {
            return sync::outbox_mark_acked(tx, {"e-2", "e-3"}, clock.now_utc_ms()).status();
        });
        REQUIRE(marked.ok());
    }
    stats = sync::outbox_stats(*db);
    REQUIRE(stats);
    CHECK(stats->queue_depth == 2);
    CHECK(stats->acknowledged_sequence == 3);
    CHECK(stats->last_sequence == 5);
}

TEST_CASE("a change with text HQ would refuse fails before it is queued, naming where", "[sync][outbox]") {
    test::TempDir dir("till-sync");
    auto db = open_db(dir);
    test::ManualClock clock;
    sync::SyncReplicationLog log(store_settings(), clock);
    REQUIRE(log.start(*db).ok());
    auto bad = sale("o-1");
    Value line = Value::map();
    line.set("note", std::string("caf\xc3", 4));  // a cut two-byte sequence
    Value lines = Value::list();
    lines.push_back(line);
    bad.payload.set("lines", lines);
    auto refused = append_one(*db, log, bad);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().code == "invalid_argument");
    CHECK_THAT(refused.message(), Catch::Contains("payload.lines[0].note: is not valid UTF-8 text"));
    auto nul = sale("o-2");
    nul.payload.set("currency", std::string("EU\0R", 4));
    auto refused_nul = append_one(*db, log, nul);
    REQUIRE_FALSE(refused_nul.ok());
    CHECK_THAT(refused_nul.message(), Catch::Contains("payload.currency: contains a NUL character"));
    // Nothing queued; real UTF-8 passes.
    auto stats = sync::outbox_stats(*db);
    REQUIRE(stats);
    CHECK(stats->queue_depth == 0);
    auto fine = sale("o-3");
    fine.payload.set("note", "Café Zürich ☕");
    REQUIRE(append_one(*db, log, fine).ok());
    stats = sync::outbox_stats(*db);
    REQUIRE(stats);
    CHECK(stats->queue_depth == 1);
}

TEST_CASE("master data is HQ's on a synced store unless local items are allowed", "[sync][outbox]") {
    test::ManualClock clock;
    sync::SyncReplicationLog synced(store_settings(true, false), clock);
    auto refused = synced.may_edit_master_data("product");
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().code == "forbidden");
    CHECK(refused.message() ==
          "master data (product) is managed at HQ on this store (sync.enabled); set "
          "sync.allow_local_master_data to edit it here");
    CHECK(sync::SyncReplicationLog(store_settings(true, true), clock).may_edit_master_data("product").ok());
    CHECK(sync::SyncReplicationLog(store_settings(false, false), clock).may_edit_master_data("user").ok());
}

TEST_CASE("HQ sends master data and customers to the change feed and ignores upstream changes", "[sync][outbox]") {
    test::TempDir dir("till-sync");
    auto db = open_db(dir);
    test::ManualClock clock;
    std::vector<std::string> fed;
    sync::ReplicationSettings settings;
    settings.role = sdk::NodeRole::hq;
    settings.node_id = "hq-1";
    settings.sync_enabled = false;
    sync::SyncReplicationLog log(settings, clock, [&](sdk::SqlExecutor&, const domain::ReplicatedChange& c) {
        fed.push_back(c.type + ":" + c.entity_id);
        return c.entity_id == "bad" ? sdk::Status::failure("storage_error", "feed down") : sdk::Status();
    });
    REQUIRE(log.start(*db).ok());
    CHECK(log.may_edit_master_data("product").ok());
    REQUIRE(append_one(*db, log, {"product", "LATTE", Value::map(), false}).ok());
    REQUIRE(append_one(*db, log, {"customer", "c-1", Value::map(), false}).ok());
    REQUIRE(append_one(*db, log, sale("o-1")).ok());
    CHECK_FALSE(append_one(*db, log, {"user", "bad", Value::map(), false}).ok());
    CHECK(fed == std::vector<std::string>{"product:LATTE", "customer:c-1", "user:bad"});
}

TEST_CASE("committed_high_priority calls the wake function while one is set", "[sync][outbox]") {
    test::ManualClock clock;
    sync::SyncReplicationLog log(store_settings(), clock);
    int woken = 0;
    log.committed_high_priority();
    log.set_wake([&] { ++woken; });
    log.committed_high_priority();
    log.set_wake({});
    log.committed_high_priority();
    CHECK(woken == 1);
}

TEST_CASE("the outbox works the same on PostgreSQL", "[sync][outbox][postgresql]") {
    test::DomainFixture f(test::Backend::postgresql);
    sync::SyncReplicationLog log(store_settings(), f.clock());
    REQUIRE(log.start(f.db()).ok());
    REQUIRE(log.start(f.db()).ok());  // migrations are idempotent
    for (int i = 0; i < 3; ++i) REQUIRE(append_one(f.db(), log, sale("o-" + std::to_string(i))).ok());
    auto failed = f.db().transaction([&](sdk::SqlExecutor& tx) {
        REQUIRE(log.append(tx, sale("rolled-back")).ok());
        return sdk::Status::failure("conflict", "later failure");
    });
    REQUIRE_FALSE(failed.ok());
    REQUIRE(append_one(f.db(), log, sale("o-3")).ok());
    auto pending = sync::outbox_pending(f.db(), 100);
    REQUIRE(pending);
    REQUIRE(pending->size() == 4);
    for (std::size_t i = 0; i < pending->size(); ++i) CHECK((*pending)[i].sequence == static_cast<std::int64_t>(i + 1));
    CHECK((*pending)[3].entity_id == "o-3");
    auto marked = f.db().transaction([&](sdk::SqlExecutor& tx) {
        return sync::outbox_mark_acked(tx, {(*pending)[0].event_id, (*pending)[1].event_id}, 5).status();
    });
    REQUIRE(marked.ok());
    auto stats = sync::outbox_stats(f.db());
    REQUIRE(stats);
    CHECK(stats->queue_depth == 2);
    CHECK(stats->acknowledged_sequence == 2);
    CHECK(stats->last_sequence == 4);
}

TEST_CASE("concurrent writers get distinct, gap-free sequences", "[sync][outbox]") {
    test::TempDir dir("till-sync");
    auto db = open_db(dir);
    test::ManualClock clock;
    sync::SyncReplicationLog log(store_settings(), clock);
    REQUIRE(log.start(*db).ok());
    constexpr int kThreads = 4;
    constexpr int kEach = 25;
    std::vector<std::thread> threads;
    std::atomic<int> failures{0};
    for (int t = 0; t < kThreads; ++t)
        threads.emplace_back([&, t] {
            for (int i = 0; i < kEach; ++i)
                if (!append_one(*db, log, sale("t" + std::to_string(t) + "-" + std::to_string(i))).ok()) ++failures;
        });
    for (auto& t : threads) t.join();
    CHECK(failures == 0);
    auto pending = sync::outbox_pending(*db, 1000);
    REQUIRE(pending);
    REQUIRE(pending->size() == kThreads * kEach);
    for (std::size_t i = 0; i < pending->size(); ++i) {
        CHECK((*pending)[i].sequence == static_cast<std::int64_t>(i + 1));
        if (i > 0) CHECK((*pending)[i].hlc > (*pending)[i - 1].hlc);
    }
}
