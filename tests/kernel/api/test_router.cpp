#include <catch2/catch.hpp>

#include "api/json_body.hpp"
#include "api/router.hpp"
#include "api/ws_frame.hpp"

using till::api::Router;
using till::sdk::HttpMethod;
using till::sdk::HttpRequest;
using till::sdk::HttpResponse;

namespace {
till::sdk::RouteHandler answer(std::string text) {
    return [text](const HttpRequest&) {
        HttpResponse r;
        r.body = text;
        return r;
    };
}
std::string call(const Router::Match& m) { return m.handler(HttpRequest{}).body; }
}  // namespace

TEST_CASE("placeholders capture one non-empty, percent-decoded segment") {
    Router router;
    REQUIRE(router.add(HttpMethod::get, "/api/v1/orders/{order_id}/lines", answer("lines"), "kernel"));
    auto m = router.match(HttpMethod::get, "/api/v1/orders/A%2F7%20x/lines");
    REQUIRE(m.kind == Router::MatchKind::found);
    CHECK(m.params.at("order_id") == "A/7 x");
    CHECK(m.owner == "kernel");
    CHECK(call(m) == "lines");
    CHECK(router.match(HttpMethod::get, "/api/v1/orders//lines").kind == Router::MatchKind::not_found);
    CHECK(router.match(HttpMethod::get, "/api/v1/orders/7").kind == Router::MatchKind::not_found);
}

TEST_CASE("a trailing slash is a different path") {
    Router router;
    REQUIRE(router.add(HttpMethod::get, "/x", answer("x"), "kernel"));
    CHECK(router.match(HttpMethod::get, "/x").kind == Router::MatchKind::found);
    CHECK(router.match(HttpMethod::get, "/x/").kind == Router::MatchKind::not_found);
}

TEST_CASE("literal segments win over placeholders whatever the order of registration") {
    Router router;
    REQUIRE(router.add(HttpMethod::get, "/api/v1/orders/{order_id}", answer("one"), "kernel"));
    REQUIRE(router.add(HttpMethod::get, "/api/v1/orders/open", answer("open"), "plugin.a"));
    REQUIRE(router.add(HttpMethod::get, "/api/{x}/orders/{y}", answer("generic"), "plugin.b"));
    CHECK(call(router.match(HttpMethod::get, "/api/v1/orders/open")) == "open");
    CHECK(call(router.match(HttpMethod::get, "/api/v1/orders/17")) == "one");
    CHECK(call(router.match(HttpMethod::get, "/api/v2/orders/17")) == "generic");
}

TEST_CASE("the same method and shape conflict, naming the owner holding it") {
    Router router;
    REQUIRE(router.add(HttpMethod::get, "/a/{x}", answer("1"), "plugin.first"));
    auto st = router.add(HttpMethod::get, "/a/{y}", answer("2"), "plugin.second");
    REQUIRE_FALSE(st.ok());
    CHECK(st.error().code == "conflict");
    CHECK_THAT(st.message(), Catch::Contains("plugin.first"));
    CHECK(router.add(HttpMethod::post, "/a/{y}", answer("3"), "plugin.second").ok());
    CHECK(router.add(HttpMethod::get, "/a/b", answer("4"), "plugin.second").ok());
    CHECK_FALSE(router.add(HttpMethod::get, "/a/b", answer("5"), "plugin.third").ok());
}

TEST_CASE("bad patterns are refused") {
    Router router;
    CHECK(router.add(HttpMethod::get, "a/b", answer(""), "k").error().code == "invalid_argument");
    CHECK(router.add(HttpMethod::get, "/a/{}", answer(""), "k").error().code == "invalid_argument");
    CHECK(router.add(HttpMethod::get, "/a/x{y}", answer(""), "k").error().code == "invalid_argument");
    CHECK(router.add(HttpMethod::get, "/a/{y}/{y}", answer(""), "k").error().code == "invalid_argument");
    CHECK(router.add(HttpMethod::get, "/a", nullptr, "k").error().code == "invalid_argument");
}

