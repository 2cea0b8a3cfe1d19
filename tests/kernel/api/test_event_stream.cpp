// The WebSocket event stream at /api/v1/events.
#include <catch2/catch.hpp>

#include <Poco/Net/NetException.h>

#include <thread>

#include "api/http_server.hpp"
#include "api_test_support.hpp"

using namespace till;
using till::test::WsClient;
using Poco::Net::WebSocket;

namespace {

using Node = till::test::ServerNode;

sdk::Value payload_n(int n) {
    sdk::Value v = sdk::Value::map();
    v.set("n", n);
    return v;
}

}  // namespace

TEST_CASE("the stream says hello with the last sequence, then sends matching events in order") {
    Node node;
    node.bus.publish("before.connect", nullptr);
    WsClient ws(node.port(), "?topics=order,plugin.started");
    auto hello = ws.receive_json();
    CHECK(hello["type"].as_string() == "hello");
    CHECK(hello["last_sequence"].as_int() == 1);

    node.bus.publish("plugin.stopped", nullptr);
    node.bus.publish("order.paid", payload_n(1));
    node.bus.publish_from("loyalty", "plugin.started", payload_n(2));
    node.bus.publish("orders.other", nullptr);
    node.bus.publish("order", payload_n(3));

    auto a = ws.receive_json();
    CHECK(a["type"].as_string() == "event");
    CHECK(a["topic"].as_string() == "order.paid");
    CHECK(a["sequence"].as_int() == 3);
    CHECK(a["payload"]["n"].as_int() == 1);
    CHECK(a["source"].as_string() == "kernel");
    CHECK(a["time_utc_ms"].as_int() > 0);
    auto b = ws.receive_json();
    CHECK(b["topic"].as_string() == "plugin.started");
    CHECK(b["source"].as_string() == "loyalty");
    CHECK(b["sequence"].as_int() == 4);
    auto c = ws.receive_json();
    CHECK(c["topic"].as_string() == "order");
    CHECK(c["sequence"].as_int() == 6);
}

TEST_CASE("no topics means every event") {
    Node node;
    WsClient ws(node.port());
    CHECK(ws.receive_json()["type"].as_string() == "hello");
    node.bus.publish("anything.at.all", nullptr);
    CHECK(ws.receive_json()["topic"].as_string() == "anything.at.all");
}

TEST_CASE("subscribe and unsubscribe messages change the topics and are answered") {
    Node node;
    WsClient ws(node.port(), "?topics=order");
    ws.receive_json();  // hello
    ws.send_text(R"({"subscribe":["device","order"]})");
    auto r = ws.receive_json();
    CHECK(r["type"].as_string() == "subscribed");
    CHECK(r["topics"].to_json() == R"(["order","device"])");
    ws.send_text(R"({"unsubscribe":["order"]})");
    CHECK(ws.receive_json()["topics"].to_json() == R"(["device"])");
    node.bus.publish("order.paid", nullptr);
    node.bus.publish("device.printer.ready", nullptr);
    auto e = ws.receive_json();
    CHECK(e["topic"].as_string() == "device.printer.ready");
}

TEST_CASE("bad messages get an error frame and the socket stays open") {
    Node node;
    WsClient ws(node.port(), "?topics=x");
    ws.receive_json();
    ws.send_text("this is not json");
    auto e1 = ws.receive_json();
    CHECK(e1["type"].as_string() == "error");
    CHECK_THAT(e1["message"].as_string(), Catch::Contains("invalid JSON"));
    ws.send_text(R"({"hello":"there"})");
    auto e2 = ws.receive_json();
    CHECK(e2["type"].as_string() == "error");
    CHECK_THAT(e2["message"].as_string(), Catch::Contains("unknown message"));
    ws.send_text(R"({"subscribe":[1]})");
    CHECK(ws.receive_json()["type"].as_string() == "error");
    ws.send_text(R"({"subscribe":["y"]})");
    CHECK(ws.receive_json()["type"].as_string() == "subscribed");
}

TEST_CASE("pings are answered and a client close is echoed") {
    Node node;
    WsClient ws(node.port());
    ws.receive_json();
    ws.socket->sendFrame("abc", 3, int(WebSocket::FRAME_FLAG_FIN) | int(WebSocket::FRAME_OP_PING));
    auto pong = ws.receive();
    CHECK(pong.opcode == WebSocket::FRAME_OP_PONG);
    CHECK(pong.payload == "abc");
    ws.socket->shutdown(WebSocket::WS_NORMAL_CLOSE, "bye");
    auto close = ws.receive();
    CHECK(close.opcode == WebSocket::FRAME_OP_CLOSE);
    CHECK(close.close_code() == 1000);
}

