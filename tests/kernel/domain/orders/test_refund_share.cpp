// Refunds of a line are the exact share of what was paid: repeated partial
// returns never give back more than was paid, and all of them together give
// back exactly what was paid.
#include <catch2/catch.hpp>

#include <random>

#include "domain/orders/order_pricing.hpp"

using namespace till::domain;
using namespace till::domain::orders;

namespace {
LineAmounts paid_line(std::int64_t gross, std::int64_t line_disc, std::int64_t order_disc, std::int64_t tax,
                      TaxMode mode) {
    LineAmounts a;
    a.gross_minor = gross;
    a.line_discount_minor = line_disc;
    a.order_discount_minor = order_disc;
    a.net_minor = gross - line_disc - order_disc;
    a.tax_minor = tax;
    a.total_minor = mode == TaxMode::exclusive ? a.net_minor + tax : a.net_minor;
    a.taxes.push_back({"vat", 2000, mode == TaxMode::exclusive ? a.net_minor : a.net_minor - tax, tax});
    return a;
}

void add(LineAmounts& sum, const LineAmounts& a) {
    sum.gross_minor += a.gross_minor;
    sum.line_discount_minor += a.line_discount_minor;
    sum.order_discount_minor += a.order_discount_minor;
    sum.net_minor += a.net_minor;
    sum.tax_minor += a.tax_minor;
    sum.total_minor += a.total_minor;
    if (sum.taxes.empty()) sum.taxes = a.taxes;
    else {
        sum.taxes[0].taxable_minor += a.taxes[0].taxable_minor;
        sum.taxes[0].tax_minor += a.taxes[0].tax_minor;
    }
}
}  // namespace

TEST_CASE("three returns of one unit each of a 3-unit line paid 1000 give back 333, 333, 334", "[orders][refund]") {
    auto paid = paid_line(1000, 0, 0, 167, TaxMode::inclusive);
    LineAmounts before;
    std::int64_t returned = 0;
    std::vector<std::int64_t> refunds;
    for (int i = 0; i < 3; ++i) {
        auto r = refund_share(paid, 3000, returned, 1000, before, TaxMode::inclusive);
        refunds.push_back(r.total_minor);
        add(before, r);
        returned += 1000;
    }
    CHECK(refunds == std::vector<std::int64_t>{333, 333, 334});
    CHECK(before.total_minor == 1000);
    CHECK(before.tax_minor == 167);
    CHECK(before.gross_minor == 1000);
}

TEST_CASE("random partial returns never exceed what was paid and sum to it exactly", "[orders][refund]") {
    std::mt19937_64 rng(20260115);
    for (TaxMode mode : {TaxMode::inclusive, TaxMode::exclusive}) {
        for (int round = 0; round < 500; ++round) {
            const std::int64_t units = 1 + static_cast<std::int64_t>(rng() % 40);
            const std::int64_t gross = static_cast<std::int64_t>(rng() % 100000);
            const std::int64_t line_disc = gross ? static_cast<std::int64_t>(rng() % (gross / 3 + 1)) : 0;
            const std::int64_t order_disc = static_cast<std::int64_t>(rng() % (gross - line_disc + 1)) / 4;
            const std::int64_t net = gross - line_disc - order_disc;
            const std::int64_t tax = net / 6;
            auto paid = paid_line(gross, line_disc, order_disc, tax, mode);
            LineAmounts sum;
            std::int64_t returned = 0;
            while (returned < units * 1000) {
                const std::int64_t left_units = units - returned / 1000;
                const std::int64_t now = 1000 * (1 + static_cast<std::int64_t>(rng() % left_units));
                auto r = refund_share(paid, units * 1000, returned, now, sum, mode);
                CHECK(r.total_minor >= 0);
                CHECK(r.gross_minor - r.line_discount_minor - r.order_discount_minor == r.net_minor);
                CHECK(r.tax_minor == r.taxes[0].tax_minor);
                add(sum, r);
                returned += now;
                CHECK(sum.total_minor <= paid.total_minor);
                CHECK(sum.tax_minor <= paid.tax_minor);
            }
            CHECK(sum.total_minor == paid.total_minor);
            CHECK(sum.tax_minor == paid.tax_minor);
            CHECK(sum.gross_minor == paid.gross_minor);
            CHECK(sum.line_discount_minor == paid.line_discount_minor);
            CHECK(sum.order_discount_minor == paid.order_discount_minor);
            CHECK(sum.taxes[0].taxable_minor == paid.taxes[0].taxable_minor);
        }
    }
}

TEST_CASE("a weighed line returned in grams gives back its share", "[orders][refund]") {
    auto paid = paid_line(375, 0, 0, 63, TaxMode::inclusive);  // 1.250 kg at 3.00
    LineAmounts none;
    auto r = refund_share(paid, 1250, 0, 250, none, TaxMode::inclusive);
    CHECK(r.total_minor == 75);
    CHECK(negated(r).total_minor == -75);
    CHECK(negated(r).taxes[0].tax_minor == -r.taxes[0].tax_minor);
}
