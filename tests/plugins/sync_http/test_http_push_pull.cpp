// The built sync_http plugin pushing and pulling against a wire-format v1
// peer over real HTTP on 127.0.0.1.
#include <catch2/catch.hpp>

#include <fstream>

#include "hq_test_peer.hpp"
#include "support/temp_dir.hpp"
#include "sync_plugin_rig.hpp"
#include "sync_test_data.hpp"

using namespace till;
using sdk::TransportStatus;

namespace {

sdk::Value http_config(const std::string& url, const std::string& token, bool compress = true) {
    sdk::Value c = sdk::Value::map();
    c.set("hq_url", url);
    c.set("token", token);
    c.set("notify", false);
    c.set("compress", compress);
    return c;
}

}  // namespace

TEST_CASE("push sends a gzip JSON batch with the bearer token and returns HQ's acknowledgements") {
    test::HqTestPeer peer;
    peer.add_token("tok-1", "store-001");
    test::SyncPluginRig rig("store-001");
    REQUIRE(rig.start("sync_http", http_config(peer.url(), "tok-1")).ok());
    {
        auto transport = rig.transport("http");
        REQUIRE(transport);
        CHECK(transport->id() == "http");

        auto result = transport->push(test::sync_batch("store-001", 1, 3), 5000);
        INFO(result.message);
        REQUIRE(result.status == TransportStatus::ok);
        CHECK(result.acknowledged_event_ids.size() == 3);
        auto seen = peer.last_request("/sync/v1/batches");
        CHECK(seen.method == "POST");
        CHECK(seen.uri == "/sync/v1/batches");
        CHECK(seen.authorization == "Bearer tok-1");
        CHECK(seen.content_encoding == "gzip");
        REQUIRE(peer.events().size() == 3);
        CHECK(peer.events()[1]["sequence"].as_int() == 2);
        CHECK(peer.events()[1]["payload"]["total_minor"].as_int() == 1250);

        // The same batch again (a lost answer): acknowledged, not held twice.
        auto again = transport->push(test::sync_batch("store-001", 1, 3), 5000);
        REQUIRE(again.status == TransportStatus::ok);
        CHECK(again.acknowledged_event_ids == result.acknowledged_event_ids);
        CHECK(peer.events().size() == 3);
        CHECK(peer.batches_received() == 2);
    }
}

TEST_CASE("with compress off the batch goes as identity JSON") {
    test::HqTestPeer peer;
    peer.add_token("tok-1", "store-001");
    test::SyncPluginRig rig("store-001");
    REQUIRE(rig.start("sync_http", http_config(peer.url(), "tok-1", false)).ok());
    {
        auto transport = rig.transport("http");
        REQUIRE(transport->push(test::sync_batch("store-001", 1, 2), 5000).status == TransportStatus::ok);
        CHECK(peer.last_request("/sync/v1/batches").content_encoding.empty());
        CHECK(peer.last_request("/sync/v1/batches").accept_encoding.empty());
        CHECK(peer.events().size() == 2);
    }
}

TEST_CASE("pull asks for changes since a revision with a limit and follows `more`") {
    test::HqTestPeer peer;
    peer.add_token("tok-1", "store-001");
    for (int i = 1; i <= 5; ++i) {
        sdk::Value p = sdk::Value::map();
        p.set("id", "p" + std::to_string(i));
        p.set("price_minor", 100 * i);
        peer.add_change("product", "p" + std::to_string(i), p);
    }
    test::SyncPluginRig rig("store-001");
    auto config = http_config(peer.url(), "tok-1");
    config.set("pull_max_changes", 2);
    REQUIRE(rig.start("sync_http", config).ok());
    {
        auto transport = rig.transport("http");
        auto first = transport->pull(1, 5000);
        INFO(first.message);
        REQUIRE(first.status == TransportStatus::ok);
        CHECK(peer.last_request("/sync/v1/changes").uri == "/sync/v1/changes?since=1&limit=2");
        CHECK(peer.last_request("/sync/v1/changes").accept_encoding == "gzip");
        CHECK(peer.last_request("/sync/v1/changes").answered_gzip);
        REQUIRE(first.changes.size() == 2);
        CHECK(first.changes[0]["revision"].as_int() == 2);
        CHECK(first.changes[0]["payload"]["price_minor"].as_int() == 200);
        CHECK(first.revision == 3);
        CHECK(first.more);

        auto second = transport->pull(first.revision, 5000);
        REQUIRE(second.status == TransportStatus::ok);
        CHECK(second.changes.size() == 2);
        CHECK(second.revision == 5);
        CHECK_FALSE(second.more);

        auto none = transport->pull(5, 5000);
        REQUIRE(none.status == TransportStatus::ok);
        CHECK(none.changes.empty());
        CHECK(none.revision == 5);
    }
}

