// sdk::Value: the JSON every API body, event and config value goes through.
#include <catch2/catch.hpp>

#include <limits>
#include <string>

#include "till/sdk/value.hpp"

using till::sdk::Value;

namespace {

std::string error_of(const std::string& text) {
    auto parsed = Value::parse_json(text);
    REQUIRE_FALSE(parsed);
    CHECK(parsed.error().code == "invalid_json");
    return parsed.error().message;
}

}  // namespace

TEST_CASE("sdk.value: JSON round trip keeps every type", "[sdk][value]") {
    const std::string text =
        R"({"a":[1,-2,true,false,null,"x"],"b":{"c":"line\nbreak \"q\" \\ \t"},"max":9223372036854775807,)"
        R"("min":-9223372036854775808})";
    auto parsed = Value::parse_json(text);
    REQUIRE(parsed);
    CHECK(parsed->to_json() == text);
    CHECK((*parsed)["max"].as_int() == std::numeric_limits<std::int64_t>::max());
    CHECK((*parsed)["min"].as_int() == std::numeric_limits<std::int64_t>::min());
    CHECK((*parsed)["a"].as_list().size() == 6);
    CHECK((*parsed)["b"]["c"].as_string() == "line\nbreak \"q\" \\ \t");
    CHECK((*parsed)["missing"].is_null());
}

TEST_CASE("sdk.value: unicode escapes, surrogate pairs and control characters", "[sdk][value]") {
    auto parsed = Value::parse_json(R"(["\u00e9", "\ud83d\ude00", "\u0001"])");
    REQUIRE(parsed);
    CHECK(parsed->as_list()[0].as_string() == "\xC3\xA9");
    CHECK(parsed->as_list()[1].as_string() == "\xF0\x9F\x98\x80");
    CHECK(Value(std::string("\x01")).to_json() == R"("\u0001")");
    CHECK_THAT(error_of(R"(["\ud83d"])"), Catch::Contains("surrogate"));
    CHECK_THAT(error_of("[\"a\tb\"]"), Catch::Contains("control character"));
}

TEST_CASE("sdk.value: floats are refused with a reason, and out-of-range integers too", "[sdk][value]") {
    CHECK_THAT(error_of(R"({"price": 2.50})"),
               Catch::Contains("line 1, column 11") && Catch::Contains("numbers must be integers"));
    CHECK_THAT(error_of("[1e3]"), Catch::Contains("numbers must be integers"));
    CHECK_THAT(error_of("[9223372036854775808]"), Catch::Contains("out of the 64-bit range"));
    CHECK_THAT(error_of("[-9223372036854775809]"), Catch::Contains("out of the 64-bit range"));
    CHECK_THAT(error_of("[012]"), Catch::Contains("leading zero"));
}

TEST_CASE("sdk.value: syntax errors name line and column", "[sdk][value]") {
    CHECK(error_of("{\n  \"a\": 1,\n  \"b\" 2\n}") == "line 3, column 7: expected ':'");
    CHECK_THAT(error_of(R"({"a":1,"a":2})"), Catch::Contains("duplicate member \"a\""));
    CHECK_THAT(error_of("[1,2"), Catch::Contains("expected ',' or ']'"));
    CHECK_THAT(error_of("{} x"), Catch::Contains("unexpected text after the JSON value"));
    CHECK_THAT(error_of(""), Catch::Contains("unexpected end of input"));
    CHECK_THAT(error_of("[tru]"), Catch::Contains("unexpected character 't'"));
}

TEST_CASE("sdk.value: nesting is bounded, so hostile input cannot exhaust the stack", "[sdk][value]") {
    CHECK(Value::parse_json(std::string(100, '[') + std::string(100, ']')));
    CHECK_THAT(error_of(std::string(100000, '[')), Catch::Contains("nesting deeper than 128 levels"));
}

TEST_CASE("sdk.value: accessors fall back instead of throwing", "[sdk][value]") {
    Value v = Value::map();
    v.set("n", 5).set("s", "text");
    CHECK(v["n"].as_int() == 5);
    CHECK(v["s"].as_int(-1) == -1);
    CHECK(v["n"].as_string().empty());
    CHECK(v["n"].as_string("fallback") == "fallback");
    CHECK(v["s"].as_list().empty());
    CHECK(v.find("absent") == nullptr);
    Value list;
    list.push_back(1).push_back("two");
    CHECK(list.is_list());
    CHECK(list.size() == 2);
    CHECK(list == Value(Value::List{Value(1), Value("two")}));
    CHECK(list != Value(Value::List{Value(1)}));
}
