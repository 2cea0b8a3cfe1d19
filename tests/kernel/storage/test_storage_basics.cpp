// Database on both backends: pragmas, parameters, results, transactions,
// rows affected, the pool under concurrency, durability across reopen.
#include <catch2/catch.hpp>

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <stdexcept>
#include <thread>

#include "storage_backends.hpp"

using namespace till;
using namespace till::storage;
using namespace till::storage::testing;

namespace {

sdk::Value one_value(Database& db, const std::string& sql, const std::vector<sdk::Value>& params = {}) {
    auto r = db.query(sql, params);
    INFO(sql << " -> " << (r ? std::string("ok") : describe_error(r.error())));
    REQUIRE(r.ok());
    REQUIRE(r->rows.size() == 1);
    REQUIRE(r->rows[0].size() >= 1);
    return r->rows[0][0];
}

void exec_ok(sdk::SqlExecutor& db, const std::string& sql, const std::vector<sdk::Value>& params = {}) {
    auto r = db.execute(sql, params);
    INFO(sql << " -> " << (r ? std::string("ok") : describe_error(r.error())));
    REQUIRE(r.ok());
}

}  // namespace

TEST_CASE("SQLite opens in the data dir with WAL, synchronous=FULL, foreign keys and busy timeout on every session") {
    test::TempDir dir("till-storage");
    StorageSettings settings;
    settings.data_dir = dir.path() + "/not/yet/there";
    settings.busy_timeout_ms = 1234;
    auto db = open_db(settings);
    CHECK(db->dialect() == sdk::Dialect::sqlite);
    CHECK(std::filesystem::exists(settings.data_dir + "/till.db"));
    CHECK(db->describe() == "sqlite:" + settings.data_dir + "/till.db");

    auto check_pragmas = [](sdk::SqlExecutor& ex) {
        auto mode = ex.query("PRAGMA journal_mode");
        REQUIRE(mode.ok());
        CHECK(mode->rows.at(0).at(0) == sdk::Value("wal"));
        auto sync = ex.query("PRAGMA synchronous");
        REQUIRE(sync.ok());
        CHECK(sync->rows.at(0).at(0) == sdk::Value(2));
        auto fk = ex.query("PRAGMA foreign_keys");
        REQUIRE(fk.ok());
        CHECK(fk->rows.at(0).at(0) == sdk::Value(1));
        auto busy = ex.query("PRAGMA busy_timeout");
        REQUIRE(busy.ok());
        CHECK(busy->rows.at(0).at(0) == sdk::Value(1234));
    };
    check_pragmas(*db);
    // A transaction holds one session; the query inside the lambda on `db`
    // needs a second one, created by the pool on demand.
    auto st = db->transaction([&](sdk::SqlExecutor& tx) {
        check_pragmas(tx);
        check_pragmas(*db);
        return sdk::Status::success();
    });
    CHECK(st.ok());
}

TEST_CASE("SQLite paths: relative to data dir, absolute, memory refused") {
    test::TempDir dir("till-storage");
    StorageSettings settings;
    settings.data_dir = dir.path();
    settings.url = "sqlite:sub/shop.db";
    {
        auto db = open_db(settings);
        CHECK(db->describe() == "sqlite:" + dir.path() + "/sub/shop.db");
    }
    CHECK(std::filesystem::exists(dir.path() + "/sub/shop.db"));
    settings.url = "sqlite:" + dir.path() + "/abs.db";
    { auto db = open_db(settings); }
    CHECK(std::filesystem::exists(dir.path() + "/abs.db"));

    settings.url = "sqlite::memory:";
    auto refused = Database::open(settings);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().code == "invalid_argument");
    CHECK_THAT(refused.error().message, Catch::Contains("durable"));

    settings.url = "mysql://x@y/z";
    auto unsupported = Database::open(settings);
    REQUIRE_FALSE(unsupported.ok());
    CHECK_THAT(unsupported.error().message, Catch::Contains("mysql"));
}