TEST_CASE("a refused token is unauthorised, and a new token in token_file resumes without a restart") {
    test::HqTestPeer peer;
    peer.add_token("old", "store-001");
    peer.add_token("new", "store-001");
    peer.revoke_token("old");
    test::SyncPluginRig rig("store-001");
    const std::string token_path = rig.plugin_dir("sync_http") + "/token";
    sdk::Value config = http_config(peer.url(), "");
    config.set("token_file", "token");
    REQUIRE(rig.start("sync_http", config).ok());
    {
        auto transport = rig.transport("http");
        // No file yet: no token at all.
        auto none = transport->push(test::sync_batch("store-001", 1, 1), 5000);
        CHECK(none.status == TransportStatus::unauthorised);

        std::ofstream(token_path) << "old\n";
        auto revoked = transport->push(test::sync_batch("store-001", 1, 1), 5000);
        CHECK(revoked.status == TransportStatus::unauthorised);
        CHECK(revoked.message.find("401") != std::string::npos);
        CHECK(revoked.message.find("sync token unknown or revoked") != std::string::npos);
        CHECK(peer.events().empty());

        std::ofstream(token_path) << "  new  \n";
        auto resumed = transport->push(test::sync_batch("store-001", 1, 1), 5000);
        INFO(resumed.message);
        CHECK(resumed.status == TransportStatus::ok);
        CHECK(peer.events().size() == 1);
    }
}

TEST_CASE("a batch for another store's node id is unauthorised (403)") {
    test::HqTestPeer peer;
    peer.add_token("tok-1", "store-001");
    test::SyncPluginRig rig("store-001");
    REQUIRE(rig.start("sync_http", http_config(peer.url(), "tok-1")).ok());
    {
        auto result = rig.transport("http")->push(test::sync_batch("store-002", 1, 1), 5000);
        CHECK(result.status == TransportStatus::unauthorised);
        CHECK(result.message.find("403") != std::string::npos);
        CHECK(peer.events().empty());
    }
}

TEST_CASE("4xx answers are rejected with HQ's detail, 5xx failed, a closed port offline") {
    test::HqTestPeer peer;
    peer.add_token("tok-1", "store-001");
    test::SyncPluginRig rig("store-001");
    REQUIRE(rig.start("sync_http", http_config(peer.url(), "tok-1")).ok());
    {
        auto transport = rig.transport("http");
        for (int status : {400, 413, 422}) {
            peer.force_status(status, "events[3].sequence: expected a positive integer");
            auto r = transport->push(test::sync_batch("store-001", 1, 4), 5000);
            CHECK(r.status == TransportStatus::rejected);
            CHECK(r.message.find("events[3].sequence: expected a positive integer") != std::string::npos);
            CHECK(r.acknowledged_event_ids.empty());
        }
        peer.force_status(503, "database unavailable");
        auto busy = transport->push(test::sync_batch("store-001", 1, 1), 5000);
        CHECK(busy.status == TransportStatus::failed);
        CHECK(busy.message.find("database unavailable") != std::string::npos);
        auto busy_pull = transport->pull(0, 5000);
        CHECK(busy_pull.status == TransportStatus::failed);
        CHECK(busy_pull.revision == 0);

        peer.stop();
        auto offline = transport->push(test::sync_batch("store-001", 1, 1), 2000);
        CHECK(offline.status == TransportStatus::offline);
        CHECK_FALSE(offline.message.empty());
        auto offline_pull = transport->pull(7, 2000);
        CHECK(offline_pull.status == TransportStatus::offline);
        CHECK(offline_pull.revision == 7);
    }
}

TEST_CASE("a bad hq_url stops the plugin from starting, an empty one answers failed") {
    {
        test::SyncPluginRig rig("store-001");
        auto started = rig.start("sync_http", http_config("ftp://hq.example", "t"));
        REQUIRE_FALSE(started.ok());
        CHECK(started.message().find("sync_http.hq_url") != std::string::npos);
    }
    test::SyncPluginRig rig("store-001");
    REQUIRE(rig.start("sync_http", http_config("", "t")).ok());
    {
        auto r = rig.transport("http")->push(test::sync_batch("store-001", 1, 1), 1000);
        CHECK(r.status == TransportStatus::failed);
        CHECK(r.message.find("hq_url") != std::string::npos);
    }
}
