// /sync/v1/notify: stores' WebSockets get the current revision on connect and
// every newer one, all served by one thread; refusals before the upgrade.
#include <catch2/catch.hpp>

#include <chrono>
#include <thread>
#include <vector>

#include "sync_rig.hpp"

using till::sdk::Value;
using till::test::NotifyClient;
using till::test::SyncRig;

namespace {

Value price(int minor) {
    Value v = Value::map();
    v.set("id", "p1");
    v.set("price_minor", minor);
    return v;
}

/// Waits (bounded) until `pred` holds.
template <class Pred>
bool eventually(Pred pred, int timeout_ms = 10000) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    while (!pred()) {
        if (std::chrono::steady_clock::now() > until) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return true;
}

}  // namespace

TEST_CASE("a store is told the current revision on connect and each new one after") {
    SyncRig rig;
    rig.hub.add_change("product", "p1", price(100));
    rig.hub.add_change("product", "p1", price(110));
    const auto token = rig.hub.issue_token("store-001");
    NotifyClient store(rig.port, token);
    CHECK(store.next_revision(5000) == 2);
    rig.hub.add_change("product", "p1", price(120));
    CHECK(store.next_revision(5000) == 3);
    CHECK(store.next_revision(200) == -1);  // nothing else
}

TEST_CASE("the token may come in the query string, bad tokens are refused before the upgrade") {
    SyncRig rig;
    const auto token = rig.hub.issue_token("store-002");
    NotifyClient store(rig.port, token, /*token_in_query=*/true);
    CHECK(store.next_revision(5000) == 0);

    CHECK_THROWS(NotifyClient(rig.port, "wrong-token"));
    rig.hub.revoke(token);
    CHECK_THROWS(NotifyClient(rig.port, token));
    auto plain = rig.get("/sync/v1/notify", {{"Authorization", "Bearer " + token}});
    CHECK(plain.status == 400);  // not a websocket request
}

TEST_CASE("pings from a store are answered with pongs") {
    SyncRig rig;
    NotifyClient store(rig.port, rig.hub.issue_token("store-003"));
    REQUIRE(store.next_revision(5000) == 0);
    CHECK(store.ping("are you there", 5000) == "are you there");
}

TEST_CASE("200 stores get every revision from one thread, idle sockets cost no thread") {
    SyncRig rig;
    const int before_threads = till::test::thread_count();
    std::vector<std::unique_ptr<NotifyClient>> stores;
    for (int i = 0; i < 200; ++i) {
        stores.push_back(std::make_unique<NotifyClient>(rig.port, rig.hub.issue_token("store-" + std::to_string(i))));
        REQUIRE(stores.back()->next_revision(5000) == 0);
    }
    // The server's pool may have grown to its bounded size serving the
    // upgrades, but 200 open sockets hold no thread each.
    const int with_sockets = till::test::thread_count();
    CHECK(with_sockets - before_threads <= 8);
    auto status = rig.server->status();
    CHECK(status["notify_connections"].as_int() == 200);
    CHECK(status["connected_stores"].as_int() == 200);

    for (int r = 1; r <= 3; ++r) {
        rig.hub.add_change("product", "p1", price(100 + r));
        for (auto& s : stores) {
            // A store reading late may get the newest revision only (coalesced).
            auto got = s->next_revision(5000);
            CHECK(got >= r);
        }
    }
    // A plain pull still goes through while 200 sockets are open.
    CHECK(rig.get("/sync/v1/changes", {{"Authorization", "Bearer " + rig.hub.issue_token("x")}}).status == 200);
    stores.clear();
    CHECK(eventually([&] { return rig.server->status()["notify_connections"].as_int() == 0; }));
}

TEST_CASE("beyond max_notify_connections the upgrade gets 503") {
    till::hq_sync::Settings settings;
    settings.max_notify_connections = 2;
    SyncRig rig(settings);
    NotifyClient a(rig.port, rig.hub.issue_token("a"));
    NotifyClient b(rig.port, rig.hub.issue_token("b"));
    CHECK_THROWS(NotifyClient(rig.port, rig.hub.issue_token("c")));
}

TEST_CASE("stopping the server closes the stores' sockets with 1001") {
    SyncRig rig;
    NotifyClient store(rig.port, rig.hub.issue_token("store-004"));
    REQUIRE(store.next_revision(5000) == 0);
    std::thread stopper([&] { rig.server->stop(); });
    CHECK(store.wait_close(5000) == 1001);
    stopper.join();
}

// Review R1: revoking a token must also end the notify socket opened with it
// (at the latest one ping interval later), not only refuse its next requests.
TEST_CASE("a notify socket whose token is revoked is closed with 1008 and told nothing more") {
    till::hq_sync::Settings settings;
    settings.ping_interval_ms = 100;
    SyncRig rig(settings);
    const auto token = rig.hub.issue_token("store-007");
    const auto other_token = rig.hub.issue_token("store-008");
    NotifyClient store(rig.port, token);
    NotifyClient other(rig.port, other_token);
    REQUIRE(store.next_revision(5000) == 0);
    REQUIRE(other.next_revision(5000) == 0);
    rig.hub.revoke(token);
    CHECK(store.wait_close(5000) == 1008);
    CHECK(eventually([&] { return rig.server->status()["notify_connections"].as_int() == 1; }));
    // The store with a live token keeps its socket and its notifications.
    rig.hub.add_change("product", "p1", price(130));
    CHECK(other.next_revision(5000) == 1);
}
