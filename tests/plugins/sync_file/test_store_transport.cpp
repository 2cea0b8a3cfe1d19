// The built sync_file plugin on a store: push exports a signed events
// bundle; acks and changes come only from a valid master bundle for this
// store; damaged bundles are rejected and left where they are.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "bundle_crypto.hpp"
#include "bundle_format.hpp"
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

void write_master(const std::string& stick, const std::string& store, std::int64_t since, std::int64_t acked,
                  const std::vector<std::int64_t>& revisions, const std::string& token, std::int64_t created) {
    sdk::Value changes = sdk::Value::list();
    for (auto r : revisions) {
        sdk::Value c = sdk::Value::map();
        c.set("revision", static_cast<long long>(r));
        c.set("type", "product");
        c.set("entity_id", "p" + std::to_string(r));
        c.set("payload", sdk::Value::map());
        changes.push_back(c);
    }
    sdk::Value body = sdk::Value::map();
    body.set("schema", 1);
    body.set("store_id", store);
    body.set("since_revision", static_cast<long long>(since));
    body.set("revision", static_cast<long long>(revisions.empty() ? since : revisions.back()));
    body.set("acknowledged_sequence", static_cast<long long>(acked));
    body.set("more", false);
    body.set("changes", changes);
    sdk::Value h = sdk::Value::map();
    h.set("kind", "master");
    h.set("node_id", "hq-1");
    h.set("store_id", store);
    h.set("created_utc_ms", static_cast<long long>(created));
    std::ofstream(stick + "/" + store + ".till-bundle", std::ios::binary)
        << sync_file::encode_bundle(h, body, sync_file::sha256_hex(token));
}

}  // namespace

TEST_CASE("push exports a signed events bundle and acknowledges only what HQ's master bundle confirms") {
    test::TempDir stick("till-stick");
    test::SyncPluginRig rig("store-001");
    REQUIRE(rig.start("sync_file", store_config(stick.path())).ok());
    {
        auto transport = rig.transport("file");
        REQUIRE(transport);
        // No answer from HQ yet: exported, nothing acknowledged.
        auto first = transport->push(test::sync_batch("store-001", 1, 4), 1000);
        REQUIRE(first.status == TransportStatus::ok);
        CHECK(first.acknowledged_event_ids.empty());
        const std::string exported = stick.file("store-001.events.till-bundle");
        const std::string bytes = test::read_file(exported);
        auto h = sync_file::read_header(bytes);
        REQUIRE(h.ok());
        CHECK(h->kind == "events");
        CHECK(h->fields["event_count"].as_int() == 4);
        CHECK(h->fields["first_sequence"].as_int() == 1);
        CHECK(h->fields["last_sequence"].as_int() == 4);
        auto body = sync_file::open_body(bytes, *h, test::test_sha256_hex("store-token"), 1 << 20);
        REQUIRE(body.ok());
        CHECK((*body)["node_id"].as_string() == "store-001");
        CHECK((*body)["events"].size() == 4);

        // HQ confirmed 1..2 (its bundle for another store is ignored).
        write_master(stick.path(), "store-001", 0, 2, {1, 2}, "store-token", 1000);
        write_master(stick.path(), "store-002", 0, 4, {}, "other-token", 2000);
        auto second = transport->push(test::sync_batch("store-001", 1, 4), 1000);
        REQUIRE(second.status == TransportStatus::ok);
        REQUIRE(second.acknowledged_event_ids.size() == 2);
        CHECK(second.acknowledged_event_ids[1] == test::sync_event("store-001", 2)["event_id"].as_string());

        auto pulled = transport->pull(1, 1000);
        REQUIRE(pulled.status == TransportStatus::ok);
        REQUIRE(pulled.changes.size() == 1);
        CHECK(pulled.changes[0]["revision"].as_int() == 2);
        CHECK(pulled.revision == 2);
    }
}

TEST_CASE("a tampered master bundle is rejected with the reason and left in place") {
    test::TempDir stick("till-stick");
    test::SyncPluginRig rig("store-001");
    REQUIRE(rig.start("sync_file", store_config(stick.path())).ok());
    write_master(stick.path(), "store-001", 0, 3, {1, 2, 3}, "store-token", 1000);
    const std::string path = stick.file("store-001.till-bundle");
    std::string bytes = test::read_file(path);
    bytes[bytes.size() - 5] ^= 0x20;
    std::ofstream(path, std::ios::binary) << bytes;
    {
        auto transport = rig.transport("file");
        auto pulled = transport->pull(0, 1000);
        CHECK(pulled.status == TransportStatus::rejected);
        CHECK(pulled.message.find("signature") != std::string::npos);
        CHECK(pulled.changes.empty());
        auto pushed = transport->push(test::sync_batch("store-001", 1, 3), 1000);
        CHECK(pushed.status == TransportStatus::ok);  // exported anyway
        CHECK(pushed.acknowledged_event_ids.empty());
        CHECK(fs::exists(path));

        // Signed with another store's token: the same.
        write_master(stick.path(), "store-001", 0, 3, {1}, "someone-else", 2000);
        CHECK(transport->pull(0, 1000).status == TransportStatus::rejected);
        // Truncated.
        write_master(stick.path(), "store-001", 0, 3, {1}, "store-token", 3000);
        std::string good = test::read_file(path);
        std::ofstream(path, std::ios::binary) << good.substr(0, good.size() - 4);
        auto truncated = transport->pull(0, 1000);
        CHECK(truncated.status == TransportStatus::rejected);
        CHECK(truncated.message.find("truncated") != std::string::npos);
    }
}

TEST_CASE("without a medium the file transport is offline, without a token unauthorised") {
    test::TempDir dir("till-stick");
    {
        test::SyncPluginRig rig("store-001");
        REQUIRE(rig.start("sync_file", store_config(dir.file("not-mounted"))).ok());
        auto transport = rig.transport("file");
        CHECK(transport->push(test::sync_batch("store-001", 1, 1), 1000).status == TransportStatus::offline);
        CHECK(transport->pull(0, 1000).status == TransportStatus::offline);
        transport.reset();
    }
    test::SyncPluginRig rig("store-001");
    auto config = store_config(dir.path());
    config.set("token", "");
    REQUIRE(rig.start("sync_file", config).ok());
    auto transport = rig.transport("file");
    CHECK(transport->push(test::sync_batch("store-001", 1, 1), 1000).status == TransportStatus::unauthorised);
    transport.reset();
}
