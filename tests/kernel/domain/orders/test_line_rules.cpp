// Line rules without storage: quantities, modifier choices, discounts and
// their limit, and repricing of an order.
#include <catch2/catch.hpp>

#include "domain/orders/line_rules.hpp"
#include "domain/orders/order_json.hpp"
#include "domain/orders/order_pricing.hpp"

using namespace till;
using namespace till::domain;
using namespace till::domain::orders;

namespace {
ItemView coffee() {
    ItemView item;
    item.sku = "COFFEE";
    item.name = "Coffee";
    item.price_minor = 250;
    item.tax_rates = {{"vat20", "VAT 20%", 2000, false}};
    ModifierGroupView milk{"g-milk", "Milk", 0, 1, {{"m-oat", "oat", 40}, {"m-soy", "soy", 30}}};
    ModifierGroupView size{"g-size", "Size", 1, 1, {{"m-small", "small", 0}, {"m-large", "large", 100}}};
    item.modifier_groups = {milk, size};
    return item;
}
}  // namespace

TEST_CASE("quantities: positive, whole units unless weighed", "[orders][lines]") {
    ItemSnapshot unit;
    ItemSnapshot weighed;
    weighed.weighed = true;
    CHECK(check_qty(unit, 2000, "$.qty_milli").ok());
    CHECK(check_qty(weighed, 1234, "$.qty_milli").ok());
    auto zero = check_qty(unit, 0, "$.qty_milli");
    CHECK(zero.error().code == "invalid_argument");
    CHECK(zero.message().rfind("$.qty_milli: must be at least 1", 0) == 0);
    CHECK(check_qty(weighed, -5, "$.qty_milli").message().rfind("$.qty_milli:", 0) == 0);
    auto part = check_qty(unit, 1500, "$.lines[2].qty_milli");
    CHECK(part.message().rfind("$.lines[2].qty_milli: item is sold in whole units", 0) == 0);
}

TEST_CASE("modifiers are chosen by id within each group's min and max", "[orders][lines]") {
    auto item = coffee();
    auto ok = choose_modifiers(item, {"m-oat", "m-large"}, "$.modifiers");
    REQUIRE(ok);
    CHECK(ok->size() == 2);
    CHECK((*ok)[0].price_delta_minor + (*ok)[1].price_delta_minor == 140);

    auto unknown = choose_modifiers(item, {"m-large", "m-cheese"}, "$.modifiers");
    CHECK(unknown.error().message.rfind("$.modifiers[1]: unknown modifier m-cheese", 0) == 0);
    auto twice = choose_modifiers(item, {"m-large", "m-large"}, "$.modifiers");
    CHECK(twice.error().message.rfind("$.modifiers[1]:", 0) == 0);
    auto too_few = choose_modifiers(item, {"m-oat"}, "$.modifiers");
    CHECK(too_few.error().message == "$.modifiers: group \"Size\" needs at least 1 choice(s), got 0");
    auto too_many = choose_modifiers(item, {"m-oat", "m-soy", "m-small"}, "$.modifiers");
    CHECK(too_many.error().message == "$.modifiers: group \"Milk\" allows at most 1 choice(s), got 2");
}

