// Strict request bodies: every problem names its JSON path; unknown fields
// are refused; the first problem wins.
#include <catch2/catch.hpp>

#include <algorithm>

#include "config/node_config.hpp"
#include "domain/common/auth.hpp"
#include "domain/common/body_reader.hpp"
#include "domain_fixture.hpp"
#include "domain/common/http_errors.hpp"

using till::domain::BodyReader;
using till::domain::Need;
using till::sdk::Value;

namespace {
Value parse(const char* json) { return Value::parse_json(json).value(); }
}  // namespace

TEST_CASE("a valid body reads every field", "[domain][body]") {
    const Value body = parse(R"({"sku":"LATTE-L","qty_milli":2000,"gift":true,"modifiers":["m1"],"discount":{"percent_bp":500}})");
    BodyReader r(body);
    CHECK(r.string("sku", Need::required) == "LATTE-L");
    CHECK(r.integer("qty_milli", Need::required, 1, 1000000) == 2000);
    CHECK(r.boolean("gift", Need::optional) == true);
    REQUIRE(r.list("modifiers", Need::optional));
    const Value* discount = r.object("discount", Need::optional);
    REQUIRE(discount);
    BodyReader d(*discount, r.path_of("discount"));
    CHECK(d.integer("percent_bp", Need::required, 0, 10000) == 500);
    CHECK(d.finish().ok());
    CHECK(r.string("note", Need::optional) == std::nullopt);
    CHECK(r.finish().ok());
}

TEST_CASE("each kind of bad field names its path", "[domain][body]") {
    struct Case {
        const char* json;
        const char* message;
    };
    const Case cases[] = {
        {R"({"qty_milli":1})", "$.sku: is required"},
        {R"({"sku":"","qty_milli":1})", "$.sku: must not be empty"},
        {R"({"sku":5,"qty_milli":1})", "$.sku: expected a string, got integer"},
        {R"({"sku":"A","qty_milli":"2"})", "$.qty_milli: expected an integer, got string"},
        {R"({"sku":"A","qty_milli":-5})", "$.qty_milli: must be at least 1, got -5"},
        {R"({"sku":"A","qty_milli":1,"colour":"red"})", "$.colour: unknown field"},
    };
    for (const auto& c : cases) {
        INFO(c.json);
        const Value body = parse(c.json);
        BodyReader r(body);
        r.string("sku", Need::required);
        r.integer("qty_milli", Need::required, 1, 1000000);
        auto status = r.finish();
        REQUIRE_FALSE(status.ok());
        CHECK(status.error().code == "invalid_argument");
        CHECK(status.message() == c.message);
    }
}

TEST_CASE("nested readers and caller-found problems keep their paths", "[domain][body]") {
    const Value body = parse(R"({"lines":[{"line_id":"a","qty_milli":0}]})");
    BodyReader r(body);
    const Value* lines = r.list("lines", Need::required);
    REQUIRE(lines);
    BodyReader line(lines->as_list()[0], r.path_of("lines") + "[0]");
    line.string("line_id", Need::required);
    line.integer("qty_milli", Need::required, 1, 1000);
    CHECK(line.finish().message() == "$.lines[0].qty_milli: must be at least 1, got 0");
    r.fail("$.lines[0].line_id", "no such line");
    CHECK(r.finish().message() == "$.lines[0].line_id: no such line");
}

TEST_CASE("a body that is not an object is refused at $", "[domain][body]") {
    const Value body = parse("[1,2]");
    BodyReader r(body);
    CHECK(r.finish().message() == "$: expected an object, got list");
}

TEST_CASE("domain errors map to HTTP problems with the JSON path", "[domain][errors]") {
    using till::domain::to_problem;
    auto r = to_problem(till::domain::invalid_field("$.lines[2].qty_milli", "must be positive"));
    CHECK(r.status == 422);
    CHECK(r.content_type == "application/problem+json");
    const Value body = Value::parse_json(r.body).value();
    CHECK(body["code"].as_string() == "invalid_argument");
    CHECK(body["errors"].as_list().at(0)["path"].as_string() == "$.lines[2].qty_milli");
    CHECK(to_problem({"not_found", "no order x"}).status == 404);
    CHECK(to_problem({"conflict", "stale"}).status == 409);
    CHECK(to_problem({"invalid_state", "paid"}).status == 409);
    CHECK(to_problem({"override_required", "order.void"}).status == 403);
    auto unauthorized = to_problem({"unauthorized", "no token"});
    CHECK(unauthorized.status == 401);
    CHECK(unauthorized.headers.at("WWW-Authenticate") == "Bearer");
    CHECK(to_problem({"io_error", "disk"}).status == 500);
}

TEST_CASE("the kernel schema grants only known actions", "[domain][settings]") {
    // kernel/config/kernel_schema.cpp lists the actions for the permissions
    // section; domain/common/auth.hpp is the source of truth.
    const auto& actions = till::domain::all_actions();
    const till::config::KeySpec* permissions = nullptr;
    for (const auto& section : till::config::kernel_schema())
        if (section.name == "auth")
            for (const auto& key : section.children)
                if (key.name == "permissions") permissions = &key;
    REQUIRE(permissions);
    for (const auto& role : permissions->children) {
        INFO(role.name);
        CHECK(role.allowed_values == actions);
        for (const auto& granted : role.default_value.as_list())
            CHECK(std::find(actions.begin(), actions.end(), granted.as_string()) != actions.end());
    }
    const auto defaults = till::test::default_auth_settings();
    CHECK(defaults.permissions.at("admin") == actions);
}
