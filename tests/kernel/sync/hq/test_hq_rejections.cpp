// Malformed batches are rejected with the JSON path of the first problem and
// nothing of them is applied (not even the valid events before it).
#include "hq_rig.hpp"

using namespace till;
using namespace till::sync::hq;
using namespace till::sync::hq::testing;

namespace {

struct Case {
    const char* name;
    std::function<void(sdk::SyncBatch&)> spoil;
    const char* message_start;
};

}  // namespace

TEST_CASE("hq rejections: each malformed batch names the path and applies nothing", "[sync][hq]") {
    const std::vector<Case> cases = {
        {"another store", [](sdk::SyncBatch& b) { b.node_id = "store-999"; }, "node_id: \"store-999\" is not"},
        {"no batch id", [](sdk::SyncBatch& b) { b.batch_id.clear(); }, "batch_id: must not be empty"},
        {"event not an object", [](sdk::SyncBatch& b) { b.events[2] = sdk::Value("x"); }, "events[2]: expected an object"},
        {"sequence zero", [](sdk::SyncBatch& b) { b.events[3].set("sequence", 0); },
         "events[3].sequence: expected a positive integer"},
        {"sequence text", [](sdk::SyncBatch& b) { b.events[3].set("sequence", "4"); },
         "events[3].sequence: expected a positive integer"},
        {"bad event id", [](sdk::SyncBatch& b) { b.events[1].set("event_id", "nope"); },
         "events[1].event_id: expected a UUID"},
        {"event of another node", [](sdk::SyncBatch& b) { b.events[1].set("node_id", "store-002"); },
         "events[1].node_id:"},
        {"bad hlc", [](sdk::SyncBatch& b) { b.events[4].set("hlc", "12-3-store-001"); }, "events[4].hlc: expected"},
        {"missing type", [](sdk::SyncBatch& b) { b.events[0].mutable_map().erase("type"); },
         "events[0].type: expected a string"},
        {"master data from a store", [](sdk::SyncBatch& b) { b.events[0].set("type", "product"); },
         "events[0].type: \"product\" is master data"},
        {"payload not an object", [](sdk::SyncBatch& b) { b.events[4].set("payload", sdk::Value::list()); },
         "events[4].payload: expected an object"},
        {"sale without total",
         [](sdk::SyncBatch& b) { b.events[3].mutable_map()["payload"].mutable_map().erase("totals"); },
         "events[3].payload.totals.total_minor: expected an integer"},
        {"stock delta text", [](sdk::SyncBatch& b) { b.events[4].mutable_map()["payload"].set("qty_delta_milli", "1"); },
         "events[4].payload.qty_delta_milli: expected an integer"},
        {"z without number", [](sdk::SyncBatch& b) { b.events[2].mutable_map()["payload"].mutable_map().erase("z_number"); },
         "events[2].payload.z_number: expected an integer"},
        {"one sequence, two ids",
         [](sdk::SyncBatch& b) {
             sdk::Value twin = b.events[0];
             twin.set("event_id", uuid_for("other", 1));
             b.events.push_back(twin);
         },
         "events[10].sequence: 1 is also used by event"},
    };
    for_each_backend("hq_reject", [&](Backend backend, const std::string& hint) {
        HqRig rig(fresh_place(backend, hint));
        for (const auto& c : cases) {
            INFO("case: " << c.name);
            auto batch = batch_of("store-001", mixed_events("store-001", 10));
            c.spoil(batch);
            auto r = rig.hub->apply_batch("store-001", batch);
            CHECK(r.status == sdk::TransportStatus::rejected);
            INFO("message: " << r.message);
            CHECK(r.message.rfind(c.message_start, 0) == 0);
            CHECK(r.acknowledged_event_ids.empty());
            CHECK(rig.count("sync_hq_events") == 0);
            CHECK(rig.count("sync_hq_orders") == 0);
        }
    });
}

TEST_CASE("hq rejections: a batch over hq_max_batch_events is refused", "[sync][hq]") {
    HqSettings settings;
    settings.max_batch_events = 5;
    HqRig rig(fresh_place(Backend::sqlite, "hq_reject_size"), settings);
    auto r = rig.hub->apply_batch("store-001", batch_of("store-001", mixed_events("store-001", 6)));
    CHECK(r.status == sdk::TransportStatus::rejected);
    CHECK(r.message.rfind("events: 6 events in one batch, more than the 5", 0) == 0);
    CHECK(rig.count("sync_hq_events") == 0);
}

