// Property tests: seeded random orders across both tax modes, both rounding
// modes and both rounding levels. A failure prints the seed of the order (and
// its settings); rerun one order with TILL_PRICING_SEED=<seed>.
#include <catch2/catch.hpp>

#include <cstdint>
#include <cstdlib>
#include <random>
#include <sstream>
#include <string>

#include "pricing_builders.hpp"

using namespace till::test::pricing;

namespace {

constexpr std::uint64_t kFirstSeed = 20240601;
constexpr int kOrders = 20000;

// One catalog of rates, so a rate id always has the same rate.
const std::vector<p::Rate> kRates = {
    rate("vat20", 2000),    rate("vat5.5", 550), rate("zero", 0),   rate("gst", 500),
    rate("qst", 975, true), rate("odd", 887),    rate("city", 450), rate("surtax", 130, true),
};

struct Random {
    std::mt19937_64 engine;
    explicit Random(std::uint64_t seed) : engine(seed) {}
    std::int64_t between(std::int64_t lo, std::int64_t hi) {
        return std::uniform_int_distribution<std::int64_t>(lo, hi)(engine);
    }
    bool chance(int percent) { return between(1, 100) <= percent; }
};

p::Discount random_discount(Random& rnd, std::int64_t scale) {
    switch (rnd.between(0, 3)) {
        case 0:
            return p::Discount{};
        case 1:
            return percent_off(rnd.chance(20) ? rnd.between(0, 1) * 10000 : rnd.between(0, 10000));
        default:
            return amount_off(rnd.between(0, scale));
    }
}

struct Case {
    p::OrderInput order;
    p::Settings settings;
    bool sale_only = true;
};

Case random_case(std::uint64_t seed) {
    Random rnd(seed);
    Case c;
    c.settings.tax_mode = rnd.chance(50) ? TaxMode::inclusive : TaxMode::exclusive;
    c.settings.rounding_mode = rnd.chance(50) ? RoundingMode::half_up : RoundingMode::half_even;
    c.settings.rounding_level = rnd.chance(50) ? RoundingLevel::per_line : RoundingLevel::per_invoice;
    const bool mixed = rnd.chance(20);  // an exchange: some lines returned
    const bool small = rnd.chance(30);  // cents: where rounding bites
    const bool tiny = rnd.chance(5);    // many one-cent lines: allocation at its limits
    const auto lines = tiny ? rnd.between(18, 30) : rnd.between(0, 9);
    for (std::int64_t i = 0; i < lines; ++i) {
        p::LineInput l;
        l.qty_milli = rnd.chance(70) ? rnd.between(1, 6) * 1000 : rnd.between(1, 5000);
        if (mixed && rnd.chance(40)) {
            l.qty_milli = -l.qty_milli;
            c.sale_only = false;
        }
        l.unit_price_minor = tiny ? 1 : small ? rnd.between(0, 30) : rnd.between(0, 200000);
        if (tiny) l.qty_milli = l.qty_milli < 0 ? -1000 : 1000;
        if (rnd.chance(20)) l.modifiers_unit_minor = rnd.between(-l.unit_price_minor, 500);
        const auto rate_count = rnd.between(0, 3);
        for (std::int64_t r = 0; r < rate_count; ++r)
            l.rates.push_back(
                kRates[static_cast<std::size_t>(rnd.between(0, static_cast<std::int64_t>(kRates.size()) - 1))]);
        if (tiny) l.rates = {kRates[3], kRates[6]};  // one rate set: one per-invoice group
        l.tax_exempt = rnd.chance(8);
        if (!tiny) l.discount = random_discount(rnd, small ? 60 : 300000);
        c.order.lines.push_back(std::move(l));
    }
    if (!tiny) c.order.order_discount = random_discount(rnd, small ? 100 : 500000);
    c.order.tax_exempt = rnd.chance(5);
    return c;
}

std::string describe(const p::Settings& s) {
    std::ostringstream out;
    out << (s.tax_mode == TaxMode::inclusive ? "inclusive" : "exclusive") << ", "
        << (s.rounding_mode == RoundingMode::half_up ? "half_up" : "half_even") << ", "
        << (s.rounding_level == RoundingLevel::per_line ? "per line" : "per invoice");
    return out.str();
}

int g_failures = 0;  // test-local counter: stops the run after a few failures

#define PROP(cond)             \
    do {                       \
        if (!(cond)) {         \
            FAIL_CHECK(#cond); \
            ++g_failures;      \
        }                      \
    } while (false)

std::int64_t sign_of(std::int64_t v) {
    return v < 0 ? -1 : 1;
}

void check_invariants(const Case& c, const p::OrderResult& r) {
    const bool exclusive = c.settings.tax_mode == TaxMode::exclusive;
    PROP(r.lines.size() == c.order.lines.size());
    std::int64_t gross = 0, discount = 0, tax = 0, total = 0;
    for (std::size_t i = 0; i < r.lines.size(); ++i) {
        INFO("line " << i);
        const auto& in = c.order.lines[i];
        const auto& l = r.lines[i];
        const std::int64_t s = sign_of(in.qty_milli);
        gross += l.gross_minor;
        discount += l.line_discount_minor + l.order_discount_minor;
        tax += l.tax_minor;
        total += l.total_minor;
        // gross − discounts (+ tax when exclusive) == total, on every line
        PROP(l.net_minor == l.gross_minor - l.line_discount_minor - l.order_discount_minor);
        PROP(l.total_minor == l.net_minor + (exclusive ? l.tax_minor : 0));
        // a sale line never goes below zero, a return line never above
        PROP(s * l.gross_minor >= 0);
        PROP(s * l.line_discount_minor >= 0);
        PROP(s * l.order_discount_minor >= 0);
        PROP(s * l.order_discount_minor <= s * (l.gross_minor - l.line_discount_minor));
        PROP(s * l.net_minor >= 0);
        PROP(s * l.tax_minor >= 0);
        if (!exclusive) PROP(s * l.tax_minor <= s * l.net_minor);
        // the line's tax parts sum to its tax; an exempt line has none
        std::int64_t parts = 0;
        for (const auto& part : l.taxes) {
            parts += part.tax_minor;
            PROP(s * part.taxable_minor >= 0);
        }
        PROP(parts == l.tax_minor);
        if (in.tax_exempt || c.order.tax_exempt)
            PROP(l.taxes.empty());
        else
            PROP(l.taxes.size() == in.rates.size());
        // gross is round(qty × (unit + modifiers) / 1000)
        PROP(l.gross_minor ==
             p::divide_rounded(static_cast<p::Int128>(in.qty_milli) * (in.unit_price_minor + in.modifiers_unit_minor),
                               1000, c.settings.rounding_mode));
        // an independent oracle for the simple case: one non-compound rate, per line
        if (c.settings.rounding_level == RoundingLevel::per_line && l.taxes.size() == 1 && !in.rates[0].compound) {
            const auto bp = in.rates[0].rate_bp;
            const auto expected =
                exclusive
                    ? p::divide_rounded(static_cast<p::Int128>(l.net_minor) * bp, 10000, c.settings.rounding_mode)
                    : p::divide_rounded(static_cast<p::Int128>(l.net_minor) * bp, 10000 + bp, c.settings.rounding_mode);
            PROP(l.tax_minor == expected);
        }
    }
    // lines sum to every total field
    PROP(r.gross_minor == gross);
    PROP(r.discount_minor == discount);
    PROP(r.tax_minor == tax);
    PROP(r.total_minor == total);
    PROP(r.total_minor == r.gross_minor - r.discount_minor + (exclusive ? r.tax_minor : 0));
    // the per-rate summary sums to the tax, and to the lines' parts per rate
    std::int64_t summary = 0;
    for (const auto& row : r.tax_summary) {
        summary += row.tax_minor;
        std::int64_t taxable = 0, row_tax = 0;
        for (const auto& l : r.lines)
            for (const auto& part : l.taxes)
                if (part.tax_rate_id == row.tax_rate_id) {
                    taxable += part.taxable_minor;
                    row_tax += part.tax_minor;
                }
        PROP(taxable == row.taxable_minor);
        PROP(row_tax == row.tax_minor);
        // per invoice, exclusive: each non-compound rate is levied once on its summed base
        const bool compound = row.tax_rate_id == "qst" || row.tax_rate_id == "surtax";
        if (exclusive && c.sale_only && !compound && c.settings.rounding_level == RoundingLevel::per_invoice)
            PROP(row.tax_minor == p::divide_rounded(static_cast<p::Int128>(row.taxable_minor) * row.rate_bp, 10000,
                                                    c.settings.rounding_mode));
    }
    PROP(summary == r.tax_minor);
    // inclusive without discounts: the customer pays exactly the shelf prices
    if (!exclusive) PROP(r.total_minor == r.gross_minor - r.discount_minor);
    // the order discount taken is what was asked (capped at the sale lines' amount)
    if (c.sale_only && c.order.order_discount.kind != p::Discount::Kind::none) {
        std::int64_t base = 0, taken = 0;
        for (const auto& l : r.lines) {
            base += l.gross_minor - l.line_discount_minor;
            taken += l.order_discount_minor;
        }
        const auto& d = c.order.order_discount;
        const auto expected =
            d.kind == p::Discount::Kind::amount
                ? std::min(d.amount_minor, base)
                : p::divide_rounded(static_cast<p::Int128>(base) * d.percent_bp, 10000, c.settings.rounding_mode);
        PROP(taken == expected);
    }
}

void check_mirror(const p::OrderResult& a, const p::OrderResult& b) {
    PROP(b.gross_minor == -a.gross_minor);
    PROP(b.discount_minor == -a.discount_minor);
    PROP(b.tax_minor == -a.tax_minor);
    PROP(b.total_minor == -a.total_minor);
    PROP(a.lines.size() == b.lines.size());
    for (std::size_t i = 0; i < a.lines.size() && i < b.lines.size(); ++i) {
        INFO("line " << i);
        const auto& x = a.lines[i];
        const auto& y = b.lines[i];
        PROP(y.gross_minor == -x.gross_minor);
        PROP(y.line_discount_minor == -x.line_discount_minor);
        PROP(y.order_discount_minor == -x.order_discount_minor);
        PROP(y.net_minor == -x.net_minor);
        PROP(y.tax_minor == -x.tax_minor);
        PROP(y.total_minor == -x.total_minor);
        PROP(x.taxes.size() == y.taxes.size());
        for (std::size_t t = 0; t < x.taxes.size() && t < y.taxes.size(); ++t) {
            PROP(y.taxes[t].tax_minor == -x.taxes[t].tax_minor);
            PROP(y.taxes[t].taxable_minor == -x.taxes[t].taxable_minor);
        }
    }
}

p::OrderInput negated(p::OrderInput order) {
    for (auto& l : order.lines) l.qty_milli = -l.qty_milli;
    return order;
}

std::vector<std::uint64_t> seeds() {
    std::vector<std::uint64_t> out;
    if (const char* one = std::getenv("TILL_PRICING_SEED")) {
        out.push_back(std::strtoull(one, nullptr, 10));
        return out;
    }
    for (int i = 0; i < kOrders; ++i) out.push_back(kFirstSeed + static_cast<std::uint64_t>(i));
    return out;
}

}  // namespace

TEST_CASE("random orders: no cent appears or disappears, no line changes sign", "[pricing][property]") {
    g_failures = 0;
    for (const auto seed : seeds()) {
        if (g_failures >= 20) break;
        const Case c = random_case(seed);
        INFO("seed " << seed << " (TILL_PRICING_SEED=" << seed << "), " << describe(c.settings) << ", "
                     << c.order.lines.size() << " lines");
        auto result = p::price_order(c.order, c.settings);
        if (!result.ok()) {
            FAIL_CHECK(result.error().message);
            ++g_failures;
            continue;
        }
        check_invariants(c, result.value());

        // A sale with every quantity negated (a whole return) is its exact
        // negative, and each line alone returns exactly. (Not an exchange:
        // negating one swaps which lines take the order discount.)
        if (c.sale_only) {
            auto back = p::price_order(negated(c.order), c.settings);
            PROP(back.ok());
            if (back.ok()) check_mirror(result.value(), back.value());
        }
        if (!c.order.lines.empty()) {
            p::OrderInput one;
            one.lines = {c.order.lines.front()};
            one.tax_exempt = c.order.tax_exempt;
            auto sold = p::price_order(one, c.settings);
            auto returned = p::price_order(negated(one), c.settings);
            PROP(sold.ok() && returned.ok());
            if (sold.ok() && returned.ok()) check_mirror(sold.value(), returned.value());
        }
    }
    REQUIRE(g_failures == 0);
}

TEST_CASE("random amounts: cash_round gives a multiple of the increment within half of it",
          "[pricing][property][cash]") {
    g_failures = 0;
    Random rnd(kFirstSeed);
    for (int i = 0; i < kOrders && g_failures < 20; ++i) {
        const auto amount = rnd.chance(10) ? rnd.between(std::numeric_limits<std::int64_t>::min(),
                                                         std::numeric_limits<std::int64_t>::max())
                                           : rnd.between(-1000000, 1000000);
        const auto increment = rnd.between(2, 100);
        const auto mode = rnd.chance(50) ? RoundingMode::half_up : RoundingMode::half_even;
        INFO("amount " << amount << ", increment " << increment << ", "
                       << (mode == RoundingMode::half_up ? "half_up" : "half_even") << " (draw " << i << ")");
        const auto rounded = p::cash_round(amount, increment, mode);
        PROP(rounded % increment == 0);
        const p::Int128 distance = static_cast<p::Int128>(rounded) - amount;
        const p::Int128 magnitude = distance < 0 ? -distance : distance;
        const bool at_the_edge = amount > std::numeric_limits<std::int64_t>::max() - increment ||
                                 amount < std::numeric_limits<std::int64_t>::min() + increment;
        PROP(magnitude * 2 <= increment || (at_the_edge && magnitude < increment));
        PROP(p::cash_round(-amount == std::numeric_limits<std::int64_t>::min() ? amount : -amount, increment, mode) ==
                 (amount == std::numeric_limits<std::int64_t>::min() ? rounded : -rounded) ||
             at_the_edge);
    }
    REQUIRE(g_failures == 0);
}
