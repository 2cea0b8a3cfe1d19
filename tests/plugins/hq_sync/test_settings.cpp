// hq_sync's config keys: defaults, listen parsing, TLS pairs.
#include <catch2/catch.hpp>

#include "settings.hpp"
#include "support/temp_dir.hpp"

using till::hq_sync::read_settings;
using till::sdk::Value;

TEST_CASE("defaults give 127.0.0.1:8091, plain HTTP, bounded pools") {
    auto s = read_settings(Value::map(), "/tmp");
    REQUIRE(s.ok());
    CHECK(s->host == "127.0.0.1");
    CHECK(s->port == 8091);
    CHECK_FALSE(s->tls());
    CHECK(s->worker_threads == 8);
    CHECK(s->max_notify_connections == 4096);
    CHECK(s->max_body_bytes == 64 * 1024 * 1024);
    CHECK(s->keep_alive_timeout_ms == 0);
}

TEST_CASE("listen must be host:port with a port in range") {
    for (const char* bad : {"localhost", ":80", "127.0.0.1:", "127.0.0.1:99999", "127.0.0.1:8x"}) {
        Value c = Value::map();
        c.set("listen", bad);
        auto s = read_settings(c, "/tmp");
        INFO(bad);
        REQUIRE_FALSE(s.ok());
        CHECK(s.error().message.find("hq_sync.listen") == 0);
    }
    Value c = Value::map();
    c.set("listen", "0.0.0.0:0");
    auto s = read_settings(c, "/tmp");
    REQUIRE(s.ok());
    CHECK(s->host == "0.0.0.0");
    CHECK(s->port == 0);
}

TEST_CASE("TLS needs both files, which must exist, relative paths are under data_dir") {
    till::test::TempDir dir("hq-sync-settings");
    dir.write("cert.pem", "x");
    dir.write("key.pem", "x");
    Value only_cert = Value::map();
    only_cert.set("tls_cert_file", "cert.pem");
    auto a = read_settings(only_cert, dir.path());
    REQUIRE_FALSE(a.ok());
    CHECK(a.error().message.find("hq_sync.tls_key_file") == 0);

    Value both = only_cert;
    both.set("tls_key_file", "key.pem");
    auto b = read_settings(both, dir.path());
    REQUIRE(b.ok());
    CHECK(b->tls());
    CHECK(b->tls_cert_file == dir.file("cert.pem"));

    Value missing = both;
    missing.set("tls_key_file", "nope.pem");
    auto c = read_settings(missing, dir.path());
    REQUIRE_FALSE(c.ok());
    CHECK(c.error().message.find("no such file") != std::string::npos);
}
