// The /api/v1/orders routes over real HTTP with real login tokens from the
// people module: a sale from open to return, strict bodies (4xx naming the
// JSON path, never 500), versions, state refusals and manager overrides.
#include <catch2/catch.hpp>

#include "orders_world.hpp"
#include "support/http_client.hpp"

using namespace till;
using sdk::Value;

namespace {

struct Api {
    test::DomainFixture f;
    test::SalesWorld w{f};
    std::string alice;
    std::string bob;
    Api() {
        w.seed_catalog();
        w.open_register("T1");
        w.serve();
        alice = login("alice", "1111");
        bob = login("bob", "2222");
    }
    std::string login(const std::string& name, const std::string& pin) {
        Value body = Value::map();
        body.set("user_name", name);
        body.set("pin", pin);
        body.set("terminal_id", "T1");
        auto r = test::call(w.port(), "POST", "/api/v1/auth/login", "", body);
        REQUIRE(r.status == 200);
        return r.json["token"].as_string();
    }
    test::Reply call(const std::string& method, const std::string& path, const Value& body = Value(),
                     const std::string& token = {}, const std::string& override_token = {}) {
        return test::call(w.port(), method, path, token.empty() ? alice : token, body, override_token);
    }
    Value open() {
        Value body = Value::map();
        body.set("order_type", "retail");
        auto r = call("POST", "/api/v1/orders", body);
        REQUIRE(r.status == 201);
        return r.json;
    }
    test::Reply add(const Value& order, const std::string& sku, long long qty = 1000, Value extra = Value::map()) {
        Value body = extra;
        body.set("expected_version", order["version"]);
        body.set("sku", sku);
        body.set("qty_milli", qty);
        return call("POST", "/api/v1/orders/" + order["order_id"].as_string() + "/lines", body);
    }
};

std::string json_path(const test::Reply& r) {
    const auto& errors = r.json["errors"].as_list();
    return errors.empty() ? std::string() : errors.front()["path"].as_string();
}

Value with_version(const Value& order) {
    Value v = Value::map();
    v.set("expected_version", order["version"]);
    return v;
}

}  // namespace

