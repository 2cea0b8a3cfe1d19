// Hostile clients, careless integrators and races against the orders routes
// (review findings): every bad input is a 4xx problem naming where, never a
// 500; money never overflows or goes the wrong way; closed and voided orders
// do not change; two returns of the same line cannot over-return.
#include <catch2/catch.hpp>

#include <atomic>
#include <limits>
#include <thread>

#include "orders_world.hpp"
#include "support/http_client.hpp"

using namespace till;
using sdk::Value;

namespace {

struct Hostile {
    test::DomainFixture f;
    test::SalesWorld w;
    std::string alice;
    explicit Hostile(test::Backend backend = test::Backend::sqlite) : f(backend), w(f) {
        w.seed_catalog();
        w.open_register("T1");
        w.serve();
        alice = w.token("alice", "1111");
    }
    test::Reply call(const std::string& method, const std::string& path, const Value& body = Value(),
                     const std::string& override_token = {}) {
        return test::call(w.port(), method, path, alice, body, override_token);
    }
    test::HttpReply raw(const std::string& method, const std::string& path, const std::string& body,
                        const std::string& content_type = "application/json") {
        return test::http_call(w.port(), method, path, body,
                               {{"Authorization", "Bearer " + alice}, {"Content-Type", content_type}});
    }
    Value open() {
        Value body = Value::map();
        body.set("order_type", "retail");
        auto r = call("POST", "/api/v1/orders", body);
        REQUIRE(r.status == 201);
        return r.json;
    }
    static std::string path(const Value& order) { return "/api/v1/orders/" + order["order_id"].as_string(); }
    test::Reply add(const Value& order, Value body) {
        body.set("expected_version", order["version"]);
        return call("POST", path(order) + "/lines", body);
    }
    Value line(const std::string& sku, long long qty) {
        Value b = Value::map();
        b.set("sku", sku);
        b.set("qty_milli", qty);
        return b;
    }
    /// An order with one line of `sku`, settled (closed for retail).
    Value sold(const std::string& sku, long long qty) {
        Value o = open();
        auto r = add(o, line(sku, qty));
        REQUIRE(r.status == 201);
        REQUIRE(w.settle(o["order_id"].as_string()).ok());
        return call("GET", path(o)).json;
    }
};

std::string json_path(const test::Reply& r) {
    const auto& errors = r.json["errors"];
    if (!errors.is_list() || errors.as_list().empty()) return {};
    return errors.as_list().front()["path"].as_string();
}

/// A 4xx problem+json naming `path` (when given).
void check_4xx(const test::Reply& r, int status, const std::string& path = {}) {
    INFO(r.status << " " << r.body);
    CHECK(r.status == status);
    if (!path.empty()) CHECK(json_path(r) == path);
}

}  // namespace

TEST_CASE("quantities: huge, negative, zero and fractional units are refused naming $.qty_milli",
          "[orders][hostile]") {
    Hostile h;
    Value o = h.open();
    check_4xx(h.add(o, h.line("SHIRT", std::numeric_limits<std::int64_t>::max())), 422, "$.qty_milli");
    check_4xx(h.add(o, h.line("SHIRT", std::numeric_limits<std::int64_t>::min())), 422, "$.qty_milli");
    check_4xx(h.add(o, h.line("SHIRT", -1000)), 422, "$.qty_milli");
    check_4xx(h.add(o, h.line("SHIRT", 0)), 422, "$.qty_milli");
    check_4xx(h.add(o, h.line("SHIRT", 1500)), 422, "$.qty_milli");
    auto frac = h.raw("POST", Hostile::path(o) + "/lines", R"({"expected_version":1,"sku":"SHIRT","qty_milli":1.5})");
    CHECK(frac.status == 400);  // the JSON reader takes no fractions: it names line and column
    CHECK_THAT(frac.body, Catch::Contains("column 49"));
    CHECK(h.add(o, h.line("APPLE", 1500)).status == 201);  // weighed: thousandths are fine
}