TEST_CASE("a path known for other methods is 'method not allowed' with the allowed list") {
    Router router;
    REQUIRE(router.add(HttpMethod::get, "/items/{id}", answer("g"), "kernel"));
    REQUIRE(router.add(HttpMethod::del, "/items/{id}", answer("d"), "kernel"));
    auto m = router.match(HttpMethod::post, "/items/3");
    CHECK(m.kind == Router::MatchKind::method_not_allowed);
    CHECK(m.allowed_methods == std::vector<std::string>{"GET", "DELETE"});
}

TEST_CASE("remove_owner drops only that owner's routes, a held handler stays callable") {
    Router router;
    REQUIRE(router.add(HttpMethod::get, "/p/a", answer("a"), "plugin.a"));
    REQUIRE(router.add(HttpMethod::get, "/p/b", answer("b"), "plugin.b"));
    auto held = router.match(HttpMethod::get, "/p/a");
    router.remove_owner("plugin.a");
    CHECK(router.match(HttpMethod::get, "/p/a").kind == Router::MatchKind::not_found);
    CHECK(router.match(HttpMethod::get, "/p/b").kind == Router::MatchKind::found);
    CHECK(call(held) == "a");
    REQUIRE(router.routes().size() == 1);
    CHECK(router.routes()[0].owner == "plugin.b");
    CHECK(router.add(HttpMethod::get, "/p/a", answer("again"), "plugin.c").ok());
}

TEST_CASE("json bodies: object accepted, others answered with 400/415 problems") {
    HttpRequest req;
    req.body = R"({"qty_milli": 1000})";
    auto ok = till::api::parse_json_object_body(req);
    REQUIRE(ok.ok());
    CHECK((*ok.value)["qty_milli"].as_int() == 1000);

    req.body = "{\"a\": 1,";
    auto bad = till::api::parse_json_object_body(req);
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.problem.status == 400);
    CHECK(bad.problem.content_type == "application/problem+json");
    CHECK_THAT(bad.problem.body, Catch::Contains("line 1"));

    req.body = "[1]";
    auto list = till::api::parse_json_object_body(req);
    REQUIRE_FALSE(list.ok());
    CHECK_THAT(list.problem.body, Catch::Contains("\"path\":\"$\""));

    req.body = "{}";
    req.headers["content-type"] = "text/plain";
    auto media = till::api::parse_json_object_body(req);
    REQUIRE_FALSE(media.ok());
    CHECK(media.problem.status == 415);
    req.headers["content-type"] = "application/json; charset=utf-8";
    CHECK(till::api::parse_json_object_body(req).ok());
}

TEST_CASE("websocket frames: encoded lengths and masked client frames decode") {
    using namespace till::api::ws;
    CHECK(encode_frame(text, "hi") == std::string("\x81\x02hi", 4));
    CHECK(encode_frame(text, std::string(300, 'x')).size() == 304);
    CHECK(encode_frame(binary, std::string(70000, 'x')).size() == 70010);

    std::string masked = std::string("\x81\x82", 2) + std::string("\x01\x02\x03\x04", 4);
    masked += static_cast<char>('h' ^ 0x01);
    masked += static_cast<char>('i' ^ 0x02);
    Frame f;
    std::size_t used = 0;
    std::string err;
    std::uint16_t code = 0;
    CHECK(decode_frame(masked.substr(0, 5), 1024, f, used, err, code) == DecodeStatus::need_more);
    REQUIRE(decode_frame(masked, 1024, f, used, err, code) == DecodeStatus::frame);
    CHECK(f.payload == "hi");
    CHECK(used == masked.size());
    CHECK(decode_frame(std::string("\x81\x02hi", 4), 1024, f, used, err, code) ==
          DecodeStatus::error);  // unmasked
    CHECK(code == 1002);
}
