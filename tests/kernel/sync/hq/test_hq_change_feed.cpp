// The change feed: revisions 1, 2, 3, ... paged by changes_since; a reader
// following the feed while several writers append never skips a revision
// (commit order, PostgreSQL); a revision committed by one hub reaches the
// revision handlers of another hub on the same database (LISTEN/NOTIFY), and
// on SQLite through polling.
#include "hq_rig.hpp"

#include "sync/hq/hq_schema.hpp"

#include <mutex>
#include <set>

using namespace till;
using namespace till::sync::hq;
using namespace till::sync::hq::testing;

namespace {

sdk::Value product(const std::string& id, std::int64_t price_minor) {
    sdk::Value p = sdk::Value::map();
    p.set("id", id);
    p.set("price_minor", price_minor);
    return p;
}

}  // namespace

TEST_CASE("hq change feed: revisions in order, paged, pull recorded", "[sync][hq]") {
    for_each_backend("hq_feed_pages", [](Backend backend, const std::string& hint) {
        HqRig rig(fresh_place(backend, hint));
        CHECK(*rig.hub->current_revision() == 0);
        for (int i = 1; i <= 7; ++i) CHECK(rig.append_change("product", "P" + std::to_string(i), product("P", i)) == i);
        CHECK(*rig.hub->current_revision() == 7);

        auto first = rig.hub->changes_since("store-001", 0, 3);
        REQUIRE(first.status == sdk::TransportStatus::ok);
        REQUIRE(first.changes.size() == 3);
        CHECK(first.more);
        CHECK(first.revision == 3);
        CHECK(first.changes[0]["revision"].as_int() == 1);
        CHECK(first.changes[0]["type"].as_string() == "product");
        CHECK(first.changes[0]["entity_id"].as_string() == "P1");
        CHECK(first.changes[0]["payload"]["price_minor"].as_int() == 1);
        CHECK(first.changes[0]["created_utc_ms"].is_int());

        auto rest = rig.hub->changes_since("store-001", first.revision, 100);
        REQUIRE(rest.status == sdk::TransportStatus::ok);
        CHECK(rest.changes.size() == 4);
        CHECK_FALSE(rest.more);
        CHECK(rest.revision == 7);

        auto none = rig.hub->changes_since("store-001", 7, 100);
        CHECK(none.changes.empty());
        CHECK(none.revision == 7);
        CHECK_FALSE(none.more);
        CHECK(rig.dump("SELECT pull_revision FROM sync_hq_stores WHERE store_id = 'store-001'") == "[[7]]");

        CHECK(rig.hub->changes_since("store-001", -1, 10).status == sdk::TransportStatus::rejected);
    });
}

TEST_CASE("hq change feed: max changes per pull is capped by hq_max_pull_changes", "[sync][hq]") {
    HqSettings settings;
    settings.max_pull_changes = 2;
    HqRig rig(fresh_place(Backend::sqlite, "hq_feed_cap"), settings);
    for (int i = 0; i < 5; ++i) rig.append_change("department", "D" + std::to_string(i), sdk::Value::map());
    auto page = rig.hub->changes_since("store-001", 0, 1000);
    CHECK(page.changes.size() == 2);
    CHECK(page.more);
}

