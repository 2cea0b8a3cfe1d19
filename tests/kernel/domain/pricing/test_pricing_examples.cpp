// Worked examples, each computed by hand in the comments.
#include <catch2/catch.hpp>

#include "pricing_builders.hpp"

using namespace till::test::pricing;

namespace {
const p::Rate vat20 = rate("vat20", 2000);
const p::Rate vat55 = rate("vat5.5", 550);
}  // namespace

TEST_CASE("EU VAT 20% inclusive: 9.99 contains 9.99 × 20/120 = 1.665 of VAT", "[pricing][inclusive]") {
    p::OrderInput order;
    order.lines = {line(1000, 999, {vat20})};

    SECTION("half_up: 1.67 VAT on 8.32") {
        auto r = priced(order, settings(TaxMode::inclusive, RoundingMode::half_up));
        REQUIRE(r.lines[0].gross_minor == 999);
        REQUIRE(r.lines[0].net_minor == 999);
        REQUIRE(r.lines[0].tax_minor == 167);
        REQUIRE(r.lines[0].taxes.size() == 1);
        REQUIRE(r.lines[0].taxes[0].taxable_minor == 832);
        REQUIRE(r.lines[0].total_minor == 999);
        REQUIRE(r.total_minor == 999);
        REQUIRE(r.tax_minor == 167);
    }
    SECTION("half_even: the tie goes to the even cent, 1.66 VAT on 8.33") {
        auto r = priced(order, settings(TaxMode::inclusive, RoundingMode::half_even));
        REQUIRE(r.lines[0].tax_minor == 166);
        REQUIRE(r.lines[0].taxes[0].taxable_minor == 833);
        REQUIRE(r.total_minor == 999);
    }
}

TEST_CASE("the inclusive receipt of docs/domain/pricing.md", "[pricing][inclusive][docs]") {
    // Cappuccino 2 × (3.20 + 0.40 oat milk) = 7.20 at 20 %; book 12.99 at
    // 5.5 %; apples 1.250 kg × 3.99 = 4.99 (498.75 rounded) at 5.5 % with
    // 10 % off (0.499 → 0.50) = 4.49; then 2.00 off the order, spread over
    // 7.20 / 12.99 / 4.49 (sum 24.68): 0.58347 / 1.05267 / 0.36386 → floors
    // 58 + 105 + 36 = 199, the last cent to the largest remainder (apples).
    p::OrderInput order;
    order.lines = {line(2000, 320, {vat20}), line(1000, 1299, {vat55}), line(1250, 399, {vat55})};
    order.lines[0].modifiers_unit_minor = 40;
    order.lines[2].discount = percent_off(1000);
    order.order_discount = amount_off(200);
    auto r = priced(order, settings(TaxMode::inclusive));

    REQUIRE(r.lines[0].gross_minor == 720);
    REQUIRE(r.lines[1].gross_minor == 1299);
    REQUIRE(r.lines[2].gross_minor == 499);
    REQUIRE(r.lines[2].line_discount_minor == 50);
    REQUIRE(r.lines[0].order_discount_minor == 58);
    REQUIRE(r.lines[1].order_discount_minor == 105);
    REQUIRE(r.lines[2].order_discount_minor == 37);
    // 6.62 × 20/120 = 1.1033; 11.94 × 5.5/105.5 = 0.6225; 4.12 × 5.5/105.5 = 0.2148
    REQUIRE(r.lines[0].net_minor == 662);
    REQUIRE(r.lines[0].tax_minor == 110);
    REQUIRE(r.lines[1].net_minor == 1194);
    REQUIRE(r.lines[1].tax_minor == 62);
    REQUIRE(r.lines[2].net_minor == 412);
    REQUIRE(r.lines[2].tax_minor == 21);
    REQUIRE(r.gross_minor == 2518);
    REQUIRE(r.discount_minor == 250);
    REQUIRE(r.total_minor == 2268);
    REQUIRE(r.tax_minor == 193);
    REQUIRE(r.tax_summary.size() == 2);
    CHECK(r.tax_summary[0].tax_rate_id == "vat20");
    CHECK(r.tax_summary[0].taxable_minor == 552);
    CHECK(r.tax_summary[0].tax_minor == 110);
    CHECK(r.tax_summary[1].tax_rate_id == "vat5.5");
    CHECK(r.tax_summary[1].taxable_minor == 1132 + 391);
    CHECK(r.tax_summary[1].tax_minor == 83);
}

