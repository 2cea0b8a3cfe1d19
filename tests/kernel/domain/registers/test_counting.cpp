// The drawer count at close: denominations positive, counts >= 0, no
// duplicates, errors naming $.counted[i]; counted total and variance.
#include <catch2/catch.hpp>

#include "registers_test_support.hpp"

using namespace till;
using till::test::by;

TEST_CASE("a drawer count is checked line by line and names the bad line", "[registers][count]") {
    using domain::validate_counted;
    CHECK(validate_counted({}).ok());
    CHECK(validate_counted({{5000, 2}, {200, 0}, {1, 17}}).ok());

    auto zero = validate_counted({{5000, 1}, {0, 3}});
    REQUIRE_FALSE(zero.ok());
    CHECK(zero.error().code == "invalid_argument");
    CHECK(zero.message() == "$.counted[1].denomination_minor: must be at least 1, got 0");

    auto negative = validate_counted({{-100, 3}});
    CHECK(negative.message() == "$.counted[0].denomination_minor: must be at least 1, got -100");

    auto count = validate_counted({{100, 1}, {200, 1}, {500, -2}});
    CHECK(count.message() == "$.counted[2].count: must be at least 0, got -2");

    auto dup = validate_counted({{100, 1}, {200, 1}, {100, 4}});
    REQUIRE_FALSE(dup.ok());
    CHECK(dup.message() == "$.counted[2].denomination_minor: denomination 100 is already counted at $.counted[0]");

    auto huge = validate_counted({{100'000'001, 1}});
    CHECK(huge.message().rfind("$.counted[0].denomination_minor: must be at most", 0) == 0);

    CHECK(domain::counted_total_minor({{5000, 2}, {200, 3}, {5, 7}}) == 10635);
}

TEST_CASE("closing reports counted, expected and variance (over and short)", "[registers][count]") {
    test::RegistersUnderTest t(test::Backend::sqlite);
    struct Case {
        std::vector<domain::CountedDenomination> counted;
        std::int64_t counted_minor;
        std::int64_t variance_minor;
    };
    for (const auto& c : std::vector<Case>{{{{5000, 2}}, 10000, 0},        // exact
                                           {{{5000, 2}, {10, 3}}, 10030, 30},  // over
                                           {{{2000, 4}, {100, 5}}, 8500, -1500},  // short
                                           {{}, 0, -10000}}) {              // empty drawer
        test::open_register(t.registers, "T1", 10000);
        auto closed = t.registers.close(by("bob"), "T1", c.counted, "");
        REQUIRE(closed.ok());
        CHECK(closed.value()["counted_minor"].as_int() == c.counted_minor);
        CHECK(closed.value()["expected_cash_minor"].as_int() == 10000);
        CHECK(closed.value()["variance_minor"].as_int() == c.variance_minor);
        CHECK(closed.value()["session"]["variance_minor"].as_int() == c.variance_minor);
        CHECK(closed.value()["z_report"]["report"]["variance_minor"].as_int() == c.variance_minor);
    }
}

TEST_CASE("a bad count leaves the session open", "[registers][count]") {
    test::RegistersUnderTest t(test::Backend::sqlite);
    const std::string session = test::open_register(t.registers, "T1");
    auto bad = t.registers.close(by("bob"), "T1", {{100, 1}, {100, 1}}, "");
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().code == "invalid_argument");
    CHECK(t.registers.current_session("T1").value()["session_id"].as_string() == session);
    CHECK(t.registers.list_z_reports("T1", 0, 10).value()["items"].size() == 0);
}
