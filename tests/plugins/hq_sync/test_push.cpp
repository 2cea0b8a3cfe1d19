// POST /sync/v1/batches over a real socket: applied once by event id, and
// every refusal (400 401 403 413 415 422 503) with a reason and nothing applied.
#include <catch2/catch.hpp>

#include <Poco/String.h>

#include "gzip_codec.hpp"
#include "sync_rig.hpp"

using till::sdk::Value;
using till::test::make_batch;
using till::test::SyncRig;

namespace {

Value parse(const std::string& body) {
    auto v = Value::parse_json(body);
    REQUIRE(v.ok());
    return *v;
}

void check_problem(const till::test::HttpReply& r, int status, const std::string& detail_part) {
    INFO(r.body);
    CHECK(r.status == status);
    CHECK(r.content_type.find("application/problem+json") == 0);
    CHECK(parse(r.body)["detail"].as_string().find(detail_part) != std::string::npos);
}

std::map<std::string, std::string> gzip_auth(const std::string& token) {
    return {{"Authorization", "Bearer " + token}, {"Content-Encoding", "gzip"}};
}

}  // namespace

TEST_CASE("a gzip batch is applied and answered with the acks, the same batch again is all duplicates") {
    SyncRig rig;
    const auto token = rig.hub.issue_token("store-001");
    const auto batch = make_batch("store-001", 1, 20);

    auto first = rig.push(token, batch);
    INFO(first.body);
    REQUIRE(first.status == 200);
    auto answer = parse(first.body);
    CHECK(answer["applied"].as_int() == 20);
    CHECK(answer["duplicates"].as_int() == 0);
    CHECK(answer["acknowledged_sequence"].as_int() == 20);
    REQUIRE(answer["acknowledged_event_ids"].size() == 20);
    CHECK(answer["acknowledged_event_ids"].as_list()[0].as_string() == till::test::uuid_for("store-001", 1, 1));

    auto again = rig.push(token, batch);
    REQUIRE(again.status == 200);
    auto second = parse(again.body);
    CHECK(second["applied"].as_int() == 0);
    CHECK(second["duplicates"].as_int() == 20);
    CHECK(second["acknowledged_event_ids"].size() == 20);
    CHECK(rig.hub.events_held() == 20);
    // By default each answer closes the connection: no worker idles on it.
    CHECK(Poco::icompare(again.headers["connection"], "close") == 0);
}

TEST_CASE("an uncompressed (identity) batch is accepted too") {
    SyncRig rig;
    const auto token = rig.hub.issue_token("store-002");
    for (const char* encoding : {"", "identity"}) {
        std::map<std::string, std::string> h{{"Authorization", "Bearer " + token}};
        if (*encoding) h["Content-Encoding"] = encoding;
        auto r = rig.post_raw(make_batch("store-002", 1, 3).to_json(), h);
        INFO(r.body);
        CHECK(r.status == 200);
    }
    CHECK(rig.hub.events_held() == 3);
}

TEST_CASE("tokens: missing, malformed, unknown and revoked get 401 and nothing is applied") {
    SyncRig rig;
    const auto token = rig.hub.issue_token("store-003");
    const auto body = till::hq_sync::gzip(make_batch("store-003", 1, 2).to_json());

    check_problem(rig.post_raw(body, {{"Content-Encoding", "gzip"}}), 401, "no store sync token");
    check_problem(rig.post_raw(body, {{"Authorization", "Basic abc"}, {"Content-Encoding", "gzip"}}), 401, "Bearer");
    check_problem(rig.post_raw(body, gzip_auth("not-a-token")), 401, "unknown or revoked");
    auto unknown = rig.post_raw(body, gzip_auth("not-a-token"));
    CHECK(unknown.headers["www-authenticate"].find("Bearer") == 0);

    REQUIRE(rig.post_raw(body, gzip_auth(token)).status == 200);
    rig.hub.revoke(token);
    check_problem(rig.push(token, make_batch("store-003", 3, 2)), 401, "unknown or revoked");
    CHECK(rig.hub.events_held() == 2);

    // A new token resumes where the store stopped.
    const auto fresh = rig.hub.issue_token("store-003");
    auto resumed = rig.push(fresh, make_batch("store-003", 3, 2));
    REQUIRE(resumed.status == 200);
    CHECK(parse(resumed.body)["acknowledged_sequence"].as_int() == 4);
}

TEST_CASE("a revoked token pushing a large batch reads the 401 and not a reset connection") {
    // The store must see "unauthorised", not "offline": HQ reads the body it
    // refuses before it answers and closes. 4 MiB is far beyond socket buffers.
    SyncRig rig;
    const std::string body(4 * 1024 * 1024, ' ');
    for (int attempt = 0; attempt < 5; ++attempt) {
        auto r = rig.post_raw(body, {{"Authorization", "Bearer not-a-token"}});
        INFO("attempt " << attempt << ": " << r.body);
        CHECK(r.status == 401);
    }
    CHECK(rig.hub.events_held() == 0);
}

TEST_CASE("a batch whose node_id is not the token's store gets 403") {
    SyncRig rig;
    const auto token = rig.hub.issue_token("store-004");
    check_problem(rig.push(token, make_batch("store-999", 1, 2)), 403, "store-999");
    CHECK(rig.hub.apply_calls() == 0);
}

