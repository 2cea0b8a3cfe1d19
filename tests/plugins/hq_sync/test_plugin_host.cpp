// The real built hq_sync .so (from <build>/hq-plugins) loaded by a PluginHost
// over real SQLite: on an HQ node it serves and relays revisions; on a store
// it refuses to start.
#include <catch2/catch.hpp>

#include "api/router.hpp"
#include "domain_fixture.hpp"
#include "events/event_bus.hpp"
#include "log/log_manager.hpp"
#include "plugin_host/discovery.hpp"
#include "plugin_host/plugin_host.hpp"
#include "storage/database.hpp"
#include "storage/migrations.hpp"
#include "support/temp_dir.hpp"
#include "sync_rig.hpp"

namespace {

struct HostRig {
    till::test::TempDir dir{"hq-sync-host"};
    std::unique_ptr<till::log::LogManager> logs;
    till::test::ManualClock clock;
    std::unique_ptr<till::storage::Database> db;
    std::unique_ptr<till::events::EventBusImpl> bus;
    till::api::Router router;
    std::unique_ptr<till::plugin_host::PluginHost> host;

    HostRig() {
        till::log::LogSettings settings;
        settings.file = dir.file("kernel.log");
        auto created = till::log::LogManager::create(settings);
        REQUIRE(created);
        logs = std::move(created.value());
        auto opened = till::storage::Database::open({"", dir.file("data"), 4, 5000});
        REQUIRE(opened);
        db = std::move(opened.value());
        REQUIRE(till::storage::apply_migrations(*db, "kernel", till::storage::kernel_migrations()).ok());
        bus = std::make_unique<till::events::EventBusImpl>(clock, logs->logger("kernel.events"));
    }
    ~HostRig() {
        if (host) host->stop();
    }

    /// Starts hq_sync; returns its state and reason.
    std::pair<std::string, std::string> start(till::sdk::NodeRole role, till::sdk::SyncHub* hub) {
        till::sdk::NodeInfo info{"node-test", role, dir.file("data"), "test"};
        host = std::make_unique<till::plugin_host::PluginHost>(
            till::plugin_host::HostServices{info, *logs, clock, *db, *bus, router});
        host->set_sync_hub(hub);
        host->adopt(till::plugin_host::discover_plugins({TILL_HQ_PLUGIN_DIR}));
        till::plugin_host::PluginSelection selection;
        selection.enabled_given = true;
        selection.enabled = {"hq_sync"};
        till::sdk::Value config = till::sdk::Value::map();
        config.set("listen", "127.0.0.1:0");
        auto started = host->start({{"hq_sync", config}}, selection);
        REQUIRE(started.ok());
        for (const auto& s : host->statuses())
            if (s.id == "hq_sync") return {till::plugin_host::state_name(s.state), s.reason};
        return {"missing", ""};
    }

    till::sdk::Value status() {
        auto match = router.match(till::sdk::HttpMethod::get, "/api/v1/hq-sync/status");
        REQUIRE(match.kind == till::api::Router::MatchKind::found);
        till::sdk::HttpRequest request;
        request.path = "/api/v1/hq-sync/status";
        auto reply = match.handler(request);
        REQUIRE(reply.status == 200);
        auto v = till::sdk::Value::parse_json(reply.body);
        REQUIRE(v.ok());
        return *v;
    }
};

}  // namespace

TEST_CASE("on an HQ node the plugin listens, reports its counts and relays revisions to stores") {
    till::test::MemoryHub hub;
    HostRig rig;
    auto [state, reason] = rig.start(till::sdk::NodeRole::hq, &hub);
    INFO(reason);
    REQUIRE(state == "running");
    CHECK(hub.handler_count() == 1);

    auto status = rig.status();
    CHECK(status["running"].as_bool());
    const std::string listen = status["listen"].as_string();
    const int port = std::stoi(listen.substr(listen.rfind(':') + 1));
    REQUIRE(port > 0);

    const auto token = hub.issue_token("store-001");
    till::test::NotifyClient store(port, token);
    CHECK(store.next_revision(5000) == 0);
    till::sdk::Value p = till::sdk::Value::map();
    p.set("id", "p1");
    hub.add_change("product", "p1", p);
    CHECK(store.next_revision(5000) == 1);
    CHECK(rig.status()["connected_stores"].as_int() == 1);
    // Counts only: nothing secret in the status.
    CHECK(rig.status().to_json().find(token) == std::string::npos);

    rig.host->stop();
    CHECK(hub.handler_count() == 0);
    CHECK(store.wait_close(5000) == 1001);
}

TEST_CASE("on a store (no sync hub) the plugin refuses to start and says why") {
    HostRig rig;
    auto [state, reason] = rig.start(till::sdk::NodeRole::store, nullptr);
    CHECK(state != "running");
    CHECK(reason.find("HQ node only") != std::string::npos);
}
