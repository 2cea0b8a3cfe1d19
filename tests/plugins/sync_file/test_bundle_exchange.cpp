// A store and HQ, both running the built sync_file plugin, exchanging
// bundles through one folder (the USB stick): events reach HQ's hub exactly
// once, HQ's master bundle brings acks and changes back, a new revision at
// HQ rewrites it, damaged bundles are set aside with a reason.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "support/temp_dir.hpp"
#include "sync_plugin_rig.hpp"
#include "sync_test_data.hpp"
#include "test_hub.hpp"

using namespace till;
using sdk::TransportStatus;
namespace fs = std::filesystem;

namespace {

sdk::Value store_config(const std::string& stick) {
    sdk::Value c = sdk::Value::map();
    c.set("export_dir", stick);
    c.set("import_dir", stick);
    c.set("token", "store-token");
    return c;
}

sdk::Value hq_config(const std::string& stick) {
    sdk::Value c = sdk::Value::map();
    c.set("export_dir", stick);
    c.set("import_dir", stick);
    c.set("poll_interval_ms", 50);
    c.set("import_chunk_events", 2);
    return c;
}

int files_in(const std::string& dir, const std::string& suffix) {
    int n = 0;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec)) {
        const auto name = e.path().filename().string();
        if (name.size() >= suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0)
            ++n;
    }
    return n;
}

}  // namespace

TEST_CASE("a store's events reach HQ once through bundles, and HQ's answer brings acks and master data") {
    test::TempDir stick("till-stick");
    test::TestHub hub;
    hub.issue("store-001", "store-token");
    sdk::Value price = sdk::Value::map();
    price.set("id", "p1");
    price.set("price_minor", 250);
    hub.add_change("product", "p1", price);

    test::SyncPluginRig hq("hq-1", &hub);
    REQUIRE(hq.start("sync_file", hq_config(stick.path())).ok());
    test::SyncPluginRig store("store-001");
    REQUIRE(store.start("sync_file", store_config(stick.path())).ok());
    {
        auto transport = store.transport("file");
        REQUIRE(transport->pull(0, 1000).status == TransportStatus::ok);  // tells the transport its cursor
        // 5 events, applied by HQ in chunks of 2.
        REQUIRE(transport->push(test::sync_batch("store-001", 1, 5), 1000).status == TransportStatus::ok);
        REQUIRE(test::wait_until([&] { return fs::exists(stick.file("store-001.till-bundle")); }));
        REQUIRE(test::wait_until([&] { return !fs::exists(stick.file("store-001.events.till-bundle")); }));
        CHECK(fs::is_directory(stick.file("done")));
        CHECK(hub.events().size() == 5);
        CHECK(hub.apply_calls() == 3);

        auto acked = transport->push(test::sync_batch("store-001", 1, 5), 1000);
        REQUIRE(acked.status == TransportStatus::ok);
        CHECK(acked.acknowledged_event_ids.size() == 5);
        auto pulled = transport->pull(0, 1000);
        REQUIRE(pulled.status == TransportStatus::ok);
        REQUIRE(pulled.changes.size() == 1);
        CHECK(pulled.changes[0]["payload"]["price_minor"].as_int() == 250);
        CHECK(pulled.revision == 1);

        // The re-exported (already held) events are imported again: acknowledged, not doubled.
        REQUIRE(test::wait_until([&] { return !fs::exists(stick.file("store-001.events.till-bundle")); }));
        CHECK(hub.events().size() == 5);

        // A price change at HQ rewrites the store's master bundle.
        price.set("price_minor", 300);
        hub.add_change("product", "p1", price);
        hub.announce();
        REQUIRE(test::wait_until([&] {
            auto p = transport->pull(1, 1000);
            return p.status == TransportStatus::ok && p.changes.size() == 1 &&
                   p.changes[0]["payload"]["price_minor"].as_int() == 300;
        }));
    }
    store.stop();
    hq.stop();
}

TEST_CASE("HQ sets aside a tampered or foreign events bundle with a reason and applies nothing") {
    test::TempDir stick("till-stick");
    test::TempDir hq_in("till-hq-in");
    test::TestHub hub;
    hub.issue("store-001", "store-token");
    test::SyncPluginRig store("store-001");
    REQUIRE(store.start("sync_file", store_config(stick.path())).ok());
    {
        auto transport = store.transport("file");
        REQUIRE(transport->push(test::sync_batch("store-001", 1, 3), 1000).status == TransportStatus::ok);
    }
    std::string bytes = test::read_file(stick.file("store-001.events.till-bundle"));
    std::string tampered = bytes;
    tampered[tampered.size() - 8] ^= 0x04;
    std::ofstream(hq_in.file("a.till-bundle"), std::ios::binary) << tampered;
    std::ofstream(hq_in.file("b.till-bundle"), std::ios::binary) << "garbage without a header";
    std::ofstream(hq_in.file("c.till-bundle"), std::ios::binary) << bytes.substr(0, bytes.size() / 2);

    sdk::Value config = hq_config(hq_in.path());
    config.set("export_dir", hq_in.file("out"));
    fs::create_directories(hq_in.file("out"));
    test::SyncPluginRig hq("hq-1", &hub);
    REQUIRE(hq.start("sync_file", config).ok());
    REQUIRE(test::wait_until([&] {
        return files_in(hq_in.file("rejected"), ".reason") == 3 && files_in(hq_in.path(), ".till-bundle") == 0;
    }));
    CHECK(hub.events().empty());
    CHECK(hub.apply_calls() == 0);
    std::string reasons;
    for (const auto& e : fs::directory_iterator(hq_in.file("rejected")))
        if (e.path().extension() == ".reason") reasons += test::read_file(e.path().string());
    CHECK(reasons.find("signature") != std::string::npos);
    CHECK(reasons.find("header") != std::string::npos);
    CHECK(reasons.find("truncated") != std::string::npos);
    CHECK(files_in(hq_in.path(), ".till-bundle") == 0);

    // A store HQ has no token for.
    hub.issue("store-001", "rotated-token");
    std::ofstream(hq_in.file("d.till-bundle"), std::ios::binary) << bytes;
    REQUIRE(test::wait_until([&] { return files_in(hq_in.file("rejected"), ".reason") == 4; }));
    CHECK(hub.events().empty());
}

TEST_CASE("a bundle HQ cannot apply now stays for the next scan and is imported once storage is back") {
    test::TempDir stick("till-stick");
    test::TestHub hub;
    hub.issue("store-001", "store-token");
    hub.set_failing(true);
    test::SyncPluginRig store("store-001");
    REQUIRE(store.start("sync_file", store_config(stick.path())).ok());
    {
        auto transport = store.transport("file");
        REQUIRE(transport->push(test::sync_batch("store-001", 1, 2), 1000).status == TransportStatus::ok);
    }
    test::SyncPluginRig hq("hq-1", &hub);
    REQUIRE(hq.start("sync_file", hq_config(stick.path())).ok());
    REQUIRE(test::wait_until([&] { return hub.apply_calls() >= 2; }));
    CHECK(fs::exists(stick.file("store-001.events.till-bundle")));
    CHECK_FALSE(fs::exists(stick.file("rejected")));
    hub.set_failing(false);
    REQUIRE(test::wait_until([&] { return hub.events().size() == 2; }));
    REQUIRE(test::wait_until([&] { return !fs::exists(stick.file("store-001.events.till-bundle")); }));
    CHECK(test::wait_until([&] { return fs::exists(stick.file("store-001.till-bundle")); }));
}