TEST_CASE("parameters and values round trip on both backends") {
    for_each_backend("round_trip", [](Backend& b) {
        auto db = open_db(b.settings);
        exec_ok(*db, "CREATE TABLE rt (id INTEGER PRIMARY KEY, i BIGINT, s TEXT)");
        const std::int64_t min = std::numeric_limits<std::int64_t>::min();
        const std::int64_t max = std::numeric_limits<std::int64_t>::max();
        exec_ok(*db, "INSERT INTO rt (id, i, s) VALUES (?, ?, ?)", {1, sdk::Value(static_cast<long long>(min)), ""});
        exec_ok(*db, "INSERT INTO rt (id, i, s) VALUES (?, ?, ?)",
                {2, sdk::Value(static_cast<long long>(max)), "Grüße, 日本, emoji 🍕"});
        exec_ok(*db, "INSERT INTO rt (id, i, s) VALUES (?, ?, ?)", {3, nullptr, nullptr});
        exec_ok(*db, "INSERT INTO rt (id, i, s) VALUES (?, ?, ?)", {4, true, "x"});
        exec_ok(*db, "INSERT INTO rt (id, i, s) VALUES (?, ?, ?)", {5, false, "y"});

        auto r = db->query("SELECT id, i, s FROM rt ORDER BY id");
        REQUIRE(r.ok());
        REQUIRE(r->columns == std::vector<std::string>{"id", "i", "s"});
        REQUIRE(r->rows.size() == 5);
        CHECK(r->rows[0][1] == sdk::Value(static_cast<long long>(min)));
        CHECK(r->rows[0][2] == sdk::Value(""));
        CHECK(r->rows[1][1] == sdk::Value(static_cast<long long>(max)));
        CHECK(r->rows[1][2] == sdk::Value("Grüße, 日本, emoji 🍕"));
        CHECK(r->rows[2][1].is_null());
        CHECK(r->rows[2][2].is_null());
        CHECK(r->rows[3][1] == sdk::Value(1));  // booleans are stored as 0/1
        CHECK(r->rows[4][1] == sdk::Value(0));

        // Aggregates and expressions come back as integers, not text.
        CHECK(one_value(*db, "SELECT COUNT(*) AS n FROM rt") == sdk::Value(5));
        CHECK(one_value(*db, "SELECT MAX(i) FROM rt") == sdk::Value(static_cast<long long>(max)));
        CHECK(one_value(*db, "SELECT i FROM rt WHERE id = ?", {2}) == sdk::Value(static_cast<long long>(max)));

        // Blobs come back as their bytes.
        const std::string bytes("\x00\xff" "A", 3);
        CHECK(one_value(*db, b.name == "sqlite" ? "SELECT x'00ff41'" : "SELECT '\\x00ff41'::bytea") ==
              sdk::Value(bytes));

        // A `?` inside a string literal, an identifier or a comment is not a placeholder.
        exec_ok(*db, "INSERT INTO rt (id, s) VALUES (?, 'what? -- really?') -- trailing ? comment", {6});
        CHECK(one_value(*db, "SELECT \"s\" FROM rt WHERE s = 'what? -- really?' AND id = ?", {6}) ==
              sdk::Value("what? -- really?"));
    });
}

TEST_CASE("PostgreSQL booleans read back as booleans") {
    auto db = open_db(StorageSettings{test::TestPostgres::shared().create_database("bools"), "", 2, 5000});
    exec_ok(*db, "CREATE TABLE flags (id INTEGER, on_off BOOLEAN)");
    exec_ok(*db, "INSERT INTO flags VALUES (?, ?), (?, ?)", {1, true, 2, false});
    auto r = db->query("SELECT on_off FROM flags ORDER BY id");
    REQUIRE(r.ok());
    CHECK(r->rows.at(0).at(0) == sdk::Value(true));
    CHECK(r->rows.at(1).at(0) == sdk::Value(false));
}