TEST_CASE("discounts are read strictly and compared with the limit exactly", "[orders][lines]") {
    auto read = [](const std::string& json) {
        auto body = sdk::Value::parse_json(json);
        REQUIRE(body);
        BodyReader r(*body);
        auto d = read_discount(r, "discount");
        return std::make_pair(d, r.finish());
    };
    auto [pct, ok1] = read(R"({"discount":{"percent_bp":1500}})");
    CHECK(ok1.ok());
    CHECK(pct->kind == Discount::Kind::percent);
    auto [both, bad1] = read(R"({"discount":{"percent_bp":1,"amount_minor":2}})");
    CHECK(bad1.message() == "$.discount: give percent_bp or amount_minor, not both");
    auto [neg, bad2] = read(R"({"discount":{"amount_minor":-5}})");
    CHECK(bad2.message().rfind("$.discount.amount_minor: must be at least 0", 0) == 0);
    auto [extra, bad3] = read(R"({"discount":{"percent_bp":5,"why":"x"}})");
    CHECK(bad3.message() == "$.discount.why: unknown field");
    auto [clear, ok2] = read(R"({"discount":{"percent_bp":0}})");
    CHECK(ok2.ok());
    CHECK(clear->kind == Discount::Kind::none);

    Discount amount{Discount::Kind::amount, 0, 200};
    CHECK_FALSE(over_limit(amount, 1000, 2000));  // exactly 20%
    CHECK(over_limit(Discount{Discount::Kind::amount, 0, 201}, 1000, 2000));
    CHECK(over_limit(Discount{Discount::Kind::percent, 2001, 0}, 1000, 2000));
    CHECK(discount_bp(amount, 1000) == 2000);
}

TEST_CASE("repricing spreads an order discount over sale lines and keeps return lines as they are",
          "[orders][lines]") {
    SalesSettings sales;
    Order o;
    OrderLine a;
    a.line_id = "a";
    a.qty_milli = 2000;
    a.unit_price_minor = 250;
    a.item.tax_rates = {{"vat20", "VAT 20%", 2000, false}};
    OrderLine b = a;
    b.line_id = "b";
    b.qty_milli = 1000;
    b.unit_price_minor = 500;
    OrderLine ret = a;
    ret.line_id = "r";
    ret.original_line_id = "x";
    ret.qty_milli = -1000;
    ret.amounts.total_minor = -250;
    ret.amounts.gross_minor = -250;
    ret.amounts.net_minor = -250;
    ret.amounts.tax_minor = -42;
    ret.amounts.taxes = {{"vat20", 2000, -208, -42}};
    o.lines = {a, b, ret};
    o.order_discount = Discount{Discount::Kind::amount, 0, 100};
    REQUIRE(reprice(o, sales).ok());
    CHECK(o.lines[0].amounts.gross_minor == 500);
    CHECK(o.lines[0].amounts.order_discount_minor + o.lines[1].amounts.order_discount_minor == 100);
    CHECK(o.lines[2].amounts.total_minor == -250);
    CHECK(o.totals.total_minor == 500 + 500 - 100 - 250);
    CHECK(o.totals.discount_minor == 100);
    std::int64_t line_sum = 0;
    for (const auto& l : o.lines) line_sum += l.amounts.total_minor;
    CHECK(line_sum == o.totals.total_minor);
    REQUIRE(o.totals.taxes.size() == 1);
    CHECK(o.totals.taxes[0].tax_minor == o.totals.tax_minor);

    // A voided line stops counting.
    o.lines[1].voided = true;
    REQUIRE(reprice(o, sales).ok());
    CHECK(o.totals.total_minor == 500 - 100 - 250);
}

TEST_CASE("the order JSON carries lines with amounts and tax parts, totals, and an empty payments list",
          "[orders][json]") {
    Order o;
    o.order_id = "o1";
    o.order_type_id = "retail";
    OrderLine a;
    a.line_id = "a";
    a.sku = "COFFEE";
    a.qty_milli = 1000;
    a.unit_price_minor = 250;
    a.item.catalog_price_minor = 250;
    a.item.tax_rates = {{"vat20", "VAT 20%", 2000, false}};
    o.lines = {a};
    REQUIRE(reprice(o, SalesSettings{}).ok());
    auto j = order_to_json(o);
    CHECK(j["state"].as_string() == "open");
    CHECK(j["payments"].is_list());
    CHECK(j["payments"].size() == 0);
    const auto& line = j["lines"].as_list().at(0);
    CHECK(line["total_minor"].as_int() == 250);
    CHECK(line["taxes"].as_list().at(0)["tax_minor"].as_int() == 42);
    CHECK(j["totals"]["total_minor"].as_int() == 250);
}
