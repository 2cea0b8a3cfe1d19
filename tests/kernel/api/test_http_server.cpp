#include <catch2/catch.hpp>

#include <atomic>
#include <stdexcept>
#include <thread>

#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>

#include "api/http_server.hpp"
#include "api_test_support.hpp"

using namespace till;
using till::test::http;

namespace {

struct Fixture {
    test::SystemClock clock;
    std::shared_ptr<test::MemoryLogger> logger = std::make_shared<test::MemoryLogger>();
    events::EventBusImpl bus{clock, logger};
    api::Router router;
    std::unique_ptr<api::HttpServer> server;

    explicit Fixture(api::ServerSettings settings = {}) {
        REQUIRE(router.add(sdk::HttpMethod::get, "/api/v1/orders/{order_id}/lines",
                           [](const sdk::HttpRequest& r) {
                               sdk::Value v = sdk::Value::map();
                               v.set("order_id", r.path_params.at("order_id"));
                               v.set("q", r.query.count("q") ? r.query.at("q") : "");
                               v.set("agent", r.headers.count("x-till-agent")
                                                  ? r.headers.at("x-till-agent")
                                                  : "");
                               v.set("path", r.path);
                               return sdk::HttpResponse::json(v);
                           },
                           "kernel"));
        REQUIRE(router.add(sdk::HttpMethod::post, "/api/v1/echo",
                           [](const sdk::HttpRequest& r) {
                               sdk::HttpResponse resp;
                               resp.status = 201;
                               resp.content_type = "text/plain";
                               resp.body = r.body;
                               resp.headers["X-Echo-Bytes"] = std::to_string(r.body.size());
                               return resp;
                           },
                           "kernel"));
        REQUIRE(router.add(sdk::HttpMethod::get, "/api/v1/boom",
                           [](const sdk::HttpRequest&) -> sdk::HttpResponse {
                               throw std::runtime_error("printer on fire");
                           },
                           "printer_escpos"));
        server = std::make_unique<api::HttpServer>(settings, router, bus, logger);
        auto st = server->start();
        REQUIRE(st.ok());
        REQUIRE(server->port() > 0);
    }
    int port() const { return server->port(); }
};

api::ServerSettings small_body() {
    api::ServerSettings s;
    s.max_body_bytes = 1024;
    return s;
}

}  // namespace

TEST_CASE("routes receive decoded path params, query and lower-case headers") {
    Fixture f;
    Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(f.port()));
    Poco::Net::HTTPRequest req("GET", "/api/v1/orders/A%207/lines?q=caf%C3%A9+au+lait",
                               Poco::Net::HTTPMessage::HTTP_1_1);
    req.set("X-Till-Agent", "pos-3");
    session.sendRequest(req);
    Poco::Net::HTTPResponse resp;
    std::string body(std::istreambuf_iterator<char>(session.receiveResponse(resp)), {});
    CHECK(resp.getStatus() == 200);
    CHECK(resp.getContentType() == "application/json");
    CHECK(resp.getContentLength64() == static_cast<Poco::Int64>(body.size()));
    auto v = sdk::Value::parse_json(body);
    REQUIRE(v.ok());
    CHECK((*v)["order_id"].as_string() == "A 7");
    CHECK((*v)["q"].as_string() == "café au lait");
    CHECK((*v)["agent"].as_string() == "pos-3");
    CHECK((*v)["path"].as_string() == "/api/v1/orders/A%207/lines");
}

TEST_CASE("responses carry status, content type, headers and Content-Length") {
    Fixture f;
    auto r = http(f.port(), "POST", "/api/v1/echo", "hello till", "text/plain");
    CHECK(r.status == 201);
    CHECK(r.body == "hello till");
    CHECK(r.content_type == "text/plain");
    CHECK(r.headers["X-Echo-Bytes"] == "10");
    CHECK(r.headers["Content-Length"] == "10");
}

TEST_CASE("unknown path is 404 problem+json") {
    Fixture f;
    auto r = http(f.port(), "GET", "/api/v1/nothing");
    CHECK(r.status == 404);
    CHECK(r.content_type == "application/problem+json");
    CHECK(r.json()["status"].as_int() == 404);
    CHECK(r.json()["title"].as_string() == "not found");
    CHECK(r.headers.count("Content-Length") == 1);
}

TEST_CASE("a wrong method is 405 with an Allow header") {
    Fixture f;
    auto r = http(f.port(), "DELETE", "/api/v1/echo");
    CHECK(r.status == 405);
    CHECK(r.headers["Allow"] == "POST");
    CHECK(r.content_type == "application/problem+json");
    CHECK(r.json()["status"].as_int() == 405);
    auto odd = http(f.port(), "OPTIONS", "/api/v1/echo");
    CHECK(odd.status == 405);
}

TEST_CASE("a body over max_body_bytes is 413, one at the limit passes") {
    Fixture f(small_body());
    auto big = http(f.port(), "POST", "/api/v1/echo", std::string(2000, 'x'), "text/plain");
    CHECK(big.status == 413);
    CHECK(big.content_type == "application/problem+json");
    CHECK(big.json()["status"].as_int() == 413);
    auto fits = http(f.port(), "POST", "/api/v1/echo", std::string(1024, 'y'), "text/plain");
    CHECK(fits.status == 201);
    CHECK(fits.body.size() == 1024);
}

