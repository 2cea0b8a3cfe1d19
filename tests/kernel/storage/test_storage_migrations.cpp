// apply_migrations on both backends.
#include <catch2/catch.hpp>

#include <thread>

#include "storage/migrations.hpp"
#include "storage_backends.hpp"

using namespace till;
using namespace till::storage;
using namespace till::storage::testing;

namespace {

std::vector<sdk::Migration> shop_migrations() {
    return {
        {1, "items", "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL); "
                     "INSERT INTO items (id, name) VALUES (1, 'tea; with lemon')", ""},
        {2, "prices",
         "-- a comment; with a semicolon\nALTER TABLE items ADD COLUMN price_minor BIGINT NOT NULL DEFAULT 0;", ""},
    };
}

std::int64_t count(Database& db, const std::string& sql, const std::vector<sdk::Value>& params = {}) {
    auto r = db.query(sql, params);
    INFO(sql << " -> " << (r ? std::string("ok") : describe_error(r.error())));
    REQUIRE(r.ok());
    return r->rows.at(0).at(0).as_int(-1);
}

bool table_exists(Database& db, const std::string& table) {
    return db.query("SELECT COUNT(*) FROM " + table).ok();
}

}  // namespace

TEST_CASE("migrations apply once and are recorded") {
    for_each_backend("migrations_once", [](Backend& b) {
        auto db = open_db(b.settings);
        auto v0 = applied_version(*db, "shop");
        REQUIRE(v0.ok());
        CHECK(*v0 == 0);
        auto st = apply_migrations(*db, "shop", shop_migrations());
        INFO(st.message());
        REQUIRE(st.ok());
        CHECK(*applied_version(*db, "shop") == 2);
        CHECK(count(*db, "SELECT COUNT(*) FROM schema_migrations WHERE module = ?", {"shop"}) == 2);
        auto rows = db->query("SELECT version, description, applied_utc_ms FROM schema_migrations "
                              "WHERE module = ? ORDER BY version", {"shop"});
        REQUIRE(rows.ok());
        CHECK(rows->rows.at(0).at(1) == sdk::Value("items"));
        CHECK(rows->rows.at(1).at(2).as_int() > 1600000000000);
        CHECK(count(*db, "SELECT COUNT(*) FROM items WHERE name = 'tea; with lemon'") == 1);

        // Re-running is a no-op (the INSERT would otherwise collide).
        auto again = apply_migrations(*db, "shop", shop_migrations());
        INFO(again.message());
        CHECK(again.ok());
        CHECK(count(*db, "SELECT COUNT(*) FROM items") == 1);
        CHECK(count(*db, "SELECT COUNT(*) FROM schema_migrations") == 2);

        // Adding a third later applies only the third.
        auto three = shop_migrations();
        three.push_back({3, "stock", "CREATE TABLE stock (item_id INTEGER, qty_milli BIGINT)", ""});
        REQUIRE(apply_migrations(*db, "shop", three).ok());
        CHECK(*applied_version(*db, "shop") == 3);
        CHECK(table_exists(*db, "stock"));
    });
}

TEST_CASE("a failing migration rolls back entirely") {
    for_each_backend("migrations_rollback", [](Backend& b) {
        auto db = open_db(b.settings);
        std::vector<sdk::Migration> bad{
            {1, "good", "CREATE TABLE first_table (a BIGINT)", ""},
            {2, "bad", "CREATE TABLE half_done (a BIGINT); INSERT INTO nowhere VALUES (1)", ""},
        };
        auto st = apply_migrations(*db, "m", bad);
        REQUIRE_FALSE(st.ok());
        CHECK_THAT(st.message(), Catch::Contains("migration 2 (bad)") && Catch::Contains("nowhere"));
        CHECK(table_exists(*db, "first_table"));
        CHECK_FALSE(table_exists(*db, "half_done"));
        CHECK(*applied_version(*db, "m") == 1);
        CHECK(count(*db, "SELECT COUNT(*) FROM schema_migrations WHERE version = 2") == 0);
    });
}

TEST_CASE("a database newer than the code is refused, bad numbering is refused") {
    for_each_backend("migrations_refused", [](Backend& b) {
        auto db = open_db(b.settings);
        std::vector<sdk::Migration> five;
        for (int v = 1; v <= 5; ++v) five.push_back({v, "step", "CREATE TABLE t" + std::to_string(v) + " (a BIGINT)", ""});
        REQUIRE(apply_migrations(*db, "kernel", five).ok());
        five.resize(3);
        auto st = apply_migrations(*db, "kernel", five);
        REQUIRE_FALSE(st.ok());
        CHECK(st.message() ==
              "database schema for module \"kernel\" is at version 5, newer than this build knows (3): "
              "refusing to run \xE2\x80\x94 upgrade Till");

        std::vector<sdk::Migration> gap{{1, "a", "CREATE TABLE g1 (a BIGINT)", ""},
                                        {3, "c", "CREATE TABLE g3 (a BIGINT)", ""}};
        auto gapped = apply_migrations(*db, "gappy", gap);
        REQUIRE_FALSE(gapped.ok());
        CHECK(gapped.error().code == "invalid_argument");
        CHECK_FALSE(table_exists(*db, "g1"));
    });
}

TEST_CASE("two nodes applying at once do not double-apply") {
    for_each_backend("migrations_race", [](Backend& b) {
        auto db1 = open_db(b.settings);
        auto db2 = open_db(b.settings);
        std::vector<sdk::Migration> ms{
            {1, "t", "CREATE TABLE raced (a BIGINT); INSERT INTO raced VALUES (1)", ""},
            {2, "u", "INSERT INTO raced VALUES (2)", ""},
        };
        sdk::Status s1, s2;
        std::thread t1([&] { s1 = apply_migrations(*db1, "race", ms); });
        std::thread t2([&] { s2 = apply_migrations(*db2, "race", ms); });
        t1.join();
        t2.join();
        INFO(s1.message() << " / " << s2.message());
        CHECK(s1.ok());
        CHECK(s2.ok());
        CHECK(count(*db1, "SELECT COUNT(*) FROM raced") == 2);
        CHECK(count(*db1, "SELECT COUNT(*) FROM schema_migrations WHERE module = 'race'") == 2);
    });
}

TEST_CASE("kernel migrations create node_identity") {
    for_each_backend("kernel_migrations", [](Backend& b) {
        auto db = open_db(b.settings);
        REQUIRE(apply_migrations(*db, "kernel", kernel_migrations()).ok());
        REQUIRE(db->execute("INSERT INTO node_identity (key, value) VALUES (?, ?)", {"node_id", "store-1"}).ok());
        auto dup = db->execute("INSERT INTO node_identity (key, value) VALUES (?, ?)", {"node_id", "other"});
        CHECK_FALSE(dup.ok());
        auto null_value = db->execute("INSERT INTO node_identity (key, value) VALUES (?, ?)", {"x", nullptr});
        CHECK_FALSE(null_value.ok());
    });
}
