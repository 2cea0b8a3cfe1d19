// The lifecycle of healthy plugins, driven through a PluginHost built from
// real parts: a SQLite file, the event bus, the router, spdlog to a file.
#include <catch2/catch.hpp>

#include <atomic>

#include "api/router.hpp"
#include "events/event_bus.hpp"
#include "fixture_dir.hpp"
#include "log/log_manager.hpp"
#include "node/system_clock.hpp"
#include "plugin_host/plugin_host.hpp"
#include "storage/database.hpp"
#include "storage/migrations.hpp"
#include "support/temp_dir.hpp"

namespace {

using namespace till;

struct Kernel {
    test::FixtureNodeDir dir;
    std::unique_ptr<log::LogManager> logs;
    node::SystemClock clock;
    std::unique_ptr<storage::Database> db;
    std::unique_ptr<events::EventBusImpl> bus;
    api::Router router;
    std::unique_ptr<plugin_host::PluginHost> host;

    Kernel() {
        log::LogSettings settings;
        settings.file = dir.dir().file("kernel.log");
        auto created = log::LogManager::create(settings);
        REQUIRE(created);
        logs = std::move(created.value());
        auto opened = storage::Database::open({"", dir.dir().file("data"), 2, 5000});
        REQUIRE(opened);
        db = std::move(opened.value());
        REQUIRE(storage::apply_migrations(*db, "kernel", storage::kernel_migrations()).ok());
        bus = std::make_unique<events::EventBusImpl>(clock, logs->logger("kernel.events"));
        sdk::NodeInfo info{"node-1", sdk::NodeRole::store, dir.dir().file("data"), "test"};
        host = std::make_unique<plugin_host::PluginHost>(
            plugin_host::HostServices{info, *logs, clock, *db, *bus, router});
    }

    sdk::Status start(std::map<std::string, sdk::Value> configs = {}) {
        host->adopt(plugin_host::discover_plugins({dir.plugins_dir()}));
        return host->start(configs, {});
    }

    plugin_host::PluginStatus status(const std::string& id) {
        for (const auto& s : host->statuses())
            if (s.id == id) return s;
        FAIL("no plugin " << id);
        return {};
    }
};

sdk::HttpResponse call(api::Router& router, const std::string& path) {
    auto match = router.match(sdk::HttpMethod::get, path);
    REQUIRE(match.kind == api::Router::MatchKind::found);
    return match.handler(sdk::HttpRequest{});
}

}  // namespace

TEST_CASE("plugins start in dependency order with their config, migrations and capabilities", "[lifecycle]") {
    Kernel k;
    k.dir.add_fixture("fixture_dependent");  // sorts before fixture_good, must start after it
    k.dir.add_fixture("fixture_good");
    sdk::Value good_config = sdk::Value::map();
    good_config.set("greeting", "hi");
    good_config.set("repeat", 2);
    REQUIRE(k.start({{"fixture_good", good_config}}).ok());
    CHECK(k.status("fixture_good").state == plugin_host::PluginState::running);
    CHECK(k.status("fixture_dependent").state == plugin_host::PluginState::running);

    auto reply = call(k.router, "/api/v1/fixture/good");
    CHECK(reply.body == R"({"greeting":"hihi"})");
    CHECK(k.host->registry().order_type("fixture_order"));
    CHECK(k.host->registry().order_type_ids() == std::vector<std::string>{"fixture_order"});

    auto rows = k.db->query("SELECT name FROM fixture_good_items");
    REQUIRE(rows);
    REQUIRE(rows->rows.size() == 1);
    CHECK(rows->rows[0][0].as_string() == "started");
    auto version = storage::applied_version(*k.db, "fixture_good");
    REQUIRE(version);
    CHECK(*version == 1);
}

TEST_CASE("event subscriptions made at registration work while running and go at stop", "[lifecycle]") {
    Kernel k;
    k.dir.add_fixture("fixture_good");
    REQUIRE(k.start().ok());
    std::atomic<int> pongs{0};
    std::string source;
    k.bus->subscribe("fixture.pong", [&](const sdk::Event& e) {
        ++pongs;
        source = e.source;
    });
    k.bus->publish_from("test", "fixture.ping", sdk::Value(1));
    CHECK(pongs == 1);
    CHECK(source == "fixture_good");

    k.host->stop();
    CHECK(k.status("fixture_good").state == plugin_host::PluginState::stopped);
    k.bus->publish_from("test", "fixture.ping", sdk::Value(2));
    CHECK(pongs == 1);
    CHECK(k.router.match(sdk::HttpMethod::get, "/api/v1/fixture/good").kind == api::Router::MatchKind::not_found);
    CHECK_FALSE(k.host->registry().order_type("fixture_order"));
}

TEST_CASE("lifecycle events are published on the bus", "[lifecycle]") {
    Kernel k;
    k.dir.add_fixture("fixture_good");
    k.dir.add_fixture("fixture_start_throws");
    std::vector<std::string> topics;
    k.bus->subscribe("plugin", [&](const sdk::Event& e) { topics.push_back(e.topic + ":" + e.payload["id"].as_string()); });
    REQUIRE(k.start().ok());
    k.host->stop();
    CHECK(topics == std::vector<std::string>{"plugin.started:fixture_good", "plugin.failed:fixture_start_throws",
                                             "plugin.stopped:fixture_good"});
}

TEST_CASE("disabled and not-enabled plugins do not load", "[lifecycle]") {
    Kernel k;
    k.dir.add_fixture("fixture_good");
    k.dir.add_fixture("fixture_no_entry");
    k.host->adopt(plugin_host::discover_plugins({k.dir.plugins_dir()}));
    plugin_host::PluginSelection selection;
    selection.enabled_given = true;
    selection.enabled = {"fixture_good"};
    REQUIRE(k.host->start({}, selection).ok());
    CHECK(k.status("fixture_good").state == plugin_host::PluginState::running);
    CHECK(k.status("fixture_no_entry").state == plugin_host::PluginState::disabled);
}

TEST_CASE("a plugin's migrations are not re-applied on the next start", "[lifecycle]") {
    Kernel k;
    k.dir.add_fixture("fixture_good");
    REQUIRE(k.start().ok());
    k.host->stop();
    k.host.reset();
    sdk::NodeInfo info{"node-1", sdk::NodeRole::store, k.dir.dir().file("data"), "test"};
    k.host = std::make_unique<plugin_host::PluginHost>(
        plugin_host::HostServices{info, *k.logs, k.clock, *k.db, *k.bus, k.router});
    REQUIRE(k.start().ok());
    CHECK(k.status("fixture_good").state == plugin_host::PluginState::running);
    auto rows = k.db->query("SELECT count(*) FROM fixture_good_items");
    REQUIRE(rows);
    CHECK(rows->rows[0][0].as_int() == 2);
}
