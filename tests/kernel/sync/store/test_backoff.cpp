// Exponential backoff with full jitter: the cap doubles from the initial wait
// up to the maximum, and every draw lies in [0, cap].
#include <catch2/catch.hpp>

#include "sync/backoff.hpp"

using namespace till::sync;

TEST_CASE("the backoff cap doubles per failure up to the maximum", "[sync][backoff]") {
    const BackoffSettings s{1000, 300000};
    CHECK(backoff_cap_ms(s, 0) == 0);
    CHECK(backoff_cap_ms(s, 1) == 1000);
    CHECK(backoff_cap_ms(s, 2) == 2000);
    CHECK(backoff_cap_ms(s, 3) == 4000);
    CHECK(backoff_cap_ms(s, 9) == 256000);
    CHECK(backoff_cap_ms(s, 10) == 300000);
    CHECK(backoff_cap_ms(s, 1000000) == 300000);  // no overflow after many failures
}

TEST_CASE("full jitter draws lie within [0, cap] and spread over it", "[sync][backoff]") {
    const BackoffSettings s{1000, 300000};
    CHECK(backoff_delay_ms(s, 3, [] { return std::uint64_t{0}; }) == 0);
    CHECK(backoff_delay_ms(s, 3, [] { return std::uint64_t{4000}; }) == 4000);
    CHECK(backoff_delay_ms(s, 3, [] { return std::uint64_t{4001}; }) == 0);

    auto random = default_random_source();
    std::int64_t low = INT64_MAX, high = 0;
    for (int i = 0; i < 2000; ++i) {
        const std::int64_t d = backoff_delay_ms(s, 4, random);
        REQUIRE(d >= 0);
        REQUIRE(d <= 8000);
        low = std::min(low, d);
        high = std::max(high, d);
    }
    CHECK(low < 2000);   // not stuck at the cap...
    CHECK(high > 6000);  // ...nor at zero
}