TEST_CASE("price × quantity that would overflow is a 422 naming the request's field", "[orders][hostile]") {
    Hostile h;
    Value o = h.open();
    Value big = h.line("TV", 1'000'000'000'000);  // the largest quantity taken
    big.set("unit_price_minor", std::int64_t{1} << 50);  // the largest price taken
    check_4xx(h.add(o, big), 422, "$.qty_milli");
    // Two lines each fine (5.6e18), together more than an int64: the second is named.
    const std::string bob = h.w.token("bob", "2222");
    Value half = h.line("TV", 5'000'000);
    half.set("unit_price_minor", std::int64_t{1} << 50);
    half.set("expected_version", o["version"]);
    auto first = test::call(h.w.port(), "POST", Hostile::path(o) + "/lines", bob, half);
    INFO(first.body);
    REQUIRE(first.status == 201);
    half.set("expected_version", first.json["version"]);
    auto r = test::call(h.w.port(), "POST", Hostile::path(o) + "/lines", bob, half);
    INFO(r.body);
    CHECK(r.status == 422);
    CHECK(json_path(r) == "$.qty_milli");
}

TEST_CASE("discounts never make a line or the order negative", "[orders][hostile]") {
    Hostile h;
    const std::string bob = h.w.token("bob", "2222");
    Value o = h.open();
    Value pct = h.line("SHIRT", 1000);
    Value d = Value::map();
    d.set("percent_bp", 10001);
    pct.set("discount", d);
    check_4xx(h.add(o, pct), 422, "$.discount.percent_bp");
    d = Value::map();
    d.set("amount_minor", -1);
    pct.set("discount", d);
    check_4xx(h.add(o, pct), 422, "$.discount.amount_minor");

    // A supervisor gives more than the line is worth: the line is free, not negative.
    d = Value::map();
    d.set("amount_minor", 999999);
    pct.set("discount", d);
    pct.set("expected_version", o["version"]);
    auto r = test::call(h.w.port(), "POST", Hostile::path(o) + "/lines", bob, pct);
    INFO(r.body);
    REQUIRE(r.status == 201);
    CHECK(r.json["totals"]["total_minor"].as_int() == 0);
    REQUIRE(h.add(r.json, h.line("TV", 1000)).status == 201);
    o = h.call("GET", Hostile::path(o)).json;
    Value patch = Value::map();
    d = Value::map();
    d.set("amount_minor", std::int64_t{1} << 50);
    patch.set("discount", d);
    patch.set("expected_version", o["version"]);
    auto p = test::call(h.w.port(), "PATCH", Hostile::path(o), bob, patch);
    INFO(p.body);
    REQUIRE(p.status == 200);
    CHECK(p.json["totals"]["total_minor"].as_int() == 0);
    for (const auto& l : p.json["lines"].as_list()) CHECK(l["total_minor"].as_int() >= 0);
}

TEST_CASE("price overrides: 0 is a (permitted) free item, negative is refused", "[orders][hostile]") {
    Hostile h;
    const std::string bob = h.w.token("bob", "2222");
    Value o = h.open();
    Value neg = h.line("SHIRT", 1000);
    neg.set("unit_price_minor", -1);
    check_4xx(h.add(o, neg), 422, "$.unit_price_minor");
    Value zero = h.line("SHIRT", 1000);
    zero.set("unit_price_minor", 0);
    check_4xx(h.add(o, zero), 403);  // a cashier needs price.override
    zero.set("expected_version", o["version"]);
    auto r = test::call(h.w.port(), "POST", Hostile::path(o) + "/lines", bob, zero);
    INFO(r.body);
    CHECK(r.status == 201);
    CHECK(r.json["totals"]["total_minor"].as_int() == 0);
}

TEST_CASE("modifiers: repeated, from another item, over the group's maximum are refused", "[orders][hostile]") {
    Hostile h;
    Value o = h.open();
    auto with_mods = [&](std::vector<std::string> names, const std::string& sku = "COFFEE") {
        Value b = h.line(sku, 1000);
        Value list = Value::list();
        for (const auto& n : names) list.push_back(h.w.modifier_id(n));
        b.set("modifiers", list);
        return h.add(o, b);
    };
    check_4xx(with_mods({"oat", "oat"}), 422, "$.modifiers[1]");
    check_4xx(with_mods({"oat", "soy"}), 422, "$.modifiers");          // Milk: at most 1
    check_4xx(with_mods({"oat"}, "SHIRT"), 422, "$.modifiers[0]");     // not a modifier of SHIRT
    Value unknown = h.line("COFFEE", 1000);
    Value list = Value::list();
    list.push_back(std::string(5000, 'x'));
    unknown.set("modifiers", list);
    check_4xx(h.add(o, unknown), 422, "$.modifiers[0]");
}

