#include <catch2/catch.hpp>

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/WebSocket.h>
#include <signal.h>

#include "node_process.hpp"
#include "till/sdk/abi.hpp"
#include "support/http_client.hpp"
#include "till/sdk/value.hpp"

using till::sdk::Value;
using namespace till::test;

namespace {

Value receive_json(Poco::Net::WebSocket& ws) {
    char buffer[65536];
    int flags = 0;
    int n = ws.receiveFrame(buffer, sizeof buffer, flags);
    REQUIRE(n > 0);
    auto parsed = Value::parse_json(std::string(buffer, static_cast<std::size_t>(n)));
    REQUIRE(parsed);
    return *parsed;
}

}  // namespace

TEST_CASE("tilld serves HTTP and the event stream, and exits cleanly on SIGTERM", "[process]") {
    TempDir dir("till-proc");
    copy_fixture(dir, "fixture_good");
    dir.write("node.yaml", node_config());
    NodeProcess node(dir, "node.yaml");
    INFO(read_file(node.log));
    REQUIRE(node.port > 0);

    auto health = http_get(node.port, "/healthz");
    CHECK(health.status == 200);
    CHECK(health.body == R"({"status":"ok"})");

    auto info = http_get(node.port, "/api/v1/node");
    REQUIRE(info.status == 200);
    auto description = Value::parse_json(info.body);
    REQUIRE(description);
    CHECK((*description)["node_id"].as_string() == "proc-node");
    CHECK((*description)["role"].as_string() == "store");
    CHECK((*description)["sdk_abi"].as_string() ==
          std::to_string(TILL_SDK_ABI_MAJOR) + "." + std::to_string(TILL_SDK_ABI_MINOR));
    CHECK((*description)["storage"]["dialect"].as_string() == "sqlite");
    REQUIRE((*description)["plugins"].size() == 1);
    CHECK((*description)["plugins"].as_list()[0]["state"].as_string() == "running");

    auto missing = http_get(node.port, "/api/v1/nowhere");
    CHECK(missing.status == 404);
    CHECK(missing.content_type == "application/problem+json");

    // The event stream carries sales: no login, no stream.
    {
        Poco::Net::HTTPClientSession anonymous("127.0.0.1", static_cast<Poco::UInt16>(node.port));
        Poco::Net::HTTPRequest upgrade(Poco::Net::HTTPRequest::HTTP_GET, "/api/v1/events",
                                       Poco::Net::HTTPMessage::HTTP_1_1);
        Poco::Net::HTTPResponse refused;
        CHECK_THROWS(Poco::Net::WebSocket(anonymous, upgrade, refused));
        CHECK(refused.getStatus() == 401);
    }
    const std::string token = till::test::login_admin(node.port, dir.file("data"));
    REQUIRE_FALSE(token.empty());

    // The WebSocket: hello, then events as they happen.
    Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(node.port));
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, "/api/v1/events?topics=fixture&access_token=" + token,
                                   Poco::Net::HTTPMessage::HTTP_1_1);
    Poco::Net::HTTPResponse response;
    Poco::Net::WebSocket ws(session, request, response);
    ws.setReceiveTimeout(Poco::Timespan(10, 0));
    Value hello = receive_json(ws);
    CHECK(hello["type"].as_string() == "hello");
    std::string ping = R"({"subscribe":["fixture.pong"]})";
    ws.sendFrame(ping.data(), static_cast<int>(ping.size()));
    Value subscribed = receive_json(ws);
    CHECK(subscribed["type"].as_string() == "subscribed");

    // An event chain through the plugin: POST publishes fixture.ping, the
    // plugin's subscription publishes fixture.pong, the socket gets both.
    auto posted = http_request(node.port, "POST", "/api/v1/fixture/ping", R"({"table":7})");
    REQUIRE(posted.status == 202);
    Value ping_event = receive_json(ws);
    CHECK(ping_event["type"].as_string() == "event");
    CHECK(ping_event["topic"].as_string() == "fixture.ping");
    CHECK(ping_event["source"].as_string() == "fixture_good");
    CHECK(ping_event["payload"]["table"].as_int() == 7);
    Value pong_event = receive_json(ws);
    CHECK(pong_event["topic"].as_string() == "fixture.pong");
    CHECK(pong_event["sequence"].as_int() == ping_event["sequence"].as_int() + 1);

    REQUIRE(node.process->send_signal(SIGTERM));
    CHECK(node.process->wait_exit(30000) == 0);
    std::string out = read_file(node.log);
    CHECK_THAT(out, Catch::Contains("listening on http://127.0.0.1:" + std::to_string(node.port)));
    CHECK_THAT(out, Catch::Contains("tilld: stopped"));
}

TEST_CASE("tilld refuses an invalid config with file:line:col and exit code 2", "[process]") {
    TempDir dir("till-proc");
    auto path = dir.write("bad.yaml", "node:\n  id: x\n  role: stroe\n  listen: 127.0.0.1:0\n");
    std::string output;
    int code = run_command({bin("tilld"), "--config", path}, output);
    CHECK(code == 2);
    CHECK_THAT(output, Catch::Contains(path + ":3:9: node.role"));
    CHECK_THAT(output, Catch::Contains("did you mean \"store\"?"));
}

TEST_CASE("a broken plugin file gives a one-line reason and the node stays up", "[process]") {
    TempDir dir("till-proc");
    copy_fixture(dir, "fixture_good");
    dir.write("plugins/fixture_good/till-fixture-good.so", "garbage\n");
    copy_fixture(dir, "fixture_dependent");
    dir.write("node.yaml", node_config());
    NodeProcess node(dir, "node.yaml");
    INFO(read_file(node.log));
    REQUIRE(node.port > 0);
    std::string output;
    int code = run_command({bin("tillctl"), "--url", "http://127.0.0.1:" + std::to_string(node.port), "plugins"},
                           output);
    INFO(output);
    CHECK(code == 0);
    CHECK_THAT(output, Catch::Contains("fixture_good") && Catch::Contains("failed_to_load") &&
                           Catch::Contains("till-fixture-good.so: not an ELF shared library"));
    CHECK_THAT(output, Catch::Contains("depends on fixture_good, which is failed_to_load"));
    CHECK(http_get(node.port, "/healthz").status == 200);
    REQUIRE(node.process->send_signal(SIGINT));
    CHECK(node.process->wait_exit(30000) == 0);
}

TEST_CASE("SIGKILL leaves the data usable for the next start", "[process]") {
    TempDir dir("till-proc");
    copy_fixture(dir, "fixture_good");
    dir.write("node.yaml", node_config());
    {
        NodeProcess node(dir, "node.yaml");
        REQUIRE(node.port > 0);
        REQUIRE(node.process->send_signal(SIGKILL));
        CHECK(node.process->wait_exit(30000) == 128 + SIGKILL);
    }
    std::filesystem::remove(dir.file("port"));
    NodeProcess again(dir, "node.yaml");
    INFO(read_file(again.log));
    REQUIRE(again.port > 0);
    CHECK(http_get(again.port, "/healthz").status == 200);
    REQUIRE(again.process->send_signal(SIGTERM));
    CHECK(again.process->wait_exit(30000) == 0);
}