TEST_CASE("US sales tax exclusive: the exclusive receipt of docs/domain/pricing.md", "[pricing][exclusive][docs]") {
    // State 6.25 % + city 2 % (8.25 %). T-shirts 2 × 19.99 = 39.98, 15 % off
    // (5.997 → 6.00) = 33.98: state 2.12375 → 2.12, city 0.6796 → 0.68.
    // Sunglasses 24.50 − 5.00 = 19.50: state 1.21875 → 1.22, city 0.39.
    // Bread 3.49, exempt (groceries).
    const auto state = rate("tx-state", 625);
    const auto city = rate("tx-city", 200);
    p::OrderInput order;
    order.lines = {line(2000, 1999, {state, city}), line(1000, 2450, {state, city}), line(1000, 349, {state, city})};
    order.lines[0].discount = percent_off(1500);
    order.lines[1].discount = amount_off(500);
    order.lines[2].tax_exempt = true;

    for (auto level : {RoundingLevel::per_line, RoundingLevel::per_invoice}) {
        auto r = priced(order, settings(TaxMode::exclusive, RoundingMode::half_up, level));
        REQUIRE(r.lines[0].line_discount_minor == 600);
        REQUIRE(r.lines[0].net_minor == 3398);
        REQUIRE(r.lines[0].taxes[0].tax_minor == 212);
        REQUIRE(r.lines[0].taxes[1].tax_minor == 68);
        REQUIRE(r.lines[0].total_minor == 3678);
        REQUIRE(r.lines[1].net_minor == 1950);
        REQUIRE(r.lines[1].tax_minor == 161);
        REQUIRE(r.lines[1].total_minor == 2111);
        REQUIRE(r.lines[2].tax_minor == 0);
        REQUIRE(r.lines[2].taxes.empty());
        REQUIRE(r.lines[2].total_minor == 349);
        REQUIRE(r.gross_minor == 6797);
        REQUIRE(r.discount_minor == 1100);
        REQUIRE(r.tax_minor == 441);
        REQUIRE(r.total_minor == 6138);
        REQUIRE(r.tax_summary.size() == 2);
        CHECK(r.tax_summary[0].taxable_minor == 5348);
        CHECK(r.tax_summary[0].tax_minor == 334);  // per invoice: 53.48 × 6.25 % = 3.3425 → 3.34 too
        CHECK(r.tax_summary[1].taxable_minor == 5348);
        CHECK(r.tax_summary[1].tax_minor == 107);  // per invoice: 1.0696 → 1.07 too
    }
}

TEST_CASE("US sales tax exclusive: one 8.25 % rate on 19.99 adds 1.649175 → 1.65", "[pricing][exclusive]") {
    p::OrderInput order;
    order.lines = {line(1000, 1999, {rate("tx", 825)})};
    auto r = priced(order, settings(TaxMode::exclusive));
    REQUIRE(r.lines[0].tax_minor == 165);
    REQUIRE(r.lines[0].net_minor == 1999);
    REQUIRE(r.total_minor == 2164);
}

TEST_CASE("compound tax: Quebec 2011, QST 8.5 % levied on the price plus GST 5 %", "[pricing][compound]") {
    const auto gst = rate("gst", 500);
    const auto qst = rate("qst", 850, true);
    p::OrderInput order;
    // Listed compound first on purpose: non-compound rates are levied first anyway.
    order.lines = {line(1000, 10000, {qst, gst})};

    SECTION("exclusive: 100.00 + GST 5.00 + QST 8.5 % × 105.00 = 8.925") {
        auto up = priced(order, settings(TaxMode::exclusive, RoundingMode::half_up));
        REQUIRE(up.lines[0].taxes.size() == 2);
        CHECK(up.lines[0].taxes[0].tax_rate_id == "qst");  // input order
        CHECK(up.lines[0].taxes[0].taxable_minor == 10500);
        CHECK(up.lines[0].taxes[0].tax_minor == 893);
        CHECK(up.lines[0].taxes[1].tax_rate_id == "gst");
        CHECK(up.lines[0].taxes[1].taxable_minor == 10000);
        CHECK(up.lines[0].taxes[1].tax_minor == 500);
        CHECK(up.total_minor == 11393);

        auto even = priced(order, settings(TaxMode::exclusive, RoundingMode::half_even));
        CHECK(even.lines[0].taxes[0].tax_minor == 892);
        CHECK(even.total_minor == 11392);
    }
    SECTION("inclusive: 113.93 contains 113.93 × (1 − 1/(1.05 × 1.085)) = 13.9256 → 13.93: GST 5.00, QST 8.93") {
        order.lines[0].unit_price_minor = 11393;
        auto r = priced(order, settings(TaxMode::inclusive));
        CHECK(r.lines[0].tax_minor == 1393);
        CHECK(r.lines[0].taxes[0].tax_minor == 893);
        CHECK(r.lines[0].taxes[0].taxable_minor == 10500);
        CHECK(r.lines[0].taxes[1].tax_minor == 500);
        CHECK(r.lines[0].taxes[1].taxable_minor == 10000);
        CHECK(r.total_minor == 11393);
    }
}