TEST_CASE("a sale over HTTP: open, add lines, change, remove, submit, pay, return", "[orders][routes]") {
    Api api;
    Value order = api.open();
    CHECK(order["state"].as_string() == "open");
    CHECK(order["version"].as_int() == 1);
    CHECK(order["payments"].is_list());
    CHECK(!order["register_session_id"].is_null());
    const std::string id = order["order_id"].as_string();

    Value extra = Value::map();
    Value mods = Value::list();
    mods.push_back(api.w.modifier_id("oat"));
    extra.set("modifiers", mods);
    extra.set("note", "extra hot");
    auto a = api.add(order, "COFFEE", 2000, extra);
    REQUIRE(a.status == 201);
    CHECK(a.headers["location"].find("/api/v1/orders/" + id + "/lines/") == 0);
    const Value& line = a.json["lines"].as_list().at(0);
    CHECK(line["gross_minor"].as_int() == 580);
    CHECK(line["taxes"].as_list().at(0)["tax_minor"].as_int() == 97);
    CHECK(line["note"].as_string() == "extra hot");

    Value barcode = Value::map();
    barcode.set("expected_version", a.json["version"]);
    barcode.set("barcode", "4006381333931");
    auto b = api.call("POST", "/api/v1/orders/" + id + "/lines", barcode);
    REQUIRE(b.status == 201);
    CHECK(b.json["totals"]["total_minor"].as_int() == 2580);
    const std::string shirt = b.json["lines"].as_list().at(1)["line_id"].as_string();

    Value change = with_version(b.json);
    change.set("qty_milli", 2000);
    auto c = api.call("PATCH", "/api/v1/orders/" + id + "/lines/" + shirt, change);
    REQUIRE(c.status == 200);
    CHECK(c.json["totals"]["total_minor"].as_int() == 4580);

    auto d = api.call("DELETE", "/api/v1/orders/" + id + "/lines/" + shirt + "?expected_version=" +
                                    std::to_string(c.json["version"].as_int()));
    REQUIRE(d.status == 200);
    CHECK(d.json["lines"].size() == 1);

    Value patch = with_version(d.json);
    patch.set("customer_id", "cust-7");
    Value disc = Value::map();
    disc.set("amount_minor", 80);
    patch.set("discount", disc);
    auto e = api.call("PATCH", "/api/v1/orders/" + id, patch);
    REQUIRE(e.status == 200);
    CHECK(e.json["customer_id"].as_string() == "cust-7");
    CHECK(e.json["totals"]["total_minor"].as_int() == 500);

    auto s = api.call("POST", "/api/v1/orders/" + id + "/submit", with_version(e.json));
    REQUIRE(s.status == 200);
    CHECK(s.json["state"].as_string() == "submitted");
    CHECK(api.f.last_event("order.submitted").payload["order_id"].as_string() == id);

    REQUIRE(api.w.settle(id).ok());
    auto got = api.call("GET", "/api/v1/orders/" + id);
    REQUIRE(got.status == 200);
    CHECK(got.json["state"].as_string() == "closed");

    auto paid_add = api.add(got.json, "COFFEE");
    CHECK(paid_add.status == 409);
    CHECK(paid_add.json["code"].as_string() == "invalid_state");
    CHECK(paid_add.json["detail"].as_string() == "order is closed; cannot add lines (closed orders cannot change)");

    Value ret = Value::map();
    ret.set("reason_code", "changed_mind");
    Value lines = Value::list();
    Value one = Value::map();
    one.set("line_id", got.json["lines"].as_list().at(0)["line_id"]);
    one.set("qty_milli", 1000);
    lines.push_back(one);
    ret.set("lines", lines);
    auto r = api.call("POST", "/api/v1/orders/" + id + "/returns", ret);
    REQUIRE(r.status == 201);
    CHECK(r.json["is_return"].as_bool());
    CHECK(r.json["original_order_id"].as_string() == id);
    CHECK(r.json["totals"]["total_minor"].as_int() == -250);  // half of what the two coffees cost after discount

    ret.set("lines", Value::list());
    one.set("qty_milli", 5000);
    lines = Value::list();
    lines.push_back(one);
    ret.set("lines", lines);
    auto over = api.call("POST", "/api/v1/orders/" + id + "/returns", ret);
    CHECK(over.status == 422);
    CHECK(json_path(over) == "$.lines[0].qty_milli");

    auto list = api.call("GET", "/api/v1/orders?limit=1");
    REQUIRE(list.status == 200);
    CHECK(list.json["items"].size() == 1);
    CHECK(list.json["items"].as_list().at(0)["order_id"].as_string() == r.json["order_id"].as_string());
    auto next = api.call("GET", "/api/v1/orders?limit=1&cursor=" + list.json["next"].as_string());
    CHECK(next.json["items"].as_list().at(0)["order_id"].as_string() == id);
    auto closed = api.call("GET", "/api/v1/orders?state=closed");
    CHECK(closed.json["items"].size() == 1);
}

