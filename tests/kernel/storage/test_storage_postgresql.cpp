// PostgreSQL specifics: passwords never shown, reconnect after the server
// drops a connection, no retry inside a transaction.
#include <catch2/catch.hpp>

#include <chrono>

#include "storage_backends.hpp"

using namespace till;
using namespace till::storage;
using namespace till::storage::testing;

namespace {

std::string port_of(test::TestPostgres& pg) { return std::to_string(pg.port()); }

// Terminates every backend connected to `dbname` and waits (bounded) until
// the server reports them gone.
void terminate_backends(test::TestPostgres& pg, const std::string& dbname) {
    pg.psql("postgres", "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + dbname +
                            "' AND pid <> pg_backend_pid()");
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    for (int i = 0; i < 1000; ++i) {
        std::string left = pg.psql("postgres", "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = '" + dbname + "'");
        if (left.rfind("0", 0) == 0) return;
        REQUIRE(std::chrono::steady_clock::now() < deadline);
    }
    FAIL("backends of " << dbname << " did not go away");
}

std::string dbname_of(const std::string& url) { return url.substr(url.rfind('/') + 1); }

}  // namespace

TEST_CASE("a PostgreSQL password never shows in describe() or in errors") {
    auto& pg = test::TestPostgres::shared();
    const std::string password = "p@ss:w/rd-Secret42";
    pg.create_password_role("pw_clerk", password);
    std::string db_url = pg.create_database("passwords");
    std::string dbname = dbname_of(db_url);

    StorageSettings good;
    good.url = "postgresql://pw_clerk:p%40ss%3Aw%2Frd-Secret42@127.0.0.1:" + port_of(pg) + "/" + dbname +
               "?sslmode=disable&application_name=till_test";
    auto db = open_db(good);
    CHECK(db->describe() == "postgresql://pw_clerk@127.0.0.1:" + port_of(pg) + "/" + dbname +
                                "?sslmode=disable&application_name=till_test");
    auto who = db->query("SELECT current_user, current_setting('application_name')");
    REQUIRE(who.ok());
    CHECK(who->rows.at(0).at(0) == sdk::Value("pw_clerk"));
    CHECK(who->rows.at(0).at(1) == sdk::Value("till_test"));

    StorageSettings wrong = good;
    wrong.url = "postgresql://pw_clerk:Wrong-Secret-99@127.0.0.1:" + port_of(pg) + "/" + dbname;
    auto refused = Database::open(wrong);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().code == "storage_error");
    CHECK_THAT(refused.error().message, Catch::Contains("password authentication failed"));
    CHECK_THAT(refused.error().message, !Catch::Contains("Wrong-Secret-99"));
    CHECK_THAT(refused.error().message, !Catch::Contains(password));
    CHECK_THAT(refused.error().message, Catch::Contains("postgresql://pw_clerk@127.0.0.1"));
}

TEST_CASE("the pool reconnects after the server terminates its connection") {
    auto& pg = test::TestPostgres::shared();
    StorageSettings settings;
    settings.url = pg.create_database("reconnect");
    settings.pool_size = 2;
    auto db = open_db(settings);
    auto before = db->query("SELECT pg_backend_pid()");
    REQUIRE(before.ok());

    terminate_backends(pg, dbname_of(settings.url));

    auto after = db->query("SELECT pg_backend_pid()");
    INFO((after ? std::string("ok") : describe_error(after.error())));
    REQUIRE(after.ok());
    CHECK(after->rows.at(0).at(0) != before->rows.at(0).at(0));
    CHECK(db->execute("CREATE TABLE t (a BIGINT)").ok());

    // A transaction starting on a dead connection also recovers (BEGIN never ran).
    terminate_backends(pg, dbname_of(settings.url));
    auto st = db->transaction([](sdk::SqlExecutor& tx) { return tx.execute("INSERT INTO t VALUES (1)").status(); });
    INFO(st.message());
    CHECK(st.ok());
}

TEST_CASE("a statement inside a transaction is never retried after the connection drops") {
    auto& pg = test::TestPostgres::shared();
    StorageSettings settings;
    settings.url = pg.create_database("no_retry_in_tx");
    auto db = open_db(settings);
    REQUIRE(db->execute("CREATE TABLE t (a BIGINT)").ok());
    auto st = db->transaction([&](sdk::SqlExecutor& tx) -> sdk::Status {
        auto ins = tx.execute("INSERT INTO t VALUES (1)");
        if (!ins) return ins.status();
        terminate_backends(pg, dbname_of(settings.url));
        return tx.execute("INSERT INTO t VALUES (2)").status();
    });
    REQUIRE_FALSE(st.ok());
    CHECK(st.error().code == "storage_error");
    auto rows = db->query("SELECT COUNT(*) FROM t");
    INFO((rows ? std::string("ok") : describe_error(rows.error())));
    REQUIRE(rows.ok());
    CHECK(rows->rows.at(0).at(0) == sdk::Value(0));
}