TEST_CASE("zero-rated goods carry a 0 % tax part, exempt ones carry none", "[pricing][exempt]") {
    p::OrderInput order;
    order.lines = {line(1000, 250, {rate("zero", 0)}), line(1000, 999, {vat20})};
    order.lines[1].tax_exempt = true;
    auto r = priced(order, settings(TaxMode::inclusive));
    REQUIRE(r.lines[0].taxes.size() == 1);
    CHECK(r.lines[0].taxes[0].taxable_minor == 250);
    CHECK(r.lines[0].taxes[0].tax_minor == 0);
    // Exempt in inclusive mode: the shelf price is charged and carries no tax.
    CHECK(r.lines[1].taxes.empty());
    CHECK(r.lines[1].tax_minor == 0);
    CHECK(r.lines[1].total_minor == 999);
    REQUIRE(r.tax_summary.size() == 1);
    CHECK(r.tax_summary[0].tax_rate_id == "zero");
    CHECK(r.tax_summary[0].taxable_minor == 250);
    CHECK(r.total_minor == 1249);
}

TEST_CASE("an exempt customer's order carries no tax in either mode", "[pricing][exempt]") {
    p::OrderInput order;
    order.lines = {line(1000, 999, {vat20}), line(3000, 1999, {rate("tx", 825)})};
    order.tax_exempt = true;
    auto inclusive = priced(order, settings(TaxMode::inclusive));
    CHECK(inclusive.tax_minor == 0);
    CHECK(inclusive.total_minor == 999 + 5997);
    CHECK(inclusive.tax_summary.empty());
    auto exclusive = priced(order, settings(TaxMode::exclusive, RoundingMode::half_up, RoundingLevel::per_invoice));
    CHECK(exclusive.tax_minor == 0);
    CHECK(exclusive.total_minor == 999 + 5997);
}

TEST_CASE("weighed goods: 1.250 kg at 3.99/kg is 4.9875 → 4.99, the return gives back exactly -4.99",
          "[pricing][qty]") {
    p::OrderInput order;
    order.lines = {line(1250, 399)};
    auto sale = priced(order, settings(TaxMode::exclusive));
    CHECK(sale.lines[0].gross_minor == 499);
    CHECK(sale.total_minor == 499);

    order.lines[0].qty_milli = -1250;
    auto refund = priced(order, settings(TaxMode::exclusive));
    CHECK(refund.lines[0].gross_minor == -499);
    CHECK(refund.total_minor == -499);
}

TEST_CASE("line discounts: percent of the gross, amount capped at the line", "[pricing][discount]") {
    SECTION("15 % off 2 × 12.50 = 25.00 is 3.75; 21.25 contains 3.54 VAT") {
        p::OrderInput order;
        order.lines = {line(2000, 1250, {vat20})};
        order.lines[0].discount = percent_off(1500);
        auto r = priced(order, settings(TaxMode::inclusive));
        CHECK(r.lines[0].line_discount_minor == 375);
        CHECK(r.lines[0].net_minor == 2125);
        CHECK(r.lines[0].tax_minor == 354);
        CHECK(r.discount_minor == 375);
    }
    SECTION("5.00 off a 3.00 line takes 3.00, never more") {
        p::OrderInput order;
        order.lines = {line(1000, 300, {vat20})};
        order.lines[0].discount = amount_off(500);
        auto r = priced(order, settings(TaxMode::exclusive));
        CHECK(r.lines[0].line_discount_minor == 300);
        CHECK(r.lines[0].net_minor == 0);
        CHECK(r.lines[0].tax_minor == 0);
        CHECK(r.total_minor == 0);
    }
    SECTION("10 % off 0.05 is 0.005: half_up 0.01, half_even 0.00") {
        p::OrderInput order;
        order.lines = {line(1000, 5)};
        order.lines[0].discount = percent_off(1000);
        CHECK(priced(order, settings(TaxMode::exclusive, RoundingMode::half_up)).lines[0].line_discount_minor == 1);
        CHECK(priced(order, settings(TaxMode::exclusive, RoundingMode::half_even)).lines[0].line_discount_minor == 0);
    }
}

