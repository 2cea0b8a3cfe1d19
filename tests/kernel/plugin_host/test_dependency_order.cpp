#include <catch2/catch.hpp>

#include "plugin_host/dependency_order.hpp"

using till::plugin_host::order_by_dependencies;

TEST_CASE("dependencies start first, ties by id", "[dependencies]") {
    auto result = order_by_dependencies({{"ui", {"orders", "printer"}}, {"printer", {}}, {"orders", {"printer"}},
                                         {"audit", {}}});
    CHECK(result.cycles.empty());
    CHECK(result.order == std::vector<std::string>{"audit", "printer", "orders", "ui"});
}

TEST_CASE("cycles are found and named, others still order", "[dependencies]") {
    auto result = order_by_dependencies({{"a", {"b"}}, {"b", {"c"}}, {"c", {"a"}}, {"d", {}}, {"e", {"e"}}});
    CHECK(result.order == std::vector<std::string>{"d"});
    REQUIRE(result.cycles.count("a"));
    CHECK(result.cycles.at("a") == "a -> b -> c -> a");
    CHECK(result.cycles.count("b"));
    CHECK(result.cycles.count("c"));
    CHECK(result.cycles.at("e") == "e -> e");
}

TEST_CASE("unknown dependencies are left to the caller", "[dependencies]") {
    auto result = order_by_dependencies({{"a", {"missing"}}});
    CHECK(result.order == std::vector<std::string>{"a"});
}
