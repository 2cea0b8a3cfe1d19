// The retail order type as the node sees it after loading the real plugin:
// id, capabilities, field validation, the submit hook and its config.
#include <catch2/catch.hpp>

#include "plugin_kernel.hpp"

using namespace till;

namespace {

sdk::Value fields(std::initializer_list<std::pair<const char*, sdk::Value>> items) {
    sdk::Value v = sdk::Value::map();
    for (const auto& [k, value] : items) v.set(k, value);
    return v;
}

sdk::Order sale(int lines) {
    sdk::Order o;
    o.order_id = "0190f5c2-7a3e-7c41-8b2d-5e8f1a2b3c4d";
    o.order_type_id = "retail";
    o.currency = "EUR";
    for (int i = 0; i < lines; ++i) {
        sdk::Line l;
        l.line_id = "line-" + std::to_string(i);
        l.sku = "TEE-M";
        l.qty_milli = 1000;
        l.unit_price_minor = 1999;
        o.lines.push_back(l);
    }
    return o;
}

sdk::Order return_of(const std::string& original, const std::string& customer) {
    sdk::Order o = sale(1);
    o.lines[0].qty_milli = -1000;
    o.original_order_id = original;
    o.customer_id = customer;
    return o;
}

}  // namespace

TEST_CASE("the retail order type is registered with returns and exchanges", "[retail]") {
    test::PluginKernel k;
    auto started = k.start("order_retail");
    INFO(started.message());
    REQUIRE(started.ok());
    auto type = k.order_type("retail");
    REQUIRE(type);
    CHECK(type->id() == "retail");
    CHECK(type->display_name() == "Retail sale");
    CHECK(type->capabilities().returns);
    CHECK(type->capabilities().exchanges);
    REQUIRE(type->fields().size() == 2);
    CHECK(type->fields()[0].name == "receipt_email");
    CHECK(type->fields()[1].name == "salesperson_id");
    CHECK_FALSE(type->fields()[0].required);
}

TEST_CASE("retail fields are validated with the offending field named", "[retail]") {
    test::PluginKernel k;
    REQUIRE(k.start("order_retail").ok());
    auto type = k.order_type("retail");
    REQUIRE(type);
    CHECK(type->validate_fields(sdk::Value()).ok());
    CHECK(type->validate_fields(sdk::Value::map()).ok());
    CHECK(type->validate_fields(fields({{"receipt_email", "ana@example.com"}, {"salesperson_id", "u-17"}})).ok());
    CHECK(type->validate_fields(fields({{"receipt_email", ""}})).ok());  // cleared

    struct Case {
        sdk::Value value;
        std::string prefix;
    };
    const std::vector<Case> bad = {
        {fields({{"receipt_email", "ana-at-example.com"}}), "$.fields.receipt_email: "},
        {fields({{"receipt_email", 5}}), "$.fields.receipt_email: "},
        {fields({{"salesperson_id", ""}}), "$.fields.salesperson_id: "},
        {fields({{"salesperson_id", std::string(65, 's')}}), "$.fields.salesperson_id: "},
        {fields({{"table", 4}}), "$.fields.table: "},
        {sdk::Value(sdk::Value::List{}), "$.fields: "},
    };
    for (const auto& c : bad) {
        auto s = type->validate_fields(c.value);
        INFO(c.value.to_json());
        REQUIRE_FALSE(s.ok());
        CHECK(s.error().code == "invalid_argument");
        CHECK(s.message().rfind(c.prefix, 0) == 0);
    }
    auto s = type->validate_fields(fields({{"receipt_email", "ana-at-example.com"}}));
    CHECK(s.message().find("name@example.com") != std::string::npos);
}

TEST_CASE("an empty retail sale cannot be submitted", "[retail]") {
    test::PluginKernel k;
    REQUIRE(k.start("order_retail").ok());
    auto type = k.order_type("retail");
    REQUIRE(type);
    auto empty = type->on_submitted(sale(0));
    REQUIRE_FALSE(empty.status.ok());
    CHECK(empty.status.error().code == "invalid_state");
    CHECK(empty.status.message().find("no lines") != std::string::npos);
    auto ok = type->on_submitted(sale(2));
    CHECK(ok.status.ok());
    CHECK(ok.set_fields.is_null());
    // Returns without a customer are fine by default.
    CHECK(type->on_submitted(return_of("0190f5c2-0000-7000-8000-000000000001", "")).status.ok());
    CHECK(type->on_line_added(sale(1), sale(1).lines[0]).status.ok());
    CHECK(type->on_paid(sale(1)).status.ok());
}

TEST_CASE("require_customer_for_returns refuses a return without a customer", "[retail]") {
    test::PluginKernel k;
    sdk::Value config = sdk::Value::map();
    config.set("require_customer_for_returns", true);
    REQUIRE(k.start("order_retail", config).ok());
    auto type = k.order_type("retail");
    REQUIRE(type);
    auto anonymous = type->on_submitted(return_of("0190f5c2-0000-7000-8000-000000000001", ""));
    REQUIRE_FALSE(anonymous.status.ok());
    CHECK(anonymous.status.message().find("needs a customer") != std::string::npos);
    CHECK(type->on_submitted(return_of("0190f5c2-0000-7000-8000-000000000001", "cust-9")).status.ok());
    CHECK(type->on_submitted(sale(1)).status.ok());  // plain sales need no customer
}
