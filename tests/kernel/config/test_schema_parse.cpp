// parse_schema: mistakes in a manifest's config section are diagnostics.
#include <catch2/catch.hpp>

#include "config/schema.hpp"
#include "diag_helpers.hpp"

using namespace till::config;
using till::test::all_text;
using till::test::find_diag;

namespace {
std::vector<Diagnostic> schema_errors(const std::string& yaml) {
    auto tree = parse_yaml(yaml, "plugin.yaml");
    REQUIRE(tree.ok());
    std::vector<Diagnostic> out;
    parse_schema(*tree->get("config"), "config", "plugin.yaml", out);
    return out;
}
}  // namespace

TEST_CASE("parse_schema reads every field", "[config][schema]") {
    auto tree = parse_yaml(
        "config:\n  port:\n    type: integer\n    default: 9100\n    min: 1\n    max: 65535\n"
        "    required: no\n    description: TCP port\n    secret: false\n",
        "plugin.yaml");
    REQUIRE(tree.ok());
    std::vector<Diagnostic> out;
    auto keys = parse_schema(*tree->get("config"), "config", "plugin.yaml", out);
    INFO(all_text(out));
    REQUIRE(out.empty());
    REQUIRE(keys.size() == 1);
    CHECK(keys[0].name == "port");
    CHECK(keys[0].type == KeyType::integer);
    CHECK(keys[0].default_value.as_int() == 9100);
    CHECK(*keys[0].min == 1);
    CHECK(*keys[0].max == 65535);
    CHECK_FALSE(keys[0].required);
    CHECK(keys[0].description == "TCP port");
}

TEST_CASE("an unknown type is an error at the type value", "[config][schema]") {
    auto out = schema_errors("config:\n  host:\n    type: strng\n");
    REQUIRE(out.size() == 1);
    CHECK(out[0].to_string() ==
          "plugin.yaml:3:11: config.host.type: unknown type \"strng\"; expected one of string, "
          "integer, boolean, string_list, map; did you mean \"string\"?");
}

TEST_CASE("a default of the wrong type is an error at the default", "[config][schema]") {
    auto out = schema_errors("config:\n  port:\n    type: integer\n    default: abc\n");
    REQUIRE(out.size() == 1);
    CHECK(out[0].to_string() == "plugin.yaml:4:14: config.port.default: expected integer, got \"abc\"");
}

TEST_CASE("schema mistakes are all collected", "[config][schema]") {
    auto out = schema_errors(
        "config:\n"
        "  a:\n    type: string\n    defualt: x\n"         // unknown field
        "  b:\n    description: no type\n"                 // missing type
        "  c:\n    type: integer\n    min: 10\n    max: 5\n"  // min > max
        "  d:\n    type: boolean\n    enum: [x]\n"         // enum on boolean
        "  e:\n    type: string\n    enum: [x, y]\n    default: z\n"  // default outside enum
        "  f:\n    type: map\n");                          // map without keys
    INFO(all_text(out));
    CHECK(out.size() == 6);
    CHECK(find_diag(out, "unknown schema field \"defualt\"; did you mean \"default\"?"));
    CHECK(find_diag(out, "missing required key \"type\""));
    CHECK(find_diag(out, "min (10) is greater than max (5)"));
    CHECK(find_diag(out, "enum applies only to string and string_list keys"));
    CHECK(find_diag(out, "expected one of x, y, got \"z\""));
    CHECK(find_diag(out, "needs \"keys\""));
}