TEST_CASE("closed and voided orders do not change through any route", "[orders][hostile]") {
    Hostile h;
    const std::string bob = h.w.token("bob", "2222");
    Value closed = h.sold("SHIRT", 1000);
    REQUIRE(closed["state"].as_string() == "closed");
    Value voided = h.open();
    REQUIRE(h.add(voided, h.line("SHIRT", 1000)).status == 201);
    Value v = Value::map();
    v.set("expected_version", 2);
    v.set("reason", "customer left");
    auto vr = test::call(h.w.port(), "POST", Hostile::path(voided) + "/void", bob, v);
    REQUIRE(vr.status == 200);
    voided = vr.json;

    for (const Value& o : {closed, voided}) {
        INFO(o["state"].as_string());
        const std::string base = Hostile::path(o);
        const std::string line = o["lines"].as_list()[0]["line_id"].as_string();
        Value ver = Value::map();
        ver.set("expected_version", o["version"]);
        check_4xx(h.add(o, h.line("SHIRT", 1000)), 409);
        Value change = ver;
        change.set("qty_milli", 2000);
        check_4xx(h.call("PATCH", base + "/lines/" + line, change), 409);
        check_4xx(h.call("DELETE", base + "/lines/" + line, ver), 409);
        Value note = ver;
        note.set("customer_id", "");
        check_4xx(h.call("PATCH", base, note), 409);
        check_4xx(h.call("POST", base + "/submit", ver), 409);
        check_4xx(h.call("POST", base + "/close", ver), 409);
        Value why = ver;
        why.set("reason", "again");
        check_4xx(test::call(h.w.port(), "POST", base + "/void", bob, why), 409);
        auto after = h.call("GET", base);
        CHECK(after.json["version"].as_int() == o["version"].as_int());
        CHECK(after.json["state"].as_string() == o["state"].as_string());
    }
    // A voided sale cannot be returned; a return cannot be returned.
    Value ret = Value::map();
    ret.set("reason_code", "damaged");
    Value lines = Value::list();
    Value one = Value::map();
    one.set("line_id", voided["lines"].as_list()[0]["line_id"]);
    one.set("qty_milli", 1000);
    lines.push_back(one);
    ret.set("lines", lines);
    check_4xx(h.call("POST", Hostile::path(voided) + "/returns", ret), 409);
    one.set("line_id", closed["lines"].as_list()[0]["line_id"]);
    lines = Value::list();
    lines.push_back(one);
    ret.set("lines", lines);
    auto made = h.call("POST", Hostile::path(closed) + "/returns", ret);
    REQUIRE(made.status == 201);
    one.set("line_id", made.json["lines"].as_list()[0]["line_id"]);
    lines = Value::list();
    lines.push_back(one);
    ret.set("lines", lines);
    check_4xx(h.call("POST", Hostile::path(made.json) + "/returns", ret), 409);
}

TEST_CASE("an empty order cannot be submitted", "[orders][hostile]") {
    Hostile h;
    Value o = h.open();
    Value ver = Value::map();
    ver.set("expected_version", 1);
    check_4xx(h.call("POST", Hostile::path(o) + "/submit", ver), 409);
    CHECK_FALSE(h.w.settle(o["order_id"].as_string()).ok());
}

TEST_CASE("expected_version missing, negative, huge, a string or a float is a 422 naming it", "[orders][hostile]") {
    Hostile h;
    Value o = h.open();
    const std::string lines = Hostile::path(o) + "/lines";
    for (const char* version : {"", "\"expected_version\":-1,", "\"expected_version\":0,",
                                "\"expected_version\":9223372036854775807,",
                                "\"expected_version\":99999999999999999999999,", "\"expected_version\":\"1\",",
                                "\"expected_version\":1.0,", "\"expected_version\":null,", "\"expected_version\":[1],"}) {
        auto r = h.raw("POST", lines, std::string("{") + version + "\"sku\":\"SHIRT\"}");
        INFO(version << " -> " << r.status << " " << r.body);
        CHECK(r.status / 100 == 4);
        // Numbers that are not int64 integers are refused by the JSON reader, by line and column.
        CHECK_THAT(r.body, Catch::Contains("$.expected_version") || Catch::Contains("line 1, column 21"));
    }
    // A stale version is a conflict that says the current one.
    auto stale = h.raw("POST", lines, R"({"expected_version":7,"sku":"SHIRT"})");
    CHECK(stale.status == 409);
    CHECK_THAT(stale.body, Catch::Contains("current_version=1"));
}