TEST_CASE("corrupt, truncated and non-JSON bodies get 400 with a reason") {
    SyncRig rig;
    const auto token = rig.hub.issue_token("store-005");
    const auto packed = till::hq_sync::gzip(make_batch("store-005", 1, 50).to_json());

    check_problem(rig.post_raw(packed.substr(0, packed.size() / 2), gzip_auth(token)), 400, "truncated");
    check_problem(rig.post_raw("this is not gzip", gzip_auth(token)), 400, "gzip body is corrupt");
    check_problem(rig.post_raw(till::hq_sync::gzip("{\"schema\": 1, \"events\": ["), gzip_auth(token)), 400,
                  "not valid JSON");
    check_problem(rig.post_raw(till::hq_sync::gzip("{\"schema\": 1.5}"), gzip_auth(token)), 400, "not valid JSON");
    check_problem(rig.post_raw("", {{"Authorization", "Bearer " + token}}), 400, "empty");
    CHECK(rig.hub.apply_calls() == 0);
    CHECK(rig.hub.events_held() == 0);
}

TEST_CASE("a wrong schema or a bad envelope gets 422 naming the field") {
    SyncRig rig;
    const auto token = rig.hub.issue_token("store-006");
    auto batch = make_batch("store-006", 1, 2);

    auto wrong = batch;
    wrong.set("schema", 2);
    check_problem(rig.push(token, wrong), 422, "schema: unsupported schema 2");

    auto no_id = batch;
    no_id.set("batch_id", "");
    check_problem(rig.push(token, no_id), 422, "batch_id: expected a non-empty string");

    auto bad_event = batch;
    Value events = batch["events"];
    events.mutable_list()[1] = Value("not an event");
    bad_event.set("events", events);
    auto r = rig.push(token, bad_event);
    check_problem(r, 422, "events[1]: expected an event object");
    CHECK(parse(r.body)["errors"].as_list().at(0)["path"].as_string() == "$.events[1]");

    check_problem(rig.post_raw(till::hq_sync::gzip("[1,2]"), gzip_auth(token)), 422, "JSON object");
    CHECK(rig.hub.apply_calls() == 0);
}

TEST_CASE("an event the hub rejects gets 422 with the hub's path and nothing is applied") {
    SyncRig rig;
    const auto token = rig.hub.issue_token("store-007");
    auto batch = make_batch("store-007", 1, 5);
    Value events = batch["events"];
    events.mutable_list()[3].set("sequence", -4);
    batch.set("events", events);
    check_problem(rig.push(token, batch), 422, "events[3].sequence: expected a positive integer");
    CHECK(rig.hub.events_held() == 0);
}

TEST_CASE("the hub's own refusals map to 403 (another store's event) and 413 (its event limit)") {
    SyncRig rig;
    const auto token = rig.hub.issue_token("store-011");
    auto batch = make_batch("store-011", 1, 4);
    Value events = batch["events"];
    events.mutable_list()[2].set("node_id", "store-012");
    batch.set("events", events);
    auto r = rig.push(token, batch);
    check_problem(r, 403, "events[2].node_id");
    CHECK(parse(r.body)["errors"].as_list().at(0)["path"].as_string() == "$.events[2].node_id");

    rig.hub.set_max_batch_events(3);
    check_problem(rig.push(token, make_batch("store-011", 1, 4)), 413, "events in one batch");
    CHECK(rig.hub.events_held() == 0);
}

TEST_CASE("bodies over max_body_bytes, gzip bombs and too many events get 413") {
    till::hq_sync::Settings settings;
    settings.max_body_bytes = 64 * 1024;
    settings.max_batch_events = 100;
    SyncRig rig(settings);
    const auto token = rig.hub.issue_token("store-008");

    // As sent: a plain body over the limit (Content-Length says so).
    const std::string big = make_batch("store-008", 1, 600).to_json();
    REQUIRE(big.size() > 64 * 1024);
    check_problem(rig.post_raw(big, {{"Authorization", "Bearer " + token}}), 413, "max_body_bytes");

    // After gunzip: small on the wire, too big once inflated.
    const std::string padded = "{\"schema\":1,\"pad\":\"" + std::string(200 * 1024, 'a') + "\"}";
    check_problem(rig.post_raw(till::hq_sync::gzip(padded), gzip_auth(token)), 413, "expands beyond");

    check_problem(rig.push(token, make_batch("store-008", 1, 101)), 413, "at most 100");
    CHECK(rig.hub.apply_calls() == 0);
    REQUIRE(rig.push(token, make_batch("store-008", 1, 100)).status == 200);
}

TEST_CASE("an unknown Content-Encoding gets 415") {
    SyncRig rig;
    const auto token = rig.hub.issue_token("store-009");
    check_problem(rig.post_raw("x", {{"Authorization", "Bearer " + token}, {"Content-Encoding", "br"}}), 415, "br");
}

TEST_CASE("when HQ's storage fails the push gets 503 and the store keeps its events") {
    SyncRig rig;
    const auto token = rig.hub.issue_token("store-010");
    rig.hub.set_storage_down(true);
    auto r = rig.push(token, make_batch("store-010", 1, 3));
    check_problem(r, 503, "storage unavailable");
    CHECK(r.headers.count("retry-after") == 1);
    rig.hub.set_storage_down(false);
    CHECK(rig.push(token, make_batch("store-010", 1, 3)).status == 200);
}

TEST_CASE("unknown paths get 404 and wrong methods 405") {
    SyncRig rig;
    auto nf = rig.get("/sync/v1/nothing");
    CHECK(nf.status == 404);
    auto wrong = rig.get("/sync/v1/batches");
    CHECK(wrong.status == 405);
    CHECK(wrong.headers["allow"] == "POST");
}
