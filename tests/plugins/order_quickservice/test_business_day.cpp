// Which business day an instant belongs to, for a day starting at a given
// local hour; and day-text checking.
#include <catch2/catch.hpp>

#include "business_day.hpp"
#include "quickservice_test_support.hpp"

using till::order_quickservice::business_day;
using till::order_quickservice::is_day_text;
using till::test::local_ms;

TEST_CASE("the business day starts at the configured local hour", "[quickservice][day]") {
    CHECK(business_day(local_ms(2026, 3, 10, 3, 59), 4) == "2026-03-09");
    CHECK(business_day(local_ms(2026, 3, 10, 4, 0), 4) == "2026-03-10");
    CHECK(business_day(local_ms(2026, 3, 10, 23, 59), 4) == "2026-03-10");
    CHECK(business_day(local_ms(2026, 3, 10, 0, 0), 0) == "2026-03-10");
    CHECK(business_day(local_ms(2026, 3, 1, 2, 0), 4) == "2026-02-28");   // across a month end
    CHECK(business_day(local_ms(2024, 3, 1, 2, 0), 4) == "2024-02-29");   // leap year
    CHECK(business_day(local_ms(2026, 1, 1, 5, 0), 6) == "2025-12-31");   // across a year end
    CHECK(business_day(local_ms(2026, 7, 4, 22, 59), 23) == "2026-07-03");
}

TEST_CASE("day text is YYYY-MM-DD", "[quickservice][day]") {
    CHECK(is_day_text("2026-03-10"));
    CHECK_FALSE(is_day_text("2026-3-10"));
    CHECK_FALSE(is_day_text("2026-13-01"));
    CHECK_FALSE(is_day_text("2026-03-1x"));
    CHECK_FALSE(is_day_text(""));
}