TEST_CASE("a chunked body over the limit is 413 too") {
    Fixture f(small_body());
    Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(f.port()));
    Poco::Net::HTTPRequest req("POST", "/api/v1/echo", Poco::Net::HTTPMessage::HTTP_1_1);
    req.setChunkedTransferEncoding(true);
    session.sendRequest(req) << std::string(3000, 'z');
    Poco::Net::HTTPResponse resp;
    std::string body(std::istreambuf_iterator<char>(session.receiveResponse(resp)), {});
    CHECK(resp.getStatus() == 413);
}

TEST_CASE("a malformed query is 400 problem+json") {
    Fixture f;
    auto r = http(f.port(), "GET", "/api/v1/orders/1/lines?q=%zz");
    CHECK(r.status == 400);
    CHECK(r.content_type == "application/problem+json");
}

TEST_CASE("a throwing handler answers 500, is logged with its owner and the server goes on") {
    Fixture f;
    auto r = http(f.port(), "GET", "/api/v1/boom");
    CHECK(r.status == 500);
    CHECK(r.content_type == "application/problem+json");
    CHECK(r.json()["title"].as_string() == "internal error");
    CHECK(r.body.find("printer on fire") == std::string::npos);  // not leaked to clients
    CHECK(f.logger->contains("printer_escpos", "printer on fire"));
    CHECK(http(f.port(), "GET", "/api/v1/orders/1/lines").status == 200);
}

TEST_CASE("concurrent clients are all answered") {
    Fixture f;
    std::atomic<int> ok{0};
    std::vector<std::thread> clients;
    for (int t = 0; t < 8; ++t)
        clients.emplace_back([&, t] {
            Poco::Net::HTTPClientSession session("127.0.0.1",
                                                 static_cast<Poco::UInt16>(f.port()));
            session.setKeepAlive(true);
            for (int i = 0; i < 25; ++i) {
                std::string id = std::to_string(t) + "-" + std::to_string(i);
                Poco::Net::HTTPRequest req("GET", "/api/v1/orders/" + id + "/lines",
                                           Poco::Net::HTTPMessage::HTTP_1_1);
                session.sendRequest(req);
                Poco::Net::HTTPResponse resp;
                std::string body(std::istreambuf_iterator<char>(session.receiveResponse(resp)), {});
                auto v = sdk::Value::parse_json(body);
                if (resp.getStatus() == 200 && v && (*v)["order_id"].as_string() == id) ++ok;
            }
        });
    for (auto& c : clients) c.join();
    CHECK(ok.load() == 200);
}

TEST_CASE("binding a taken port fails with a Status, and stop() is idempotent") {
    Fixture f;
    api::ServerSettings same;
    same.port = f.port();
    api::HttpServer second(same, f.router, f.bus, f.logger);
    auto st = second.start();
    REQUIRE_FALSE(st.ok());
    CHECK(st.error().code == "io_error");
    CHECK_THAT(st.message(), Catch::Contains(std::to_string(f.port())));
    second.stop();
    f.server->stop();
    f.server->stop();
}

namespace {

// Sends raw bytes and reads until the server closes (bounded by a timeout).
std::string raw_exchange(int port, const std::string& bytes) {
    Poco::Net::StreamSocket socket;
    socket.connect(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(port)));
    socket.setReceiveTimeout(Poco::Timespan(10, 0));
    socket.sendBytes(bytes.data(), static_cast<int>(bytes.size()));
    std::string answer;
    char buffer[4096];
    for (int reads = 0; reads < 1000; ++reads) {
        int n = 0;
        try {
            n = socket.receiveBytes(buffer, sizeof buffer);
        } catch (const Poco::Exception&) {
            break;
        }
        if (n <= 0) break;
        answer.append(buffer, static_cast<std::size_t>(n));
    }
    return answer;
}

}  // namespace

TEST_CASE("ambiguous or forbidden framing is 400 problem+json and the connection is closed") {
    Fixture f;
    const std::string smuggle =
        "POST /api/v1/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nContent-Length: 44\r\n\r\n"
        "GET /api/v1/orders/1/lines HTTP/1.1\r\nHost: x\r\n\r\n";
    for (const std::string& request :
         {smuggle,
          std::string("POST /api/v1/echo HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n"),
          std::string("POST /api/v1/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n"
                      "Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"),
          std::string("GET /api/v1/orders/1/lines HTTP/1.1\r\n\r\n")}) {
        INFO(request);
        std::string answer = raw_exchange(f.port(), request);
        CHECK(answer.rfind("HTTP/1.1 400", 0) == 0);
        CHECK(answer.find("application/problem+json") != std::string::npos);
        // Exactly one answer: the smuggled second request was never read.
        CHECK(answer.find("\nHTTP/1.1 ") == std::string::npos);
    }
}
