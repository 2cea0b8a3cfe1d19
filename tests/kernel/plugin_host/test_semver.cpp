#include <catch2/catch.hpp>

#include "plugin_host/semver.hpp"

using till::plugin_host::parse_semver;
using till::plugin_host::valid_range;
using till::plugin_host::version_satisfies;

TEST_CASE("semantic versions parse and order", "[semver]") {
    auto v = parse_semver("1.2.3");
    REQUIRE(v);
    CHECK(v->major == 1);
    CHECK(v->minor == 2);
    CHECK(v->patch == 3);
    CHECK(*parse_semver("1.2.3-beta.1") < *parse_semver("1.2.3"));
    CHECK(*parse_semver("1.10.0") > *parse_semver("1.9.9"));
    CHECK(parse_semver("1.2.3+build.5")->to_string() == "1.2.3");
    for (const char* bad : {"", "1", "1.2", "1.2.x", "01.2.3", "1.2.3-", "v1.2.3"}) {
        INFO(bad);
        CHECK_FALSE(parse_semver(bad));
    }
}

TEST_CASE("version ranges", "[semver]") {
    auto v = *parse_semver("1.4.2");
    CHECK(*version_satisfies(v, "*"));
    CHECK(*version_satisfies(v, ""));
    CHECK(*version_satisfies(v, ">=1.0.0 <2.0.0"));
    CHECK_FALSE(*version_satisfies(v, ">=1.5.0"));
    CHECK(*version_satisfies(v, "^1.2.0"));
    CHECK_FALSE(*version_satisfies(v, "^2.0.0"));
    CHECK(*version_satisfies(v, "~1.4.0"));
    CHECK_FALSE(*version_satisfies(v, "~1.3.0"));
    CHECK(*version_satisfies(v, "1.4.2"));
    CHECK(*version_satisfies(v, "=1.4.2"));
    CHECK_FALSE(valid_range(">=one"));
    CHECK_FALSE(version_satisfies(v, "bogus").has_value());
}