TEST_CASE("a body that is not JSON, not an object, or not declared as JSON is a 4xx", "[orders][hostile]") {
    Hostile h;
    CHECK(h.raw("POST", "/api/v1/orders", R"({"order_type":"retail"})", "text/plain").status == 415);
    CHECK(h.raw("POST", "/api/v1/orders", "order_type=retail", "application/x-www-form-urlencoded").status == 415);
    CHECK(h.raw("POST", "/api/v1/orders", R"({"order_type":"retail"})", "application/json; charset=utf-8").status ==
          201);
    CHECK(h.raw("POST", "/api/v1/orders", R"([1,2])").status == 422);
    CHECK(h.raw("POST", "/api/v1/orders", R"({"order_type":)").status == 400);
    CHECK(h.raw("POST", "/api/v1/orders", std::string(200, '[') + std::string(200, ']')).status == 400);
    auto unknown = h.raw("POST", "/api/v1/orders", R"({"order_type":"retail","colour":"red"})");
    CHECK(unknown.status == 422);
    CHECK_THAT(unknown.body, Catch::Contains("$.colour"));
    auto longtext = h.raw("POST", "/api/v1/orders", R"({"order_type":")" + std::string(10000, 'r') + "\"}");
    CHECK(longtext.status == 422);
}

namespace {

/// Text that is not UTF-8 or carries NUL, in every place a client can put
/// text: a 4xx on both backends, never a storage error.
void unclean_text_is_refused(test::Backend backend) {
    Hostile h(backend);
    Value o = h.open();
    const std::string base = Hostile::path(o);
    auto is_4xx = [](const test::HttpReply& r) {
        INFO(r.status << " " << r.body);
        CHECK(r.status / 100 == 4);
        CHECK_THAT(r.body, !Catch::Contains("storage"));
    };
    auto note = h.raw("POST", base + "/lines", "{\"expected_version\":1,\"sku\":\"SHIRT\",\"note\":\"\xff\xfe\"}");
    is_4xx(note);
    CHECK_THAT(note.body, Catch::Contains("$.note"));
    auto nul = h.raw("POST", base + "/lines", R"({"expected_version":1,"sku":"SHIRT","note":"a\u0000b"})");
    is_4xx(nul);
    CHECK_THAT(nul.body, Catch::Contains("$.note"));
    is_4xx(h.raw("POST", "/api/v1/orders", "{\"order_type\":\"retail\",\"customer_id\":\"\xc3\x28\"}"));
    is_4xx(h.raw("POST", "/api/v1/orders", "{\"order_type\":\"retail\",\"fields\":{\"x\":[\"\xed\xa0\x80\"]}}"));
    is_4xx(h.raw("POST", "/api/v1/orders", "{\"order_type\":\"retail\",\"fields\":{\"\xff\":1}}"));
    is_4xx(h.raw("POST", base + "/void", R"({"expected_version":1,"reason":"\u0000"})"));
    is_4xx(h.raw("GET", "/api/v1/orders/%FF", ""));
    is_4xx(h.raw("GET", "/api/v1/orders/%00", ""));
    is_4xx(h.raw("GET", base + "/lines/%FF", ""));
    is_4xx(h.raw("DELETE", base + "/lines/%C0%80?expected_version=1", ""));
    is_4xx(h.raw("GET", "/api/v1/orders?cursor=%FF", ""));
    is_4xx(h.raw("GET", "/api/v1/orders?session=%FF", ""));
    is_4xx(h.raw("GET", "/api/v1/orders?state=%FF", ""));
    // Good UTF-8 goes through and comes back as it was.
    auto good = h.raw("POST", base + "/lines", R"({"expected_version":1,"sku":"SHIRT","note":"caf\u00e9 \ud83d\ude00"})");
    INFO(good.body);
    REQUIRE(good.status == 201);
    auto back = h.call("GET", base);
    CHECK(back.json["lines"].as_list()[0]["note"].as_string() == "caf\xc3\xa9 \xf0\x9f\x98\x80");
}

}  // namespace

TEST_CASE("text that is not UTF-8 or has NUL is refused as a 4xx (SQLite)", "[orders][hostile]") {
    unclean_text_is_refused(test::Backend::sqlite);
}