TEST_CASE("hq change feed: a follower never skips a revision under concurrent writers (PostgreSQL)",
          "[sync][hq][postgresql]") {
    HqRig rig(fresh_place(Backend::postgresql, "hq_feed_concurrent"));
    constexpr int kWriters = 4;
    constexpr int kPerWriter = 40;
    std::vector<std::thread> writers;
    for (int w = 0; w < kWriters; ++w)
        writers.emplace_back([&, w] {
            for (int i = 0; i < kPerWriter; ++i) {
                auto st = rig.db->transaction([&](sdk::SqlExecutor& tx) -> sdk::Status {
                    auto r = rig.feed->append(tx, {"product", "W" + std::to_string(w), product("x", i), false});
                    if (!r) return r.status();
                    // Work after the append, while the counter row is locked.
                    return tx.query("SELECT COUNT(*) FROM sync_hq_changes").status();
                });
                REQUIRE(st.ok());
            }
        });
    std::int64_t cursor = 0;
    std::string problem;
    for (int spins = 0; spins < 100000 && cursor < kWriters * kPerWriter; ++spins) {
        auto page = rig.hub->changes_since("follower", cursor, 7);
        REQUIRE(page.status == sdk::TransportStatus::ok);
        for (const auto& c : page.changes) {
            if (c["revision"].as_int() != cursor + 1 && problem.empty())
                problem = "after " + std::to_string(cursor) + " came " + std::to_string(c["revision"].as_int());
            cursor = c["revision"].as_int();
        }
    }
    for (auto& t : writers) t.join();
    CHECK(problem.empty());
    CHECK(cursor == kWriters * kPerWriter);
    CHECK(rig.count("sync_hq_changes") == kWriters * kPerWriter);
}

TEST_CASE("hq change feed: a revision committed on one HQ node reaches the other's handlers", "[sync][hq]") {
    for_each_backend("hq_feed_notify", [](Backend backend, const std::string& hint) {
        Place shared = fresh_place(backend, hint);
        HqRig writer(shared);
        HqRig reader(shared);
        std::mutex m;
        std::vector<std::int64_t> seen_a, seen_b;
        reader.hub->set_revision_handler("plugin-a", [&](std::int64_t rev) {
            std::lock_guard lock(m);
            seen_a.push_back(rev);
        });
        reader.hub->set_revision_handler("plugin-b", [&](std::int64_t rev) {
            std::lock_guard lock(m);
            seen_b.push_back(rev);
        });
        writer.append_change("product", "P1", product("P1", 100));
        REQUIRE(eventually([&] {
            std::lock_guard lock(m);
            return !seen_a.empty() && seen_a.back() == 1 && !seen_b.empty();
        }));

        // Several quickly: the handlers end at the newest, in increasing order.
        for (int i = 2; i <= 5; ++i) writer.append_change("product", "P" + std::to_string(i), product("P", i));
        REQUIRE(eventually([&] {
            std::lock_guard lock(m);
            return seen_a.back() == 5;
        }));
        {
            std::lock_guard lock(m);
            CHECK(std::is_sorted(seen_a.begin(), seen_a.end()));
            CHECK(std::set<std::int64_t>(seen_a.begin(), seen_a.end()).size() == seen_a.size());
        }

        // A removed handler is not called again.
        reader.hub->set_revision_handler("plugin-b", {});
        std::size_t b_calls = 0;
        {
            std::lock_guard lock(m);
            b_calls = seen_b.size();
        }
        writer.append_change("product", "P6", product("P6", 6));
        REQUIRE(eventually([&] {
            std::lock_guard lock(m);
            return seen_a.back() == 6;
        }));
        std::lock_guard lock(m);
        CHECK(seen_b.size() == b_calls);
    });
}

TEST_CASE("hq change feed: the PostgreSQL listener uses LISTEN", "[sync][hq][postgresql]") {
    Place place = fresh_place(Backend::postgresql, "hq_feed_listen");
    auto db = storage::Database::open(place.settings);
    REQUIRE(db.ok());
    TestClock clock;
    ChangeFeed feed(**db, clock);
    REQUIRE(apply_hq_migrations(**db).ok());
    RevisionListenerSettings ls;
    ls.postgres_conninfo = *postgres_conninfo(place.settings.url);
    ls.postgres_check_ms = 600000;  // no safety-net reads during the test: only NOTIFY can report
    std::atomic<std::int64_t> last{0};
    RevisionListener listener(feed, ls, nullptr, [&](std::int64_t rev) { last = rev; });
    REQUIRE(listener.start().ok());
    REQUIRE(eventually([&] { return listener.listening(); }));
    auto st = (*db)->transaction(
        [&](sdk::SqlExecutor& tx) { return feed.append(tx, {"user", "U1", sdk::Value::map(), false}).status(); });
    REQUIRE(st.ok());
    CHECK(eventually([&] { return last.load() == 1; }));
    listener.stop();
}
