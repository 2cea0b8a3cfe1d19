// sync_http over HTTPS and WSS with a self-signed certificate made by the
// openssl CLI: trusted through ca_file it works; with the system CAs it is
// refused; verify_tls off accepts it.
#include <catch2/catch.hpp>

#include "hq_test_peer.hpp"
#include "support/temp_dir.hpp"
#include "sync_plugin_rig.hpp"
#include "sync_test_data.hpp"

using namespace till;
using sdk::TransportStatus;

namespace {

sdk::Value tls_config(const std::string& url, const std::string& ca_file, bool verify, bool notify) {
    sdk::Value c = sdk::Value::map();
    c.set("hq_url", url);
    c.set("token", "tok-1");
    c.set("ca_file", ca_file);
    c.set("verify_tls", verify);
    c.set("notify", notify);
    c.set("reconnect_initial_ms", 50);
    c.set("reconnect_max_ms", 200);
    return c;
}

}  // namespace

TEST_CASE("https push, pull and wss notifications work when ca_file trusts HQ's certificate") {
    test::TempDir certs("till-sync-tls");
    REQUIRE(test::make_self_signed_cert(certs.path()));
    test::HqTestPeer peer({certs.file("cert.pem"), certs.file("cert-key.pem"), 0});
    peer.add_token("tok-1", "store-001");
    peer.add_change("product", "p1", sdk::Value::map());
    REQUIRE(peer.url().rfind("https://", 0) == 0);

    test::SyncPluginRig rig("store-001");
    REQUIRE(rig.start("sync_http", tls_config(peer.url(), certs.file("cert.pem"), true, true)).ok());
    std::atomic<std::int64_t> heard{0};
    {
        auto transport = rig.transport("http");
        transport->set_notify_handler([&heard](std::int64_t r) { heard = r; });
        auto pushed = transport->push(test::sync_batch("store-001", 1, 2), 5000);
        INFO(pushed.message);
        REQUIRE(pushed.status == TransportStatus::ok);
        CHECK(pushed.acknowledged_event_ids.size() == 2);
        CHECK(peer.last_request("/sync/v1/batches").content_encoding == "gzip");
        auto pulled = transport->pull(0, 5000);
        REQUIRE(pulled.status == TransportStatus::ok);
        CHECK(pulled.changes.size() == 1);
        REQUIRE(test::wait_until([&] { return heard.load() == 1; }));
        peer.add_change("product", "p2", sdk::Value::map());
        peer.announce();
        REQUIRE(test::wait_until([&] { return heard.load() == 2; }));
        transport->set_notify_handler({});
    }
}

TEST_CASE("an untrusted certificate is refused (failed, TLS named) and nothing is sent") {
    test::TempDir certs("till-sync-tls");
    REQUIRE(test::make_self_signed_cert(certs.path()));
    REQUIRE(test::make_self_signed_cert(certs.path(), "other"));
    test::HqTestPeer peer({certs.file("cert.pem"), certs.file("cert-key.pem"), 0});
    peer.add_token("tok-1", "store-001");

    SECTION("system CAs only") {
        test::SyncPluginRig rig("store-001");
        REQUIRE(rig.start("sync_http", tls_config(peer.url(), "", true, false)).ok());
        auto r = rig.transport("http")->push(test::sync_batch("store-001", 1, 1), 5000);
        CHECK(r.status == TransportStatus::failed);
        CHECK(r.message.find("TLS") != std::string::npos);
    }
    SECTION("ca_file of another certificate") {
        test::SyncPluginRig rig("store-001");
        REQUIRE(rig.start("sync_http", tls_config(peer.url(), certs.file("other.pem"), true, false)).ok());
        auto r = rig.transport("http")->push(test::sync_batch("store-001", 1, 1), 5000);
        CHECK(r.status == TransportStatus::failed);
    }
    CHECK(peer.events().empty());
}

TEST_CASE("verify_tls off accepts an unknown certificate, a missing ca_file stops the start") {
    test::TempDir certs("till-sync-tls");
    REQUIRE(test::make_self_signed_cert(certs.path()));
    test::HqTestPeer peer({certs.file("cert.pem"), certs.file("cert-key.pem"), 0});
    peer.add_token("tok-1", "store-001");
    {
        test::SyncPluginRig rig("store-001");
        REQUIRE(rig.start("sync_http", tls_config(peer.url(), "", false, false)).ok());
        auto r = rig.transport("http")->push(test::sync_batch("store-001", 1, 1), 5000);
        INFO(r.message);
        CHECK(r.status == TransportStatus::ok);
    }
    test::SyncPluginRig rig("store-001");
    auto started = rig.start("sync_http", tls_config(peer.url(), certs.file("missing.pem"), true, false));
    REQUIRE_FALSE(started.ok());
    CHECK(started.message().find("sync_http.ca_file") != std::string::npos);
}
