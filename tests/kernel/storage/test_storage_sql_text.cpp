#include <catch2/catch.hpp>

#include "storage/sql_text.hpp"

using namespace till::storage::detail;

TEST_CASE("placeholders outside literals, identifiers and comments are counted and numbered") {
    CHECK(count_placeholders("SELECT ? , ?") == 2);
    CHECK(count_placeholders("SELECT '?', \"a?b\", ? -- ?\n/* ? */ FROM t") == 1);
    CHECK(count_placeholders("SELECT 'it''s ?' || ?") == 1);
    CHECK(count_placeholders("SELECT $$ ? $$, $tag$ ?; $tag$, ?") == 1);
    CHECK(number_placeholders("INSERT INTO t VALUES (?, '?', ?) -- ?") == "INSERT INTO t VALUES ($1, '?', $2) -- ?");
    CHECK(number_placeholders("no params") == "no params");
}

TEST_CASE("scripts split on semicolons outside quotes and comments") {
    auto parts = split_statements("CREATE TABLE a (x TEXT DEFAULT ';');\n-- c; d\nINSERT INTO a VALUES ('1;2');;  \n");
    REQUIRE(parts.size() == 2);
    CHECK(parts[0] == "CREATE TABLE a (x TEXT DEFAULT ';')");
    CHECK(parts[1] == "-- c; d\nINSERT INTO a VALUES ('1;2')");
    auto fn = split_statements("CREATE FUNCTION f() RETURNS int AS $$ BEGIN RETURN 1; END $$ LANGUAGE plpgsql; SELECT 1");
    REQUIRE(fn.size() == 2);
    CHECK(split_statements("  -- only a comment\n").empty());
}