TEST_CASE("bad statements and parameters are errors, not crashes") {
    for_each_backend("bad_params", [](Backend& b) {
        auto db = open_db(b.settings);
        exec_ok(*db, "CREATE TABLE t (a BIGINT, b TEXT)");
        auto too_few = db->execute("INSERT INTO t (a, b) VALUES (?, ?)", {1});
        REQUIRE_FALSE(too_few.ok());
        CHECK(too_few.error().code == "invalid_argument");
        CHECK_THAT(too_few.error().message, Catch::Contains("2 placeholder"));
        auto too_many = db->query("SELECT a FROM t WHERE a = ?", {1, 2});
        REQUIRE_FALSE(too_many.ok());
        CHECK(too_many.error().code == "invalid_argument");
        auto list = db->execute("INSERT INTO t (a) VALUES (?)", {sdk::Value::list()});
        REQUIRE_FALSE(list.ok());
        CHECK(list.error().code == "invalid_argument");
        auto bad_sql = db->execute("INSERT INTO no_such_table VALUES (1)");
        REQUIRE_FALSE(bad_sql.ok());
        CHECK(bad_sql.error().code == "storage_error");
        CHECK_THAT(bad_sql.error().message, Catch::Contains("no_such_table"));
        auto floating = db->query("SELECT 1.5 AS price");
        REQUIRE_FALSE(floating.ok());
        CHECK_THAT(floating.error().message, Catch::Contains("unsupported column type"));
        // Still usable afterwards.
        CHECK(one_value(*db, "SELECT COUNT(*) FROM t") == sdk::Value(0));
    });
}

TEST_CASE("transactions commit, and roll back on failure or exception") {
    for_each_backend("transactions", [](Backend& b) {
        auto db = open_db(b.settings);
        exec_ok(*db, "CREATE TABLE t (a BIGINT)");
        auto committed = db->transaction([](sdk::SqlExecutor& tx) {
            exec_ok(tx, "INSERT INTO t VALUES (?)", {1});
            exec_ok(tx, "INSERT INTO t VALUES (?)", {2});
            auto inside = tx.query("SELECT COUNT(*) FROM t");
            REQUIRE(inside.ok());
            CHECK(inside->rows[0][0] == sdk::Value(2));
            return sdk::Status::success();
        });
        CHECK(committed.ok());
        CHECK(one_value(*db, "SELECT COUNT(*) FROM t") == sdk::Value(2));

        auto failed = db->transaction([](sdk::SqlExecutor& tx) {
            exec_ok(tx, "INSERT INTO t VALUES (?)", {3});
            return sdk::Status::failure("not_found", "no such till");
        });
        REQUIRE_FALSE(failed.ok());
        CHECK(failed.error().code == "not_found");
        CHECK(one_value(*db, "SELECT COUNT(*) FROM t") == sdk::Value(2));

        auto threw = db->transaction([](sdk::SqlExecutor& tx) -> sdk::Status {
            exec_ok(tx, "INSERT INTO t VALUES (?)", {4});
            throw std::runtime_error("printer on fire");
        });
        REQUIRE_FALSE(threw.ok());
        CHECK_THAT(threw.message(), Catch::Contains("printer on fire"));
        CHECK(one_value(*db, "SELECT COUNT(*) FROM t") == sdk::Value(2));

        auto bad_statement = db->transaction([](sdk::SqlExecutor& tx) -> sdk::Status {
            exec_ok(tx, "INSERT INTO t VALUES (?)", {5});
            return tx.execute("INSERT INTO missing VALUES (1)").status();
        });
        REQUIRE_FALSE(bad_statement.ok());
        CHECK(bad_statement.error().code == "storage_error");
        CHECK(one_value(*db, "SELECT COUNT(*) FROM t") == sdk::Value(2));
    });
}

TEST_CASE("execute returns the number of rows affected") {
    for_each_backend("rows_affected", [](Backend& b) {
        auto db = open_db(b.settings);
        auto ddl = db->execute("CREATE TABLE t (a BIGINT, b TEXT)");
        REQUIRE(ddl.ok());
        CHECK(*ddl == 0);
        auto ins = db->execute("INSERT INTO t VALUES (1, 'x'), (2, 'x'), (3, 'y')");
        REQUIRE(ins.ok());
        CHECK(*ins == 3);
        auto upd = db->execute("UPDATE t SET a = a + 10 WHERE b = ?", {"x"});
        REQUIRE(upd.ok());
        CHECK(*upd == 2);
        auto none = db->execute("UPDATE t SET a = 0 WHERE b = ?", {"nope"});
        REQUIRE(none.ok());
        CHECK(*none == 0);
        auto del = db->execute("DELETE FROM t");
        REQUIRE(del.ok());
        CHECK(*del == 3);
    });
}

