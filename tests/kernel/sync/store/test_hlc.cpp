// Hybrid logical clock stamps: format, parsing, and monotonicity whatever the
// wall clock does.
#include <catch2/catch.hpp>

#include "sync/hlc.hpp"

using namespace till::sync;

TEST_CASE("an HLC stamp has the format of script::format_hlc and parses back", "[sync][hlc]") {
    const HlcStamp s{1763770000000, 42};
    const std::string text = format_hlc_stamp(s, "store-001");
    CHECK(text == "001763770000000-00042-store-001");
    auto parsed = parse_hlc_stamp(text);
    REQUIRE(parsed);
    CHECK(parsed->stamp == s);
    CHECK(parsed->node_id == "store-001");
    CHECK_FALSE(parse_hlc_stamp("1763770000000-42-store"));
    CHECK_FALSE(parse_hlc_stamp("001763770000000-00042-"));
    CHECK_FALSE(parse_hlc_stamp("00176377000000x-00042-a"));
}

TEST_CASE("local stamps follow the wall clock and never go backwards when it does", "[sync][hlc]") {
    HlcStamp s{};
    s = hlc_next(s, 1000);
    CHECK(s == HlcStamp{1000, 0});
    s = hlc_next(s, 1000);  // same millisecond
    CHECK(s == HlcStamp{1000, 1});
    const HlcStamp before_jump = s;
    s = hlc_next(s, 1000 - 3 * 3600 * 1000);  // clock set back three hours
    CHECK(s > before_jump);
    CHECK(s == HlcStamp{1000, 2});
    s = hlc_next(s, 5000);
    CHECK(s == HlcStamp{5000, 0});
    CHECK(format_hlc_stamp(HlcStamp{1000, 2}, "n") < format_hlc_stamp(HlcStamp{5000, 0}, "n"));
}

TEST_CASE("a full counter moves the wall part ahead instead of overflowing", "[sync][hlc]") {
    HlcStamp s{7000, kHlcMaxCounter};
    const HlcStamp next = hlc_next(s, 10);
    CHECK(next == HlcStamp{7001, 0});
    CHECK(format_hlc_stamp(s, "a") < format_hlc_stamp(next, "a"));
}

TEST_CASE("observing a remote stamp moves past it", "[sync][hlc]") {
    const HlcStamp local{1000, 3};
    const HlcStamp remote{9000, 7};
    const HlcStamp s = hlc_observe(local, remote, 2000);
    CHECK(s > remote);
    CHECK(s > local);
    CHECK(hlc_observe(local, remote, 20000) == HlcStamp{20000, 0});
}
