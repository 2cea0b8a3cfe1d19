// Refusals: "invalid_argument" naming the JSON path of what is wrong.
#include <catch2/catch.hpp>

#include <cstdint>
#include <limits>
#include <string>

#include "pricing_builders.hpp"

using namespace till::test::pricing;

namespace {

std::string refusal(const p::OrderInput& input, const p::Settings& s = settings(TaxMode::exclusive)) {
    auto result = p::price_order(input, s);
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().code == "invalid_argument");
    return result.error().message;
}

p::OrderInput order_of(p::LineInput l) {
    p::OrderInput order;
    order.lines = {line(1000, 100), std::move(l)};  // the faulty line is $.lines[1]
    return order;
}

constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();

}  // namespace

TEST_CASE("bad line fields are refused with their JSON path", "[pricing][errors]") {
    using Catch::Matchers::StartsWith;
    CHECK_THAT(refusal(order_of(line(0, 100))), StartsWith("$.lines[1].qty_milli: must not be 0"));
    CHECK_THAT(refusal(order_of(line(1000, -1))), StartsWith("$.lines[1].unit_price_minor: must be >= 0"));

    auto negative_modifiers = line(1000, 100);
    negative_modifiers.modifiers_unit_minor = -101;
    CHECK_THAT(refusal(order_of(negative_modifiers)), StartsWith("$.lines[1].modifiers_unit_minor: "));

    auto too_much = line(1000, 100);
    too_much.discount = percent_off(10001);
    CHECK_THAT(refusal(order_of(too_much)), StartsWith("$.lines[1].discount.percent_bp: must be 0..10000"));
    too_much.discount = percent_off(-1);
    CHECK_THAT(refusal(order_of(too_much)), StartsWith("$.lines[1].discount.percent_bp: "));
    too_much.discount = amount_off(-5);
    CHECK_THAT(refusal(order_of(too_much)), StartsWith("$.lines[1].discount.amount_minor: must be >= 0"));

    CHECK_THAT(refusal(order_of(line(1000, 100, {rate("a", 100), rate("b", -1)}))),
               StartsWith("$.lines[1].rates[1].rate_bp: must be 0..1000000"));
    CHECK_THAT(refusal(order_of(line(1000, 100, {rate("a", 1000001)}))), StartsWith("$.lines[1].rates[0].rate_bp: "));
    CHECK_THAT(refusal(order_of(line(1000, 100, {rate("a", 600000), rate("b", 600000)}))),
               StartsWith("$.lines[1].rates: "));
}

TEST_CASE("a bad order discount is refused at $.order_discount", "[pricing][errors]") {
    using Catch::Matchers::StartsWith;
    p::OrderInput order;
    order.lines = {line(1000, 100)};
    order.order_discount = percent_off(20000);
    CHECK_THAT(refusal(order), StartsWith("$.order_discount.percent_bp: "));
    order.order_discount = amount_off(-1);
    CHECK_THAT(refusal(order), StartsWith("$.order_discount.amount_minor: "));
}

TEST_CASE("amounts that would overflow int64 are refused, naming the line", "[pricing][errors][overflow]") {
    using Catch::Matchers::Contains;
    using Catch::Matchers::StartsWith;
    SECTION("quantity × price") {
        CHECK_THAT(refusal(order_of(line(1000000000000000000, 1000000))),
                   StartsWith("$.lines[1].qty_milli: ") && Contains("overflow"));
        CHECK_THAT(refusal(order_of(line(std::numeric_limits<std::int64_t>::min(), kMax))),
                   StartsWith("$.lines[1].qty_milli: "));
    }
    SECTION("the order's sum") {
        p::OrderInput order;
        order.lines = {line(1000, kMax / 2 + 1), line(1000, kMax / 2 + 1)};
        CHECK_THAT(refusal(order), StartsWith("$.lines[1].qty_milli: ") && Contains("overflow"));
    }
    SECTION("a tax far above the price") {
        CHECK_THAT(refusal(order_of(line(1000, kMax / 4, {rate("huge", 1000000)}))),
                   StartsWith("$.lines[1].rates[0]: ") && Contains("overflow"));
        auto s = settings(TaxMode::exclusive, RoundingMode::half_up, RoundingLevel::per_invoice);
        CHECK_THAT(refusal(order_of(line(1000, kMax / 4, {rate("huge", 1000000)})), s),
                   StartsWith("$.lines[1].rates[0]: ") && Contains("overflow"));
    }
    SECTION("net plus tax") {
        CHECK_THAT(refusal(order_of(line(1000, kMax - 1000, {rate("vat", 2000)}))),
                   StartsWith("$.lines[1]") && Contains("overflow"));
    }
    SECTION("the largest amounts that fit are priced") {
        p::OrderInput order;
        order.lines = {line(1000, kMax, {rate("vat", 2000)})};
        auto r = p::price_order(order, settings(TaxMode::inclusive));
        REQUIRE(r.ok());
        CHECK(r->total_minor == kMax);
        order.lines[0].qty_milli = -1000;
        auto back = p::price_order(order, settings(TaxMode::inclusive));
        REQUIRE(back.ok());
        CHECK(back->total_minor == -kMax);
    }
}