TEST_CASE("bad requests are 4xx problems naming the JSON path, never 500", "[orders][routes]") {
    Api api;
    auto no_token = test::call(api.w.port(), "GET", "/api/v1/orders", "");
    CHECK(no_token.status == 401);

    Value bogus = Value::map();
    bogus.set("order_type", "retail");
    bogus.set("bogus", 1);
    auto unknown_field = api.call("POST", "/api/v1/orders", bogus);
    CHECK(unknown_field.status == 422);
    CHECK(json_path(unknown_field) == "$.bogus");
    Value wrong_type = Value::map();
    wrong_type.set("order_type", 5);
    CHECK(json_path(api.call("POST", "/api/v1/orders", wrong_type)) == "$.order_type");
    Value unknown_type = Value::map();
    unknown_type.set("order_type", "dine_in");
    auto ut = api.call("POST", "/api/v1/orders", unknown_type);
    CHECK(ut.status == 422);
    CHECK(json_path(ut) == "$.order_type");

    auto bad_json = test::http_call(api.w.port(), "POST", "/api/v1/orders", "{\"order_type\": ",
                                    {{"Authorization", "Bearer " + api.alice}});
    CHECK(bad_json.status == 400);

    Value order = api.open();
    const std::string lines = "/api/v1/orders/" + order["order_id"].as_string() + "/lines";
    auto negative = api.add(order, "COFFEE", -1000);
    CHECK(negative.status == 422);
    CHECK(json_path(negative) == "$.qty_milli");
    auto unknown_sku = api.add(order, "NOPE");
    CHECK(unknown_sku.status == 422);
    CHECK(json_path(unknown_sku) == "$.sku");
    Value no_version = Value::map();
    no_version.set("sku", "COFFEE");
    CHECK(json_path(api.call("POST", lines, no_version)) == "$.expected_version");
    Value bad_mods = Value::map();
    Value mods = Value::list();
    mods.push_back(7);
    bad_mods.set("modifiers", mods);
    auto bm = api.add(order, "COFFEE", 1000, bad_mods);
    CHECK(bm.status == 422);
    CHECK(json_path(bm) == "$.modifiers[0]");
    Value bad_disc = Value::map();
    Value d = Value::map();
    d.set("percent_bp", 20000);
    bad_disc.set("discount", d);
    CHECK(json_path(api.add(order, "COFFEE", 1000, bad_disc)) == "$.discount.percent_bp");
    auto half = api.add(order, "SHIRT", 1500);
    CHECK(json_path(half) == "$.qty_milli");

    auto stale = api.add(order, "COFFEE");
    REQUIRE(stale.status == 201);
    auto conflict = api.add(order, "COFFEE");  // still version 1
    CHECK(conflict.status == 409);
    CHECK(conflict.json["code"].as_string() == "conflict");
    CHECK(conflict.json["detail"].as_string().find("current_version=2") != std::string::npos);

    CHECK(api.call("GET", "/api/v1/orders/0190f5c2-7a3e-7c41-8b2d-5e8f1a2b3c4d").status == 404);
    CHECK(api.call("GET", "/api/v1/orders?limit=0").status == 422);
    CHECK(api.call("GET", "/api/v1/orders?limit=abc").status == 422);
    CHECK(api.call("GET", "/api/v1/orders?state=happy").status == 422);
    CHECK(api.call("GET", "/api/v1/orders?colour=red").status == 422);
    auto del = api.call("DELETE", lines + "/nope");
    CHECK(del.status == 422);
    CHECK(json_path(del) == "$.expected_version");
    Value ret = Value::map();
    ret.set("reason_code", "changed_mind");
    Value items = Value::list();
    items.push_back("not an object");
    ret.set("lines", items);
    auto bad_return = api.call("POST", "/api/v1/orders/" + order["order_id"].as_string() + "/returns", ret);
    CHECK(bad_return.status == 422);
    CHECK(json_path(bad_return) == "$.lines[0]");
    auto close_open = api.call("POST", "/api/v1/orders/" + order["order_id"].as_string() + "/close",
                               with_version(stale.json));
    CHECK(close_open.status == 409);
    CHECK(close_open.json["code"].as_string() == "invalid_state");
}

TEST_CASE("a supervisor's override lets a cashier give a discount over the limit and void an order",
          "[orders][routes][overrides]") {
    Api api;
    Value order = api.open();
    Value extra = Value::map();
    Value d = Value::map();
    d.set("percent_bp", 5000);
    extra.set("discount", d);
    auto refused = api.add(order, "SHIRT", 1000, extra);
    CHECK(refused.status == 403);
    CHECK(refused.json["code"].as_string() == "override_required");

    // The supervisor authorises it at the till (POST /api/v1/auth/overrides), the cashier retries.
    Value grant = Value::map();
    grant.set("action", "discount.over_limit");
    grant.set("supervisor_user_name", "bob");
    grant.set("pin", "2222");
    grant.set("reason", "damaged box");
    auto token = api.call("POST", "/api/v1/auth/overrides", grant);
    REQUIRE(token.status == 201);
    auto retried = api.add(order, "SHIRT", 1000, extra);
    CHECK(retried.status == 403);  // without the header: still refused
    retried = test::call(api.w.port(), "POST", "/api/v1/orders/" + order["order_id"].as_string() + "/lines",
                         api.alice, [&] {
                             Value body = extra;
                             body.set("expected_version", order["version"]);
                             body.set("sku", "SHIRT");
                             return body;
                         }(),
                         token.json["override_token"].as_string());
    REQUIRE(retried.status == 201);
    CHECK(retried.json["totals"]["total_minor"].as_int() == 1000);

    auto all = api.w.audit.list(0, 500);
    REQUIRE(all);
    bool found = false;
    for (const auto& e : *all)
        if (e.action == "discount.over_limit") {
            found = true;
            CHECK(e.authorized_by == token.json["supervisor_user_id"].as_string());
        }
    CHECK(found);

    Value v = with_version(retried.json);
    v.set("reason", "customer left");
    auto cashier_void = api.call("POST", "/api/v1/orders/" + order["order_id"].as_string() + "/void", v);
    CHECK(cashier_void.status == 403);
    auto bob_void = api.call("POST", "/api/v1/orders/" + order["order_id"].as_string() + "/void", v, api.bob);
    REQUIRE(bob_void.status == 200);
    CHECK(bob_void.json["state"].as_string() == "voided");
    CHECK(bob_void.json["void_reason"].as_string() == "customer left");
}