TEST_CASE("text that is not UTF-8 or has NUL is refused as a 4xx (PostgreSQL)", "[orders][hostile][postgresql]") {
    unclean_text_is_refused(test::Backend::postgresql);
}

namespace {

/// Two terminals return the whole of the same line at the same moment:
/// exactly one return is made, and the line is never returned twice.
void racing_returns(test::Backend backend) {
    Hostile h(backend);
    const std::string carol = h.w.token("carol", "3333");  // a manager: no refund limit in the way
    for (int round = 0; round < 5; ++round) {
        Value sale = h.sold("SHIRT", 2000);
        Value ret = Value::map();
        ret.set("reason_code", "damaged");
        Value lines = Value::list();
        Value one = Value::map();
        one.set("line_id", sale["lines"].as_list()[0]["line_id"]);
        one.set("qty_milli", 2000);
        lines.push_back(one);
        ret.set("lines", lines);
        std::atomic<int> made{0};
        std::atomic<int> refused{0};
        std::atomic<int> other{0};
        std::vector<std::thread> threads;
        for (int t = 0; t < 2; ++t)
            threads.emplace_back([&] {
                auto r = test::call(h.w.port(), "POST", Hostile::path(sale) + "/returns", carol, ret);
                if (r.status == 201) ++made;
                else if (r.status == 422 || r.status == 409) ++refused;
                else ++other;
            });
        for (auto& t : threads) t.join();
        CHECK(made == 1);
        CHECK(refused == 1);
        CHECK(other == 0);
    }
}

}  // namespace

TEST_CASE("two returns of the same line racing: one is made, the other refused (SQLite)", "[orders][hostile]") {
    racing_returns(test::Backend::sqlite);
}

TEST_CASE("two returns of the same line racing: one is made, the other refused (PostgreSQL)",
          "[orders][hostile][postgresql]") {
    racing_returns(test::Backend::postgresql);
}

TEST_CASE("settling one order twice at once settles it once", "[orders][hostile][postgresql]") {
    auto backend = GENERATE(test::Backend::sqlite, test::Backend::postgresql);
    Hostile h(backend);
    Value o = h.open();
    REQUIRE(h.add(o, h.line("SHIRT", 1000)).status == 201);
    std::atomic<int> ok{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 2; ++t)
        threads.emplace_back([&] {
            if (h.w.settle(o["order_id"].as_string()).ok()) ++ok;
        });
    for (auto& t : threads) t.join();
    CHECK(ok == 1);
    CHECK(h.w.on_hand("SHIRT") == -1000);
}

TEST_CASE("a return order whose return lines were all removed leaves the original sale as it was",
          "[orders][hostile]") {
    Hostile h;
    const std::string carol = h.w.token("carol", "3333");
    Value sale = h.sold("SHIRT", 1000);
    Value ret = Value::map();
    ret.set("reason_code", "damaged");
    Value lines = Value::list();
    Value one = Value::map();
    one.set("line_id", sale["lines"].as_list()[0]["line_id"]);
    one.set("qty_milli", 1000);
    lines.push_back(one);
    ret.set("lines", lines);
    auto made = test::call(h.w.port(), "POST", Hostile::path(sale) + "/returns", carol, ret);
    REQUIRE(made.status == 201);
    Value r = made.json;
    // The cashier turns it into a plain sale: adds a GIFT, removes the return line.
    auto added = test::call(h.w.port(), "POST", Hostile::path(r) + "/lines", carol, [&] {
        Value b = h.line("GIFT", 1000);
        b.set("expected_version", r["version"]);
        return b;
    }());
    REQUIRE(added.status == 201);
    Value ver = Value::map();
    ver.set("expected_version", added.json["version"]);
    auto removed = test::call(h.w.port(), "DELETE",
                              Hostile::path(r) + "/lines/" + r["lines"].as_list()[0]["line_id"].as_string(), carol, ver);
    REQUIRE(removed.status == 200);
    REQUIRE(h.w.settle(r["order_id"].as_string(), "carol").ok());
    auto original = h.call("GET", Hostile::path(sale));
    CHECK(original.json["state"].as_string() == "closed");
    // And the whole line can still be returned.
    auto again = test::call(h.w.port(), "POST", Hostile::path(sale) + "/returns", carol, ret);
    CHECK(again.status == 201);
}