TEST_CASE("an order discount is spread over the lines by largest remainder", "[pricing][discount]") {
    SECTION("1.00 over 1.00 / 2.00 / 3.00: 16.67 / 33.33 / 50 → 17 / 33 / 50") {
        p::OrderInput order;
        order.lines = {line(1000, 100), line(1000, 200), line(1000, 300)};
        order.order_discount = amount_off(100);
        auto r = priced(order, settings(TaxMode::exclusive));
        CHECK(r.lines[0].order_discount_minor == 17);
        CHECK(r.lines[1].order_discount_minor == 33);
        CHECK(r.lines[2].order_discount_minor == 50);
        CHECK(r.discount_minor == 100);
        CHECK(r.total_minor == 500);
    }
    SECTION("1.00 over three 10.00 lines: the remainder cent goes to the first") {
        p::OrderInput order;
        order.lines = {line(1000, 1000), line(1000, 1000), line(1000, 1000)};
        order.order_discount = amount_off(100);
        auto r = priced(order, settings(TaxMode::exclusive));
        CHECK(r.lines[0].order_discount_minor == 34);
        CHECK(r.lines[1].order_discount_minor == 33);
        CHECK(r.lines[2].order_discount_minor == 33);
    }
    SECTION("10 % off 3.33 + 3.33 + 3.34 is 1.00: 33.3 / 33.3 / 33.4 → 33 / 33 / 34") {
        p::OrderInput order;
        order.lines = {line(1000, 333), line(1000, 333), line(1000, 334)};
        order.order_discount = percent_off(1000);
        auto r = priced(order, settings(TaxMode::exclusive));
        CHECK(r.lines[0].order_discount_minor == 33);
        CHECK(r.lines[1].order_discount_minor == 33);
        CHECK(r.lines[2].order_discount_minor == 34);
    }
    SECTION("the order discount is shared after the line discounts and capped at what is left") {
        p::OrderInput order;
        order.lines = {line(1000, 1000), line(1000, 500)};
        order.lines[0].discount = amount_off(1000);  // line 0 is free: it gets no share
        order.order_discount = amount_off(9999);
        auto r = priced(order, settings(TaxMode::exclusive));
        CHECK(r.lines[0].order_discount_minor == 0);
        CHECK(r.lines[1].order_discount_minor == 500);
        CHECK(r.discount_minor == 1500);
        CHECK(r.total_minor == 0);
    }
}

TEST_CASE("per invoice and per line rounding give different totals", "[pricing][level]") {
    SECTION("exclusive: three 0.05 lines at 10 %: 3 × round(0.5) = 3 cents vs round(1.5) = 2 cents") {
        p::OrderInput order;
        const auto ten = rate("ten", 1000);
        order.lines = {line(1000, 5, {ten}), line(1000, 5, {ten}), line(1000, 5, {ten})};
        auto per_line = priced(order, settings(TaxMode::exclusive, RoundingMode::half_up, RoundingLevel::per_line));
        auto per_invoice =
            priced(order, settings(TaxMode::exclusive, RoundingMode::half_up, RoundingLevel::per_invoice));
        CHECK(per_line.tax_minor == 3);
        CHECK(per_line.total_minor == 18);
        CHECK(per_invoice.tax_minor == 2);
        CHECK(per_invoice.total_minor == 17);
        // allocated back: 0.667 each → 0 + 0 + 0, then the 2 cents to the first two lines
        CHECK(per_invoice.lines[0].tax_minor == 1);
        CHECK(per_invoice.lines[1].tax_minor == 1);
        CHECK(per_invoice.lines[2].tax_minor == 0);
        CHECK(per_invoice.tax_summary[0].taxable_minor == 15);
    }
    SECTION("inclusive: three 0.10 lines at 20 %: 3 × round(1.667) = 6 cents vs round(5.0) = 5 cents") {
        p::OrderInput order;
        order.lines = {line(1000, 10, {vat20}), line(1000, 10, {vat20}), line(1000, 10, {vat20})};
        auto per_line = priced(order, settings(TaxMode::inclusive, RoundingMode::half_up, RoundingLevel::per_line));
        auto per_invoice =
            priced(order, settings(TaxMode::inclusive, RoundingMode::half_up, RoundingLevel::per_invoice));
        CHECK(per_line.tax_minor == 6);
        CHECK(per_invoice.tax_minor == 5);
        CHECK(per_invoice.lines[0].tax_minor == 2);
        CHECK(per_invoice.lines[1].tax_minor == 2);
        CHECK(per_invoice.lines[2].tax_minor == 1);
        CHECK(per_line.total_minor == 30);  // inclusive: the price paid does not change, only its tax
        CHECK(per_invoice.total_minor == 30);
        CHECK(per_invoice.tax_summary[0].taxable_minor == 25);
    }
}

