// The quickservice order type as the node sees it after loading the real
// plugin: id, name, capabilities, fields and their validation.
#include <catch2/catch.hpp>

#include "plugin_kernel.hpp"

using namespace till;

namespace {
sdk::Value fields(std::initializer_list<std::pair<const char*, sdk::Value>> items) {
    sdk::Value v = sdk::Value::map();
    for (const auto& [k, value] : items) v.set(k, value);
    return v;
}
}  // namespace

TEST_CASE("the quickservice order type is registered with its fields and capabilities", "[quickservice]") {
    test::PluginKernel k;
    auto started = k.start("order_quickservice");
    INFO(started.message());
    REQUIRE(started.ok());
    auto type = k.order_type("quickservice");
    REQUIRE(type);
    CHECK(type->id() == "quickservice");
    CHECK(type->display_name() == "Counter order");
    CHECK(type->capabilities().returns);
    CHECK_FALSE(type->capabilities().exchanges);
    std::vector<std::string> names;
    for (const auto& f : type->fields()) {
        names.push_back(f.name);
        CHECK_FALSE(f.required);
    }
    CHECK(names == std::vector<std::string>{"customer_name", "eat_in", "queue_number"});
}

TEST_CASE("quickservice fields are validated with the offending field named", "[quickservice]") {
    test::PluginKernel k;
    REQUIRE(k.start("order_quickservice").ok());
    auto type = k.order_type("quickservice");
    REQUIRE(type);

    CHECK(type->validate_fields(sdk::Value()).ok());
    CHECK(type->validate_fields(sdk::Value::map()).ok());
    CHECK(type->validate_fields(fields({{"customer_name", "Ana"}, {"eat_in", true}})).ok());
    CHECK(type->validate_fields(fields({{"customer_name", std::string(40, 'x')}})).ok());
    // 40 characters of two bytes each: counted as characters, not bytes.
    std::string accented;
    for (int i = 0; i < 40; ++i) accented += "\xc3\xa9";
    CHECK(type->validate_fields(fields({{"customer_name", accented}})).ok());

    struct Case {
        sdk::Value value;
        std::string prefix;
    };
    const std::vector<Case> bad = {
        {fields({{"customer_name", std::string(41, 'x')}}), "$.fields.customer_name: "},
        {fields({{"customer_name", 12}}), "$.fields.customer_name: "},
        {fields({{"eat_in", "yes"}}), "$.fields.eat_in: "},
        {fields({{"table", 4}}), "$.fields.table: "},
        {sdk::Value("eat in"), "$.fields: "},
    };
    for (const auto& c : bad) {
        auto s = type->validate_fields(c.value);
        INFO(c.value.to_json());
        REQUIRE_FALSE(s.ok());
        CHECK(s.error().code == "invalid_argument");
        CHECK(s.message().rfind(c.prefix, 0) == 0);
    }
}

TEST_CASE("quickservice refuses a first number above the max number", "[quickservice]") {
    test::PluginKernel k;
    auto started = k.start("order_quickservice", fields({{"first_number", 50}, {"max_number", 10}}));
    REQUIRE_FALSE(started.ok());
    CHECK(started.message().find("max_number") != std::string::npos);
}