TEST_CASE("the pool serves many threads at once") {
    for_each_backend("pool", [](Backend& b) {
        b.settings.pool_size = 4;
        auto db = open_db(b.settings);
        exec_ok(*db, "CREATE TABLE t (thread_no BIGINT, n BIGINT)");
        std::atomic<int> failures{0};
        std::vector<std::thread> threads;
        for (int t = 0; t < 8; ++t) {
            threads.emplace_back([&, t] {
                for (int n = 0; n < 50; ++n) {
                    auto r = db->execute("INSERT INTO t VALUES (?, ?)", {t, n});
                    if (!r) ++failures;
                }
            });
        }
        for (auto& th : threads) th.join();
        CHECK(failures.load() == 0);
        CHECK(one_value(*db, "SELECT COUNT(*) FROM t") == sdk::Value(400));
        CHECK(one_value(*db, "SELECT COUNT(DISTINCT thread_no * 1000 + n) FROM t") == sdk::Value(400));
    });
}

TEST_CASE("SQLite data survives closing and reopening the database") {
    test::TempDir dir("till-storage");
    StorageSettings settings;
    settings.data_dir = dir.path();
    {
        auto db = open_db(settings);
        exec_ok(*db, "CREATE TABLE sales (total_minor BIGINT)");
        auto st = db->transaction([](sdk::SqlExecutor& tx) {
            return tx.execute("INSERT INTO sales VALUES (?)", {1999}).status();
        });
        REQUIRE(st.ok());
    }
    auto db = open_db(settings);
    CHECK(one_value(*db, "SELECT total_minor FROM sales") == sdk::Value(1999));
}

TEST_CASE("a relaxed transaction commits and rolls back like a full one, the next full one is synchronous=FULL again") {
    for (const auto& backend : backends("relaxed")) {
        SECTION(backend.name) {
            auto db = open_db(backend.settings);
            exec_ok(*db, "CREATE TABLE drafts (id BIGINT PRIMARY KEY, note TEXT NOT NULL)");
            auto committed = db->relaxed_transaction([](sdk::SqlExecutor& tx) -> sdk::Status {
                return tx.execute("INSERT INTO drafts (id, note) VALUES (?, ?)", {sdk::Value(1), sdk::Value("cart")})
                    .status();
            });
            REQUIRE(committed.ok());
            auto failed = db->relaxed_transaction([](sdk::SqlExecutor& tx) -> sdk::Status {
                auto r = tx.execute("INSERT INTO drafts (id, note) VALUES (?, ?)", {sdk::Value(2), sdk::Value("x")});
                if (!r) return r.status();
                return sdk::Status::failure("test", "give up");
            });
            CHECK_FALSE(failed.ok());
            CHECK(one_value(*db, "SELECT COUNT(*) FROM drafts") == sdk::Value(1));
            if (db->dialect() == sdk::Dialect::sqlite) {
                // Every pooled session runs full transactions at FULL (2),
                // relaxed ones at NORMAL (1).
                for (int i = 0; i < 8; ++i) {
                    REQUIRE(db->transaction([](sdk::SqlExecutor& tx) -> sdk::Status {
                                  auto sync = tx.query("PRAGMA synchronous");
                                  if (!sync) return sync.status();
                                  CHECK(sync->rows.at(0).at(0) == sdk::Value(2));
                                  return {};
                              }).ok());
                    REQUIRE(db->relaxed_transaction([](sdk::SqlExecutor& tx) -> sdk::Status {
                                  auto sync = tx.query("PRAGMA synchronous");
                                  if (!sync) return sync.status();
                                  CHECK(sync->rows.at(0).at(0) == sdk::Value(1));
                                  return {};
                              }).ok());
                }
            } else {
                REQUIRE(db->relaxed_transaction([](sdk::SqlExecutor& tx) -> sdk::Status {
                              auto sc = tx.query("SHOW synchronous_commit");
                              if (!sc) return sc.status();
                              CHECK(sc->rows.at(0).at(0) == sdk::Value("off"));
                              return {};
                          }).ok());
                // A full transaction keeps the server's setting (the test
                // server runs with synchronous_commit=off for speed).
                const sdk::Value server_default = one_value(*db, "SHOW synchronous_commit");
                REQUIRE(db->transaction([&](sdk::SqlExecutor& tx) -> sdk::Status {
                              auto sc = tx.query("SHOW synchronous_commit");
                              if (!sc) return sc.status();
                              CHECK(sc->rows.at(0).at(0) == server_default);
                              return {};
                          }).ok());
            }
        }
    }
}
