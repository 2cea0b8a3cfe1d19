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

TEST_CASE("check_text accepts UTF-8 and names what is wrong with anything else", "[domain][body][text]") {
    using till::domain::check_text;
    const std::string good[] = {"", "plain", "caf\xc3\xa9", "\xe2\x82\xac 5", "\xf0\x9f\x98\x80",
                                "\xef\xbf\xbf", "\xf4\x8f\xbf\xbf"};
    for (const auto& text : good) {
        INFO(text);
        CHECK(check_text(text) == std::nullopt);
    }
    const std::string bad_utf8[] = {
        "\xff",              // never in UTF-8
        "caf\xe9",           // Latin-1
        "\xc3",              // truncated two-byte sequence
        "\xe2\x82",          // truncated three-byte sequence
        "\x80",              // a lone continuation byte
        "\xc3\x28",          // lead byte without its continuation
        "\xc0\xaf",          // overlong '/'
        "\xc1\xbf",          // overlong
        "\xe0\x80\xaf",      // overlong, three bytes
        "\xf0\x80\x80\xaf",  // overlong, four bytes
        "\xed\xa0\x80",      // a UTF-16 surrogate
        "\xf4\x90\x80\x80",  // above U+10FFFF
        "\xf5\x80\x80\x80",  // lead byte above F4
    };
    for (const auto& text : bad_utf8) {
        std::string hex;
        for (unsigned char c : text) hex += "0123456789abcdef"[c >> 4], hex += "0123456789abcdef"[c & 15];
        INFO(hex);
        CHECK(check_text(text) == "is not valid UTF-8 text");
    }
    CHECK(check_text(std::string("a\0b", 3)) == "contains a NUL character");
    CHECK(check_text(std::string("\0", 1)) == "contains a NUL character");
    // The first problem wins.
    CHECK(check_text(std::string("\xff\0", 2)) == "is not valid UTF-8 text");
    CHECK(check_text(std::string("\0\xff", 2)) == "contains a NUL character");
}

TEST_CASE("BodyReader refuses strings that are not UTF-8 or hold NUL, naming the path", "[domain][body][text]") {
    {
        Value body = Value::map();
        body.set("sku", "A");
        body.set("note", std::string("caf\xe9"));
        BodyReader r(body);
        r.string("sku", Need::required);
        CHECK(r.string("note", Need::optional) == std::nullopt);
        CHECK_FALSE(r.ok());
        auto status = r.finish();
        CHECK(status.error().code == "invalid_argument");
        CHECK(status.message() == "$.note: is not valid UTF-8 text");
    }
    {
        const Value body = parse(R"({"reason":"a\u0000b"})");
        REQUIRE(body["reason"].as_string().size() == 3);
        BodyReader r(body);
        CHECK(r.string("reason", Need::required) == std::nullopt);
        CHECK(r.finish().message() == "$.reason: contains a NUL character");
    }
    {
        // Nested readers carry their path.
        Value line = Value::map();
        line.set("name", std::string("\xed\xa0\x80"));
        Value lines = Value::list();
        lines.push_back(Value::map());
        lines.push_back(line);
        Value body = Value::map();
        body.set("lines", lines);
        BodyReader r(body);
        const Value* list = r.list("lines", Need::required);
        REQUIRE(list);
        BodyReader second(list->as_list()[1], r.path_of("lines") + "[1]");
        second.string("name", Need::required);
        CHECK(second.finish().message() == "$.lines[1].name: is not valid UTF-8 text");
    }
    {
        // A list's own string items are checked by list().
        Value tags = Value::list();
        tags.push_back("ok");
        tags.push_back(7);
        tags.push_back(std::string("x\xff"));
        Value body = Value::map();
        body.set("tags", tags);
        BodyReader r(body);
        CHECK(r.list("tags", Need::optional) == nullptr);
        CHECK(r.finish().message() == "$.tags[2]: is not valid UTF-8 text");
    }
    {
        // An unknown key that is not text is refused without showing it.
        Value body = Value::map();
        body.set("sku", "A");
        body.set(std::string("\xff"), 1);
        BodyReader r(body);
        r.string("sku", Need::required);
        CHECK(r.finish().message() == "$: has a field name that is not valid UTF-8 text");
    }
    {
        // Good UTF-8 is handed out as it came, and the length limit is still bytes.
        Value body = Value::map();
        body.set("name", std::string("Cr\xc3\xa8me br\xc3\xbbl\xc3\xa9" "e \xf0\x9f\x8d\xae"));
        BodyReader r(body);
        CHECK(r.string("name", Need::required) == std::string("Cr\xc3\xa8me br\xc3\xbbl\xc3\xa9" "e \xf0\x9f\x8d\xae"));
        CHECK(r.finish().ok());
        BodyReader shorter(body);
        shorter.string("name", Need::required, 5);
        CHECK(shorter.finish().message() == "$.name: is longer than 5 characters");
    }
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