TEST_CASE("hq rejections: a sequence held under another event id rolls the whole batch back", "[sync][hq]") {
    for_each_backend("hq_reject_clash", [](Backend backend, const std::string& hint) {
        HqRig rig(fresh_place(backend, hint));
        REQUIRE(rig.hub->apply_batch("store-001", batch_of("store-001", mixed_events("store-001", 3))).status ==
                sdk::TransportStatus::ok);
        const std::string before = rig.projections();
        auto next = mixed_events("store-001", 6);
        next[1].set("event_id", uuid_for("impostor", 2));  // sequence 2, other id
        auto r = rig.hub->apply_batch("store-001", batch_of("store-001", {next[3], next[4], next[1]}));
        CHECK(r.status == sdk::TransportStatus::rejected);
        INFO(r.message);
        CHECK(r.message.rfind("events[2].sequence: 2 is already held as event", 0) == 0);
        CHECK(rig.projections() == before);
    });
}

// Review R1: text that is not UTF-8 (or holds NUL) is the store's mistake: the
// batch is rejected with the path (422 at hq_sync), never a storage failure
// (503, which the store retries for ever with the event blocking its queue).
TEST_CASE("hq rejections: text that is not valid UTF-8 is rejected with its path, not a storage failure",
          "[sync][hq]") {
    const std::string bad_utf8 = std::string("caf") + static_cast<char>(0xE9) + " au lait";  // Latin-1 'é'
    const std::vector<Case> cases = {
        {"payload string", [&](sdk::SyncBatch& b) { b.events[3].mutable_map()["payload"].set("currency", bad_utf8); },
         "events[3].payload.currency: expected UTF-8 text"},
        {"nested payload string",
         [&](sdk::SyncBatch& b) {
             sdk::Value line = sdk::Value::map();
             line.set("name", bad_utf8);
             sdk::Value lines = sdk::Value::list();
             lines.push_back(std::move(line));
             b.events[3].mutable_map()["payload"].set("lines", std::move(lines));
         },
         "events[3].payload.lines[0].name: expected UTF-8 text"},
        {"payload key",
         [&](sdk::SyncBatch& b) { b.events[3].mutable_map()["payload"].set(bad_utf8, 1); },
         "events[3].payload: expected UTF-8 text in member names"},
        {"unknown type", [&](sdk::SyncBatch& b) { b.events[0].set("type", bad_utf8); },
         "events[0].type: expected UTF-8 text"},
        {"entity id", [&](sdk::SyncBatch& b) { b.events[4].set("entity_id", bad_utf8); },
         "events[4].entity_id: expected UTF-8 text"},
        {"NUL in a string", [&](sdk::SyncBatch& b) { b.events[4].set("entity_id", std::string("sku\0x", 5)); },
         "events[4].entity_id: expected UTF-8 text"},
        {"batch id", [&](sdk::SyncBatch& b) { b.batch_id = bad_utf8; }, "batch_id: expected UTF-8 text"},
    };
    for_each_backend("hq_reject_utf8", [&](Backend backend, const std::string& hint) {
        HqRig rig(fresh_place(backend, hint));
        for (const auto& c : cases) {
            INFO("case: " << c.name);
            auto batch = batch_of("store-001", mixed_events("store-001", 10));
            c.spoil(batch);
            auto r = rig.hub->apply_batch("store-001", batch);
            INFO("message: " << r.message);
            CHECK(r.status == sdk::TransportStatus::rejected);
            CHECK(r.message.rfind(c.message_start, 0) == 0);
            CHECK(rig.count("sync_hq_events") == 0);
        }
        // Valid multi-byte UTF-8 is fine.
        auto batch = batch_of("store-001", mixed_events("store-001", 10));
        batch.events[3].mutable_map()["payload"].set("note", "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80");
        auto ok = rig.hub->apply_batch("store-001", batch);
        INFO(ok.message);
        CHECK(ok.status == sdk::TransportStatus::ok);
    });
}