TEST_CASE("a client that never reads is closed with 1008 and publishing never blocks") {
    Node node;
    WsClient slow(node.port());
    WsClient fast(node.port(), "?topics=marker");
    fast.receive_json();
    const std::string blob(4096, 'x');
    sdk::Value payload = sdk::Value::map();
    payload.set("blob", blob);
    // Bounded: 20000 events of 4 KiB are far more than the socket buffers plus
    // the 1000-event queue; the loop ends because publish never waits.
    for (int i = 0; i < 20000; ++i) node.bus.publish("bulk", payload);
    node.bus.publish("marker", nullptr);
    CHECK(fast.receive_json()["topic"].as_string() == "marker");
    CHECK(node.logger->contains("fell behind"));

    int close_code = 0;
    for (int frames = 0; frames < 25000; ++frames) {
        auto f = slow.receive();
        if (f.opcode == -1) break;
        if (f.opcode == WebSocket::FRAME_OP_CLOSE) {
            close_code = f.close_code();
            break;
        }
    }
    CHECK(close_code == 1008);
}

TEST_CASE("200 idle websockets do not hold up a plain GET") {
    api::ServerSettings settings;
    settings.threads = 4;
    Node node(settings);
    std::vector<std::unique_ptr<WsClient>> idle;
    for (int i = 0; i < 200; ++i) idle.push_back(std::make_unique<WsClient>(node.port()));
    auto r = test::http(node.port(), "GET", "/api/v1/health");
    CHECK(r.status == 200);
    CHECK(r.json()["status"].as_string() == "ok");
    CHECK(idle.back()->receive_json()["type"].as_string() == "hello");
}

TEST_CASE("upgrades past max_websockets are refused with 503") {
    api::ServerSettings settings;
    settings.max_websockets = 2;
    Node node(settings);
    WsClient a(node.port()), b(node.port());
    Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(node.port()));
    Poco::Net::HTTPRequest req(Poco::Net::HTTPRequest::HTTP_GET, "/api/v1/events",
                               Poco::Net::HTTPMessage::HTTP_1_1);
    Poco::Net::HTTPResponse resp;
    CHECK_THROWS_AS(WebSocket(session, req, resp), Poco::Net::WebSocketException);
    CHECK(resp.getStatus() == 503);
    // A slot frees when a client leaves.
    a.socket->shutdown();
    a.receive();
    a.socket->close();
    CHECK(test::wait_until([&] {
        try {
            WsClient c(node.port());
            return true;
        } catch (const Poco::Exception&) {
            return false;
        }
    }));
}

TEST_CASE("a plain GET on the events path is told to upgrade") {
    Node node;
    auto r = test::http(node.port(), "GET", "/api/v1/events");
    CHECK(r.status == 400);
    CHECK(r.content_type == "application/problem+json");
}

TEST_CASE("stop() closes every websocket with 1001 and returns") {
    Node node;
    std::vector<std::unique_ptr<WsClient>> clients;
    for (int i = 0; i < 3; ++i) {
        clients.push_back(std::make_unique<WsClient>(node.port()));
        clients.back()->receive_json();
    }
    node.server->stop();
    for (auto& c : clients) {
        auto f = c->receive();
        CHECK(f.opcode == WebSocket::FRAME_OP_CLOSE);
        CHECK(f.close_code() == 1001);
    }
    node.server->stop();
    CHECK_THROWS(test::http(node.port(), "GET", "/api/v1/health"));
}

TEST_CASE("an event stream guard refuses an upgrade without a good token and lets a good one in", "[api][events]") {
    using namespace till;
    test::SystemClock clock;
    auto logger = std::make_shared<test::MemoryLogger>();
    events::EventBusImpl bus{clock, logger};
    api::Router router;
    api::HttpServer server({}, router, bus, logger);
    server.set_event_stream_guard([](const sdk::HttpRequest& request) {
        auto token = request.query.find("access_token");
        auto header = request.headers.find("authorization");
        if ((token != request.query.end() && token->second == "good") ||
            (header != request.headers.end() && header->second == "Bearer good"))
            return sdk::HttpResponse::json(sdk::Value::map());
        return sdk::HttpResponse::problem(401, "unauthorized", "log in first");
    });
    REQUIRE(server.start().ok());

    SECTION("no token: 401, no upgrade") {
        Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(server.port()));
        Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, "/api/v1/events",
                                       Poco::Net::HTTPMessage::HTTP_1_1);
        Poco::Net::HTTPResponse response;
        CHECK_THROWS_AS(Poco::Net::WebSocket(session, request, response), Poco::Net::WebSocketException);
        CHECK(response.getStatus() == 401);
    }
    SECTION("access_token in the query: upgraded, events flow") {
        test::WsClient client(server.port(), "?access_token=good");
        CHECK(client.receive_json()["type"].as_string() == "hello");
        bus.publish("order.opened", sdk::Value::map());
        auto event = client.receive_json();
        CHECK(event["topic"].as_string() == "order.opened");
    }
}
