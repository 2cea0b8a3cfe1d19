// A rule that errors or loops is skipped (logged with its file and line);
// the other rules still answer, the sale goes on, and after 3 failures in a
// row the rule is disabled.
#include <catch2/catch.hpp>

#include "upsell_world.hpp"

using namespace till;
using sdk::Value;

namespace {

void write_failing_rules(const std::string& root) {
    test::write_rule(root, "cafe/upsell/a_water.lua",
                     "-- Water with anything.\n"
                     "function upsell(cart, ctx)\n"
                     "  if #cart.lines == 0 then return nil end\n"
                     "  return { { sku = \"WATER\", reason = \"A bottle of water?\", priority = 5 } }\n"
                     "end\n");
    test::write_rule(root, "cafe/upsell/broken.lua",
                     "function upsell(cart, ctx)\n"
                     "  local line = cart.lines[1]\n"
                     "  return { { sku = line.sku .. nil, reason = \"x\" } }\n"
                     "end\n");
    test::write_rule(root, "cafe/upsell/spin.lua",
                     "function upsell(cart, ctx)\n"
                     "  while true do end\n"
                     "end\n");
}

const Value* rule_status(const Value& status, const std::string& file_end) {
    for (const auto& r : status["rules"].as_list()) {
        const std::string& file = r["file"].as_string();
        if (file.size() >= file_end.size() && file.compare(file.size() - file_end.size(), file_end.size(), file_end) == 0)
            return &r;
    }
    return nullptr;
}

}  // namespace

TEST_CASE("failing rules are skipped without affecting the sale", "[upsell][isolation]") {
    test::UpsellWorld x(write_failing_rules);
    auto order = x.open_order();
    const std::string id = order["order_id"].as_string();

    order = x.add_line(order, "LATTE");
    auto r = x.call("GET", "/api/v1/orders/" + id + "/suggestions");
    INFO(r.body);
    REQUIRE(r.status == 200);
    CHECK(test::skus_of(r.json) == std::vector<std::string>{"WATER"});
    CHECK(x.f.log().contains("scripts/cafe/upsell/broken.lua:3:"));
    CHECK(x.f.log().contains("scripts/cafe/upsell/spin.lua:2:"));

    // The sale goes on: more lines, more evaluations (the worker's and the route's).
    order = x.add_line(order, "ESPRESSO");
    order = x.add_line(order, "MUFFIN");
    REQUIRE(test::eventually([&] { return !test::published_suggestions(x.f, order).is_null(); }));
    r = x.call("GET", "/api/v1/orders/" + id + "/suggestions");
    CHECK(test::skus_of(r.json) == std::vector<std::string>{"WATER"});

    // Three failures in a row disable a rule until its file changes.
    auto status = x.rules->status().to_value();
    const Value* broken = rule_status(status, "upsell/broken.lua");
    const Value* spin = rule_status(status, "upsell/spin.lua");
    const Value* water = rule_status(status, "upsell/a_water.lua");
    REQUIRE(broken);
    REQUIRE(spin);
    REQUIRE(water);
    CHECK((*broken)["state"].as_string() == "disabled");
    CHECK((*spin)["state"].as_string() == "disabled");
    CHECK((*spin)["last_error"].as_string().find("budget") != std::string::npos);
    CHECK((*water)["state"].as_string() == "enabled");
    CHECK((*water)["total_failures"].as_int() == 0);

    // Editing the broken file re-enables it (here: fixed).
    test::write_rule(x.scripts_root, "cafe/upsell/broken.lua",
                     "function upsell(cart, ctx)\n"
                     "  return { { sku = \"NAPKIN\", reason = \"Napkins\", priority = 1 } }\n"
                     "end\n");
    REQUIRE(x.rules->reload_now().ok());
    r = x.call("GET", "/api/v1/orders/" + id + "/suggestions");
    CHECK(test::skus_of(r.json) == std::vector<std::string>{"WATER", "NAPKIN"});
}
