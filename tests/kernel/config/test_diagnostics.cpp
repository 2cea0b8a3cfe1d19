// Diagnostic text and the typo suggestion rule.
#include <catch2/catch.hpp>

#include "config/schema.hpp"

using namespace till::config;

TEST_CASE("Diagnostic::to_string leaves out unknown parts", "[config][diagnostic]") {
    CHECK(Diagnostic{"configs/store.yaml", {14, 5}, "printer_escpos.port", "expected integer, got \"abc\""}
              .to_string() == "configs/store.yaml:14:5: printer_escpos.port: expected integer, got \"abc\"");
    CHECK(Diagnostic{"a.yaml", {}, "x", "m"}.to_string() == "a.yaml: x: m");
    CHECK(Diagnostic{"a.yaml", {3, 0}, "", "m"}.to_string() == "a.yaml:3: m");
    CHECK(Diagnostic{"", {}, "", "m"}.to_string() == "m");
}

TEST_CASE("closest_match accepts distance up to max(1, len/3)", "[config][diagnostic]") {
    const std::vector<std::string> c = {"plugins", "storage", "logging", "printer_file"};
    CHECK(closest_match("pluggins", c) == "plugins");
    CHECK(closest_match("printr_file", c) == "printer_file");
    CHECK(closest_match("stroage", c) == "storage");  // transposition = 2 edits, 7/3 = 2
    CHECK(closest_match("xyz", c).empty());
    CHECK(closest_match("ab", {"ac"}) == "ac");     // max(1, 0) = 1
    CHECK(closest_match("ab", {"cd"}).empty());
}

TEST_CASE("process_env reads the real environment", "[config][diagnostic]") {
    auto env = process_env();
    CHECK(env("PATH").has_value());
    CHECK_FALSE(env("TILL_TEST_SURELY_UNSET_VARIABLE_42").has_value());
}
