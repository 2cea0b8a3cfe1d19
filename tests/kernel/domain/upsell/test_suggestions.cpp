// Suggestions from the shipped café rules: served by the route for the
// order as stored, and published as order.suggestions after a cart change.
#include <catch2/catch.hpp>

#include "upsell_world.hpp"

using namespace till;
using sdk::Value;


TEST_CASE("GET /orders/{id}/suggestions serves the café rules' suggestions for the stored order",
          "[upsell][routes]") {
    test::UpsellWorld x;
    auto order = x.open_order();
    const std::string id = order["order_id"].as_string();
    auto path = "/api/v1/orders/" + id + "/suggestions";

    // An empty cart at breakfast: the breakfast rule offers the breakfast items.
    auto empty = x.call("GET", path);
    INFO(empty.body);
    REQUIRE(empty.status == 200);
    CHECK(empty.json["order_id"].as_string() == id);
    CHECK(test::skus_of(empty.json) == std::vector<std::string>{"CROISSANT", "PORRIDGE"});

    // A latte: the combo (priority 50, 0.50 off) beats breakfast's croissant (30).
    order = x.add_line(order, "LATTE");
    auto r = x.call("GET", path);
    INFO(r.body);
    REQUIRE(r.status == 200);
    CHECK(r.json["version"].as_int() == order["version"].as_int());
    REQUIRE(test::skus_of(r.json) == std::vector<std::string>{"CROISSANT", "PORRIDGE"});
    const Value& combo = r.json["suggestions"].as_list()[0];
    CHECK(combo["price_minor"].as_int() == 200);
    CHECK(combo["priority"].as_int() == 50);
    CHECK(combo["rule"].as_string() == "scripts/cafe/upsell/combo.lua");
    CHECK(combo["reason"].as_string() == "Make it a combo: Croissant with your coffee");
    CHECK(r.json["suggestions"].as_list()[1]["rule"].as_string() == "scripts/cafe/upsell/breakfast.lua");

    // With a pastry in the cart: no combo, no breakfast offer.
    order = x.add_line(order, "MUFFIN");
    r = x.call("GET", path);
    CHECK(r.status == 200);
    CHECK(test::skus_of(r.json).empty());

    // 320 + 280 + 220 = 820: within 3.00 under 10.00, the threshold rule offers
    // an add-on that reaches 10.00.
    order = x.add_line(order, "ESPRESSO");
    r = x.call("GET", path);
    REQUIRE(test::skus_of(r.json) == std::vector<std::string>{"COOKIE"});
    CHECK(r.json["suggestions"].as_list()[0]["rule"].as_string() == "scripts/cafe/upsell/basket_threshold.lua");
}

TEST_CASE("the suggestions route needs a login and a known order", "[upsell][routes]") {
    test::UpsellWorld x;
    auto order = x.open_order();
    auto path = "/api/v1/orders/" + order["order_id"].as_string() + "/suggestions";
    CHECK(x.call("GET", path, Value(), "").status == 401);
    CHECK(x.call("GET", path, Value(), "not-a-token").status == 401);
    auto missing = x.call("GET", "/api/v1/orders/0190f5c2-7a3e-7c41-8b2d-5e8f1a2b3c4d/suggestions");
    CHECK(missing.status == 404);
}

TEST_CASE("every cart change publishes order.suggestions for the new version", "[upsell][events]") {
    test::UpsellWorld x;
    auto order = x.open_order();
    const std::string id = order["order_id"].as_string();
    REQUIRE(test::eventually([&] { return !test::published_suggestions(x.f, order).is_null(); }));

    order = x.add_line(order, "ESPRESSO");
    Value published;
    REQUIRE(test::eventually([&] {
        published = test::published_suggestions(x.f, order);
        return !published.is_null();
    }));
    CHECK(test::skus_of(published) == std::vector<std::string>{"CROISSANT", "PORRIDGE"});
    CHECK(published["suggestions"].as_list()[0]["price_minor"].as_int() == 200);

    // A pastry: the next publication has nothing to suggest.
    order = x.add_line(order, "CROISSANT");
    REQUIRE(test::eventually([&] {
        published = test::published_suggestions(x.f, order);
        return !published.is_null();
    }));
    CHECK(test::skus_of(published).empty());

}

TEST_CASE("without a rules engine the module serves empty lists", "[upsell][routes]") {
    test::DomainFixture f;
    test::SalesWorld w{f};
    domain::upsell::UpsellService upsell(f.ctx(), w.people, w.audit, w.orders, w.catalog, nullptr);
    REQUIRE(upsell.start().ok());
    w.seed_catalog();
    auto alice = w.as("alice");
    auto order = w.orders.open_order(alice, {"retail", "", Value::map()});
    REQUIRE(order.ok());
    auto answer = upsell.suggestions_for(order->order_id);
    REQUIRE(answer.ok());
    CHECK((*answer)["suggestions"].as_list().empty());
    upsell.stop();
}
