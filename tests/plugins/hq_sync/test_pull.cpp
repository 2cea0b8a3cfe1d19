// GET /sync/v1/changes over a real socket: pages in revision order, gzip when
// asked, the store's acknowledged sequence, and bad parameters.
#include <catch2/catch.hpp>

#include "gzip_codec.hpp"
#include "sync_rig.hpp"

using till::sdk::Value;
using till::test::SyncRig;

namespace {

Value product(int i) {
    Value p = Value::map();
    p.set("id", "p" + std::to_string(i));
    p.set("price_minor", 100 + i);
    return p;
}

Value parse(const std::string& body) {
    auto v = Value::parse_json(body);
    REQUIRE(v.ok());
    return *v;
}

}  // namespace

TEST_CASE("changes come in pages in revision order with more, then nothing newer") {
    SyncRig rig;
    const auto token = rig.hub.issue_token("store-001");
    for (int i = 1; i <= 5; ++i) rig.hub.add_change("product", "p" + std::to_string(i), product(i));
    const std::map<std::string, std::string> auth{{"Authorization", "Bearer " + token}};

    auto first = rig.get("/sync/v1/changes?since=0&limit=2", auth);
    INFO(first.body);
    REQUIRE(first.status == 200);
    auto page = parse(first.body);
    CHECK(page["schema"].as_int() == 1);
    CHECK(page["revision"].as_int() == 2);
    CHECK(page["more"].as_bool());
    REQUIRE(page["changes"].size() == 2);
    CHECK(page["changes"].as_list()[0]["revision"].as_int() == 1);
    CHECK(page["changes"].as_list()[1]["payload"]["price_minor"].as_int() == 102);

    auto rest = parse(rig.get("/sync/v1/changes?since=2", auth).body);
    CHECK(rest["revision"].as_int() == 5);
    CHECK_FALSE(rest["more"].as_bool());
    CHECK(rest["changes"].size() == 3);

    auto none = parse(rig.get("/sync/v1/changes?since=5", auth).body);
    CHECK(none["revision"].as_int() == 5);
    CHECK(none["changes"].size() == 0);
}

TEST_CASE("the pull answer carries the store's acknowledged sequence") {
    SyncRig rig;
    const auto token = rig.hub.issue_token("store-002");
    REQUIRE(rig.push(token, till::test::make_batch("store-002", 1, 7)).status == 200);
    auto page = parse(rig.get("/sync/v1/changes?since=0", {{"Authorization", "Bearer " + token}}).body);
    CHECK(page["acknowledged_sequence"].as_int() == 7);
}

TEST_CASE("a pull accepting gzip is answered gzip-compressed") {
    SyncRig rig;
    const auto token = rig.hub.issue_token("store-003");
    for (int i = 1; i <= 50; ++i) rig.hub.add_change("product", "p" + std::to_string(i), product(i));
    auto r = rig.get("/sync/v1/changes?since=0",
                     {{"Authorization", "Bearer " + token}, {"Accept-Encoding", "gzip, deflate"}});
    REQUIRE(r.status == 200);
    CHECK(r.headers["content-encoding"] == "gzip");
    auto plain = till::hq_sync::gunzip(r.body, 1 << 20);
    REQUIRE(plain.status == till::hq_sync::GunzipStatus::ok);
    CHECK(parse(plain.data)["changes"].size() == 50);
}

TEST_CASE("bad since or limit gets 400 naming the parameter, no token gets 401") {
    SyncRig rig;
    const auto token = rig.hub.issue_token("store-004");
    const std::map<std::string, std::string> auth{{"Authorization", "Bearer " + token}};
    for (const char* q : {"since=-1", "since=abc", "limit=0", "limit=x", "since=1.5"}) {
        auto r = rig.get(std::string("/sync/v1/changes?") + q, auth);
        INFO(q << " " << r.body);
        CHECK(r.status == 400);
        CHECK(r.body.find(std::string(q).substr(0, std::string(q).find('='))) != std::string::npos);
    }
    CHECK(rig.get("/sync/v1/changes?since=0").status == 401);
}

TEST_CASE("a pull while storage fails gets 503") {
    SyncRig rig;
    const auto token = rig.hub.issue_token("store-005");
    rig.hub.set_storage_down(true);
    CHECK(rig.get("/sync/v1/changes", {{"Authorization", "Bearer " + token}}).status == 503);
}
