// The notification WebSocket of the built sync_http plugin: the revision on
// connect and on each announcement reaches the notify handler; after HQ goes
// away and comes back the transport reconnects by itself.
#include <catch2/catch.hpp>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "hq_endpoint.hpp"
#include "hq_test_peer.hpp"
#include "http_options.hpp"
#include "notify_listener.hpp"
#include "sync_plugin_rig.hpp"
#include "sync_test_data.hpp"

using namespace till;

namespace {

struct Heard {
    std::mutex mutex;
    std::vector<std::int64_t> revisions;
    void add(std::int64_t r) {
        std::lock_guard lock(mutex);
        revisions.push_back(r);
    }
    bool has(std::int64_t r) {
        std::lock_guard lock(mutex);
        return std::find(revisions.begin(), revisions.end(), r) != revisions.end();
    }
};

sdk::Value notify_config(const std::string& url) {
    sdk::Value c = sdk::Value::map();
    c.set("hq_url", url);
    c.set("token", "tok-1");
    c.set("notify", true);
    c.set("reconnect_initial_ms", 50);
    c.set("reconnect_max_ms", 200);
    return c;
}

}  // namespace

TEST_CASE("revisions announced over the WebSocket reach the notify handler, also after a reconnect") {
    test::HqTestPeer peer;
    peer.add_token("tok-1", "store-001");
    peer.add_change("product", "p1", sdk::Value::map());
    peer.add_change("product", "p2", sdk::Value::map());

    test::SyncPluginRig rig("store-001");
    REQUIRE(rig.start("sync_http", notify_config(peer.url())).ok());
    auto heard = std::make_shared<Heard>();
    {
        auto transport = rig.transport("http");
        REQUIRE(transport);
        // Set after the connection may already be up: the current revision
        // is delivered to the new handler anyway.
        transport->set_notify_handler([heard](std::int64_t r) { heard->add(r); });
        REQUIRE(test::wait_until([&] { return heard->has(2); }));
        CHECK(peer.last_request().authorization == "Bearer tok-1");

        peer.add_change("price", "p1", sdk::Value::map());
        peer.announce();
        REQUIRE(test::wait_until([&] { return heard->has(3); }));

        // HQ goes away, gets a new revision, comes back on the same port.
        peer.stop();
        CHECK(peer.notify_clients() == 0);
        peer.add_change("product", "p3", sdk::Value::map());
        peer.start();
        REQUIRE(test::wait_until([&] { return heard->has(4); }));
        CHECK(test::wait_until([&] { return peer.notify_clients() == 1; }));
        transport->set_notify_handler({});
    }
    rig.stop();
    CHECK(test::wait_until([&] { return peer.notify_clients() == 0; }));
}

TEST_CASE("a revoked token gets no notifications and the listener keeps trying without harm") {
    test::HqTestPeer peer;
    peer.add_token("tok-1", "store-001");
    peer.revoke_token("tok-1");
    test::SyncPluginRig rig("store-001");
    REQUIRE(rig.start("sync_http", notify_config(peer.url())).ok());
    auto heard = std::make_shared<Heard>();
    {
        auto transport = rig.transport("http");
        transport->set_notify_handler([heard](std::int64_t r) { heard->add(r); });
        // Several refused attempts happen (backoff 50..200 ms).
        REQUIRE(test::wait_until([&] { return peer.last_request().uri == "/sync/v1/notify"; }));
        CHECK(peer.notify_clients() == 0);
        {
            std::lock_guard lock(heard->mutex);
            CHECK(heard->revisions.empty());
        }
        transport->set_notify_handler({});
    }
}

namespace {

class QuietLogger final : public sdk::Logger {
public:
    void log(sdk::LogLevel, std::string_view) noexcept override {}
    bool enabled(sdk::LogLevel) const noexcept override { return false; }
};

}  // namespace

// Review R1: the sync engine removes its handler (set_notify_handler({})) and
// is destroyed right after. Removing must wait for a delivery in flight, or
// the listener thread calls into a destroyed engine.
TEST_CASE("removing the notify handler waits for a delivery in flight") {
    test::HqTestPeer peer;
    peer.add_token("tok-1", "store-001");
    peer.add_change("product", "p1", sdk::Value::map());
    auto endpoint = sync_http::HqEndpoint::create(peer.url(), {});
    REQUIRE(endpoint.ok());
    QuietLogger logger;
    sync_http::NotifyListener listener(*endpoint, sync_http::TokenSource("tok-1", ""),
                                       sync_http::NotifyOptions{50, 200, 2000}, logger);
    std::mutex mutex;
    std::condition_variable cv;
    bool in_handler = false;
    bool release = false;
    bool handler_returned = false;
    listener.set_handler([&](std::int64_t) {
        std::unique_lock lock(mutex);
        in_handler = true;
        cv.notify_all();
        cv.wait_for(lock, std::chrono::seconds(10), [&] { return release; });
        handler_returned = true;
    });
    listener.start();
    {
        std::unique_lock lock(mutex);
        REQUIRE(cv.wait_for(lock, std::chrono::seconds(10), [&] { return in_handler; }));
    }
    std::atomic<bool> removed{false};
    std::thread remover([&] {
        listener.set_handler({});
        removed = true;
    });
    // While the handler runs, removing it must not have returned.
    CHECK_FALSE(test::wait_until([&] { return removed.load(); }, 300));
    {
        std::lock_guard lock(mutex);
        release = true;
    }
    cv.notify_all();
    remover.join();
    CHECK(removed);
    {
        std::lock_guard lock(mutex);
        CHECK(handler_returned);
    }
    listener.stop();
}
