#include <catch2/catch.hpp>

#include "storage/storage_url.hpp"

using namespace till;
using namespace till::storage;
using namespace till::storage::detail;

namespace {
ConnectionTarget parse_ok(const std::string& url, const std::string& data_dir = "/data") {
    StorageSettings s;
    s.url = url;
    s.data_dir = data_dir;
    auto r = parse_storage_url(s);
    INFO(url << " -> " << (r ? std::string("ok") : r.error().message));
    REQUIRE(r.ok());
    return r.value();
}
}  // namespace

TEST_CASE("storage urls become Poco connection strings") {
    auto def = parse_ok("");
    CHECK(def.dialect == sdk::Dialect::sqlite);
    CHECK(def.connection_string == "/data/till.db");
    CHECK(parse_ok("sqlite:x/../y.db").connection_string == "/data/y.db");
    CHECK(parse_ok("sqlite:/abs/z.db").description == "sqlite:/abs/z.db");

    auto pg = parse_ok("postgresql://till:s%20cr%27t@db.example:6432/hq?sslmode=require");
    CHECK(pg.dialect == sdk::Dialect::postgresql);
    CHECK(pg.connector == "PostgreSQL");
    CHECK(pg.connection_string ==
          "host='db.example' port='6432' user='till' password='s cr\\'t' dbname='hq' sslmode='require' connect_timeout='10'");
    CHECK(pg.description == "postgresql://till@db.example:6432/hq?sslmode=require");
    CHECK(pg.password == "s cr't");

    auto minimal = parse_ok("postgres://localhost/shop");
    CHECK(minimal.connection_string == "host='localhost' dbname='shop' connect_timeout='10'");
    auto v6 = parse_ok("postgresql://u@[::1]:5433/d");
    CHECK(v6.connection_string == "host='::1' port='5433' user='u' dbname='d' connect_timeout='10'");
}

TEST_CASE("bad storage urls are refused without echoing a password") {
    StorageSettings s;
    s.data_dir = "/data";
    for (std::string url : {"postgresql://u:pw%zz@h/d", "postgresql://u:topsecret@h:99999/d",
                            "postgresql://u:topsecret@h:abc/d", "sqlite::memory:", "ftp://u:topsecret@h"}) {
        s.url = url;
        auto r = parse_storage_url(s);
        INFO(url);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().code == "invalid_argument");
        CHECK_THAT(r.error().message, !Catch::Contains("topsecret"));
    }
    CHECK(scrub("a secret b secret", "secret") == "a *** b ***");
}

TEST_CASE("a PostgreSQL URL's own connect_timeout is kept") {
    CHECK(parse_ok("postgresql://u@h/d?connect_timeout=3").connection_string ==
          "host='h' user='u' dbname='d' connect_timeout='3'");
}
