// sync_http's pieces on their own: reconnect backoff bounds, the HTTP status
// mapping, gzip round trips and damage, and the wire-format parsers.
#include <catch2/catch.hpp>

#include "gzip_codec.hpp"
#include "http_transport.hpp"
#include "reconnect_backoff.hpp"
#include "wire_json.hpp"

using namespace till::sync_http;
using till::sdk::TransportStatus;

TEST_CASE("reconnect delays double from the initial wait up to the cap, with jitter in [cap/2, cap]") {
    for (std::uint64_t r : {0ULL, 1ULL, 12345ULL, ~0ULL}) {
        CHECK(reconnect_delay_ms(1, 1000, 60000, r) >= 500);
        CHECK(reconnect_delay_ms(1, 1000, 60000, r) <= 1000);
        CHECK(reconnect_delay_ms(3, 1000, 60000, r) >= 2000);
        CHECK(reconnect_delay_ms(3, 1000, 60000, r) <= 4000);
        CHECK(reconnect_delay_ms(50, 1000, 60000, r) >= 30000);
        CHECK(reconnect_delay_ms(50, 1000, 60000, r) <= 60000);
    }
    CHECK(reconnect_delay_ms(1, 1000, 60000, 0) == 500);
    CHECK(reconnect_delay_ms(1, 1000, 60000, 500) == 1000);
}

TEST_CASE("HTTP statuses map to transport statuses as documented") {
    CHECK(status_for_http(200) == TransportStatus::ok);
    CHECK(status_for_http(401) == TransportStatus::unauthorised);
    CHECK(status_for_http(403) == TransportStatus::unauthorised);
    CHECK(status_for_http(400) == TransportStatus::rejected);
    CHECK(status_for_http(413) == TransportStatus::rejected);
    CHECK(status_for_http(422) == TransportStatus::rejected);
    CHECK(status_for_http(503) == TransportStatus::failed);
    CHECK(status_for_http(404) == TransportStatus::failed);
}

TEST_CASE("gzip round-trips, and truncated or oversized streams are refused") {
    const std::string text(100000, 'x');
    const std::string gz = gzip_compress(text);
    CHECK(gz.size() < text.size() / 10);
    auto back = gzip_decompress(gz, 1 << 20);
    REQUIRE(back.ok());
    CHECK(*back == text);

    auto truncated = gzip_decompress(gz.substr(0, gz.size() - 6), 1 << 20);
    REQUIRE_FALSE(truncated.ok());
    CHECK(truncated.error().code == "invalid_data");

    auto too_big = gzip_decompress(gz, 1000);
    REQUIRE_FALSE(too_big.ok());
    CHECK(too_big.error().code == "too_large");

    CHECK_FALSE(gzip_decompress("{\"not\":\"gzip\"}", 1000).ok());
}

TEST_CASE("pull answers are checked with the JSON path of what is wrong") {
    auto ok = parse_pull_answer(
        R"({"schema":1,"revision":5,"more":true,"acknowledged_sequence":3,)"
        R"("changes":[{"revision":4,"type":"product","entity_id":"p1","payload":{}},)"
        R"({"revision":5,"type":"product","entity_id":"p2","payload":{}}]})");
    REQUIRE(ok.ok());
    CHECK(ok->revision == 5);
    CHECK(ok->more);
    CHECK(ok->changes.size() == 2);

    auto schema = parse_pull_answer(R"({"schema":2,"revision":0,"changes":[]})");
    REQUIRE_FALSE(schema.ok());
    CHECK(schema.error().message.rfind("schema:", 0) == 0);

    auto order = parse_pull_answer(
        R"({"schema":1,"revision":5,"changes":[{"revision":5,"type":"x"},{"revision":4,"type":"x"}]})");
    REQUIRE_FALSE(order.ok());
    CHECK(order.error().message.rfind("changes[1].revision:", 0) == 0);

    auto acks = parse_push_answer(R"({"acknowledged_event_ids":["a",7]})");
    REQUIRE_FALSE(acks.ok());
    CHECK(acks.error().message.rfind("acknowledged_event_ids[1]:", 0) == 0);

    CHECK(problem_text(R"({"title":"Bad","detail":"events[3].sequence: expected a positive integer"})") ==
          "events[3].sequence: expected a positive integer");
    CHECK(*parse_revision_notice(R"({"type":"revision","revision":42})") == 42);
    CHECK_FALSE(parse_revision_notice(R"({"type":"hello"})").ok());
}

TEST_CASE("the batch body is wire format v1") {
    till::sdk::SyncBatch batch{"b-1", "store-001", {till::sdk::Value::map()}};
    auto parsed = till::sdk::Value::parse_json(batch_json(batch));
    REQUIRE(parsed.ok());
    CHECK((*parsed)["schema"].as_int() == 1);
    CHECK((*parsed)["batch_id"].as_string() == "b-1");
    CHECK((*parsed)["node_id"].as_string() == "store-001");
    CHECK((*parsed)["events"].size() == 1);
}