TEST_CASE("per invoice, inclusive: a line never carries more tax than its price", "[pricing][level]") {
    // Twelve 0.01 lines under two 10 % rates: 0.12 contains 0.02 of tax, one
    // cent per rate. Each rate's cent would go to the first line by largest
    // remainder (all tie); the second goes to the next line instead, since
    // the first has no price left to hold it.
    p::OrderInput order;
    for (int i = 0; i < 12; ++i) order.lines.push_back(line(1000, 1, {rate("a", 1000), rate("b", 1000)}));
    auto r = priced(order, settings(TaxMode::inclusive, RoundingMode::half_up, RoundingLevel::per_invoice));
    CHECK(r.tax_minor == 2);
    CHECK(r.lines[0].tax_minor == 1);
    CHECK(r.lines[0].taxes[0].tax_minor == 1);
    CHECK(r.lines[0].taxes[1].taxable_minor == 0);
    CHECK(r.lines[1].tax_minor == 1);
    CHECK(r.lines[1].taxes[1].tax_minor == 1);
    CHECK(r.tax_summary[0].tax_minor == 1);
    CHECK(r.tax_summary[1].tax_minor == 1);
    for (const auto& l : r.lines) CHECK(l.tax_minor <= l.net_minor);
}

TEST_CASE("a return order is the exact negative of the same sale", "[pricing][return]") {
    p::OrderInput sale;
    sale.lines = {line(1000, 999, {vat20}), line(333, 1001, {vat55})};
    sale.lines[0].discount = percent_off(1250);
    sale.order_discount = amount_off(77);
    p::OrderInput refund = sale;
    for (auto& l : refund.lines) l.qty_milli = -l.qty_milli;
    const auto s = settings(TaxMode::inclusive, RoundingMode::half_even, RoundingLevel::per_invoice);
    auto a = priced(sale, s);
    auto b = priced(refund, s);
    CHECK(b.total_minor == -a.total_minor);
    CHECK(b.tax_minor == -a.tax_minor);
    CHECK(b.discount_minor == -a.discount_minor);
    for (std::size_t i = 0; i < a.lines.size(); ++i) {
        CHECK(b.lines[i].order_discount_minor == -a.lines[i].order_discount_minor);
        CHECK(b.lines[i].net_minor == -a.lines[i].net_minor);
        CHECK(b.lines[i].tax_minor == -a.lines[i].tax_minor);
    }
}

TEST_CASE("an exchange: the order discount is taken off the sale lines only", "[pricing][return]") {
    p::OrderInput order;
    order.lines = {line(-1000, 2000), line(1000, 3000)};
    order.order_discount = percent_off(1000);
    auto r = priced(order, settings(TaxMode::exclusive));
    CHECK(r.lines[0].order_discount_minor == 0);
    CHECK(r.lines[0].net_minor == -2000);
    CHECK(r.lines[1].order_discount_minor == 300);
    CHECK(r.total_minor == 700);
}

TEST_CASE("an empty order costs nothing", "[pricing]") {
    p::OrderInput order;
    order.order_discount = amount_off(100);
    auto r = priced(order, settings(TaxMode::exclusive));
    CHECK(r.lines.empty());
    CHECK(r.total_minor == 0);
    CHECK(r.discount_minor == 0);
}
