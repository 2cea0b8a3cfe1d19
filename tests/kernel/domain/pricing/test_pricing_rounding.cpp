// divide_rounded and cash_round.
#include <catch2/catch.hpp>

#include <cstdint>
#include <limits>

#include "pricing_builders.hpp"

using namespace till::test::pricing;

TEST_CASE("divide_rounded: half_up rounds ties away from zero, half_even to the even neighbour",
          "[pricing][rounding]") {
    const auto up = RoundingMode::half_up;
    const auto even = RoundingMode::half_even;
    CHECK(p::divide_rounded(5, 2, up) == 3);
    CHECK(p::divide_rounded(5, 2, even) == 2);
    CHECK(p::divide_rounded(7, 2, up) == 4);
    CHECK(p::divide_rounded(7, 2, even) == 4);
    CHECK(p::divide_rounded(-5, 2, up) == -3);
    CHECK(p::divide_rounded(-5, 2, even) == -2);
    CHECK(p::divide_rounded(-7, 2, even) == -4);
    // not ties: the nearest integer in both modes
    CHECK(p::divide_rounded(14, 10, up) == 1);
    CHECK(p::divide_rounded(16, 10, even) == 2);
    CHECK(p::divide_rounded(-16, 10, up) == -2);
    CHECK(p::divide_rounded(-14, 10, even) == -1);
    CHECK(p::divide_rounded(0, 7, up) == 0);
    // exact for products beyond int64
    const p::Int128 big = static_cast<p::Int128>(std::numeric_limits<std::int64_t>::max()) * 10000 +
                          4999;  // just below the tie that would overflow
    CHECK(p::divide_rounded(big, 10000, up) == std::numeric_limits<std::int64_t>::max());
}

TEST_CASE("cash_round: to the nearest multiple of the increment", "[pricing][rounding][cash]") {
    const auto up = RoundingMode::half_up;
    const auto even = RoundingMode::half_even;
    CHECK(p::cash_round(102, 5, up) == 100);
    CHECK(p::cash_round(103, 5, up) == 105);
    CHECK(p::cash_round(6138, 5, up) == 6140);
    CHECK(p::cash_round(-1027, 5, up) == -1025);
    CHECK(p::cash_round(-1028, 5, up) == -1030);
    CHECK(p::cash_round(1025, 10, up) == 1030);
    CHECK(p::cash_round(1025, 10, even) == 1020);
    CHECK(p::cash_round(1035, 10, even) == 1040);
    CHECK(p::cash_round(1234, 0, up) == 1234);
    CHECK(p::cash_round(1234, 1, up) == 1234);
    CHECK(p::cash_round(1234, -5, up) == 1234);
    const auto max = std::numeric_limits<std::int64_t>::max();  // ...807: the multiple above does not exist
    CHECK(p::cash_round(max, 10, up) == max - 7);
    const auto min = std::numeric_limits<std::int64_t>::min();  // ...808
    CHECK(p::cash_round(min, 10, up) == min + 8);
}
