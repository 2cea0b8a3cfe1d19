// Upsell rules: the shipped examples behave as docs/rules.md says; answers
// are validated, merged and ranked; failing rules are skipped, logged with
// file:line and disabled after repeated failures.
#include <catch2/catch.hpp>

#include <algorithm>

#include "script/rules_engine.hpp"
#include "script_test_support.hpp"
#include "support/temp_dir.hpp"

using namespace till;
using namespace till::script;

namespace {

RulesEngineOptions options_for(const std::string& dir, std::shared_ptr<test::CapturingLogger> logger = nullptr) {
    RulesEngineOptions o;
    o.deployment_dir = dir;
    o.poll_interval_ms = 0;
    o.rules.logger = std::move(logger);
    return o;
}

std::vector<std::string> skus(const UpsellResult& r) {
    std::vector<std::string> out;
    for (const auto& s : r.suggestions) out.push_back(s.sku);
    return out;
}

const Suggestion* find(const UpsellResult& r, const std::string& sku) {
    for (const auto& s : r.suggestions)
        if (s.sku == sku) return &s;
    return nullptr;
}

}  // namespace

TEST_CASE("cafe: a coffee gets a combo pastry, and breakfast items in the morning", "[upsell][examples]") {
    RulesEngine engine(options_for(std::string(TILL_SOURCE_SCRIPTS_DIR) + "/cafe"));
    REQUIRE(engine.start().ok());
    auto catalog = test::cafe_catalog();
    UpsellContext ctx{"store-1", test::at_utc(8, 30), 0, "", &catalog};
    auto result = engine.evaluate_upsell(test::cart_of({test::line("LATTE", "coffee", 320)}), ctx);
    for (const auto& run : result.runs) {
        INFO(run.rule << ": " << run.error);
        CHECK(run.ok);
    }
    REQUIRE_FALSE(result.suggestions.empty());
    CHECK(result.suggestions[0].sku == "CROISSANT");  // combo, priority 50
    REQUIRE(result.suggestions[0].price_minor);
    CHECK(*result.suggestions[0].price_minor == 200);
    CHECK(result.suggestions[0].rule == "scripts/cafe/upsell/combo.lua");
    CHECK(find(result, "PORRIDGE"));  // breakfast tag
    // de-duplicated: CROISSANT is suggested by combo and breakfast, listed once
    auto listed = skus(result);
    CHECK(std::count(listed.begin(), listed.end(), std::string("CROISSANT")) == 1);

    // in the afternoon: no breakfast suggestions
    ctx.time_utc_ms = test::at_utc(16, 0);
    result = engine.evaluate_upsell(test::cart_of({test::line("LATTE", "coffee", 320)}), ctx);
    CHECK_FALSE(find(result, "PORRIDGE"));
    CHECK(find(result, "CROISSANT"));

    // a pastry already there: no combo
    result = engine.evaluate_upsell(
        test::cart_of({test::line("LATTE", "coffee", 320), test::line("MUFFIN", "pastry", 280)}), ctx);
    CHECK_FALSE(find(result, "CROISSANT"));
}

TEST_CASE("cafe: a basket just under the threshold gets an add-on", "[upsell][examples]") {
    RulesEngine engine(options_for(std::string(TILL_SOURCE_SCRIPTS_DIR) + "/cafe"));
    REQUIRE(engine.start().ok());
    auto catalog = test::cafe_catalog();
    UpsellContext ctx{"store-1", test::at_utc(13, 0), 0, "", &catalog};
    // 8.80: 1.20 missing -> the cookie (1.50) is enough
    auto result = engine.evaluate_upsell(test::cart_of({test::line("SANDWICH", "food", 880)}), ctx);
    REQUIRE(find(result, "COOKIE"));
    CHECK_THAT(find(result, "COOKIE")->reason, Catch::Contains("10.00"));
    // 6.00: too far; 10.50: already over
    CHECK_FALSE(find(engine.evaluate_upsell(test::cart_of({test::line("SANDWICH", "food", 600)}), ctx), "COOKIE"));
    CHECK_FALSE(find(engine.evaluate_upsell(test::cart_of({test::line("SANDWICH", "food", 1050)}), ctx), "COOKIE"));
}

TEST_CASE("retail: accessories for a product family and bundles", "[upsell][examples]") {
    RulesEngine engine(options_for(std::string(TILL_SOURCE_SCRIPTS_DIR) + "/retail"));
    REQUIRE(engine.start().ok());
    auto catalog = test::retail_catalog();
    UpsellContext ctx{"store-2", test::at_utc(11, 0), 60, "", &catalog};
    auto result = engine.evaluate_upsell(
        test::cart_of({test::line("PHONE-X", "phones", 69900), test::line("PRN-100", "printers", 12900)}), ctx);
    REQUIRE(result.suggestions.size() == 3);
    CHECK(result.suggestions[0].sku == "INK-100-XL");  // bundle, priority 60
    CHECK(*result.suggestions[0].price_minor == 1999);
    CHECK(find(result, "CASE-X"));
    CHECK(find(result, "CHARGER-30W"));
    CHECK_THAT(find(result, "CASE-X")->reason, Catch::Contains("Goes with your phone"));
    // the case already in the cart is not suggested again
    result = engine.evaluate_upsell(
        test::cart_of({test::line("PHONE-X", "phones", 69900), test::line("CASE-X", "accessories", 1999)}), ctx);
    CHECK_FALSE(find(result, "CASE-X"));
    CHECK(find(result, "CHARGER-30W"));
}

TEST_CASE("suggestions are validated, merged by SKU and ranked by priority", "[upsell]") {
    test::TempDir dir("till-rules");
    dir.write("scripts/shop/upsell/a.lua",
              "function upsell(cart, ctx) return {{sku='X', reason='from a', priority=1}, {sku='Y', reason='y'}} end\n");
    dir.write("scripts/shop/upsell/b.lua",
              "function upsell(cart, ctx) return {{sku='X', reason='from b', priority=9}, {sku='Z', reason='z', "
              "priority=5}} end\n");
    dir.write("scripts/shop/upsell/c.lua",
              "function upsell(cart, ctx)\n"
              "  return {{sku='P', reason='bad price', price_minor=1.5}, {sku='Q', reason='typo', prority=3},\n"
              "          {reason='no sku'}, 'text', {sku='R', reason='ok', price_minor=100}}\n"
              "end\n");
    auto logger = std::make_shared<test::CapturingLogger>();
    RulesEngine engine(options_for(dir.file("scripts/shop"), logger));
    REQUIRE(engine.start().ok());
    auto result = engine.evaluate_upsell(test::cart_of({}), UpsellContext{});
    REQUIRE(skus(result) == std::vector<std::string>{"X", "Z", "Y", "R"});
    CHECK(result.suggestions[0].reason == "from b");
    CHECK(result.suggestions[0].rule == "scripts/shop/upsell/b.lua");
    REQUIRE(result.problems.size() == 4);
    CHECK_THAT(result.problems[0], Catch::Contains("scripts/shop/upsell/c.lua: suggestion 1: field 'price_minor'"));
    CHECK_THAT(result.problems[1], Catch::Contains("suggestion 2: unknown field 'prority'"));
    CHECK_THAT(result.problems[2], Catch::Contains("suggestion 3: field 'sku': missing"));
    CHECK_THAT(result.problems[3], Catch::Contains("suggestion 4: expected a table"));
    CHECK(logger->contains("scripts/shop/upsell/c.lua: suggestion 1: field 'price_minor'"));
}

TEST_CASE("a failing rule is skipped with file:line, others still answer, then it is disabled", "[upsell][isolation]") {
    test::TempDir dir("till-rules");
    dir.write("scripts/cafe/upsell/combo.lua",
              "function upsell(cart, ctx)\n  local x = nil\n  return x.field\nend\n");
    dir.write("scripts/cafe/upsell/loop.lua", "function upsell(cart, ctx)\n  while true do end\nend\n");
    dir.write("scripts/cafe/upsell/ok.lua", "function upsell(cart, ctx) return {{sku='OK', reason='fine'}} end\n");
    dir.write("scripts/cafe/upsell/tamper.lua",
              "function upsell(cart, ctx)\n  cart.lines[1].sku = 'HACKED'\nend\n");
    auto logger = std::make_shared<test::CapturingLogger>();
    auto options = options_for(dir.file("scripts/cafe"), logger);
    options.rules.max_consecutive_failures = 2;
    RulesEngine engine(options);
    REQUIRE(engine.start().ok());
    auto cart = test::cart_of({test::line("LATTE", "coffee", 320)});
    auto result = engine.evaluate_upsell(cart, UpsellContext{});
    REQUIRE(skus(result) == std::vector<std::string>{"OK"});
    REQUIRE(result.runs.size() == 4);
    CHECK_THAT(result.runs[0].error, Catch::StartsWith("scripts/cafe/upsell/combo.lua:3: attempt to index"));
    CHECK_THAT(result.runs[1].error, Catch::StartsWith("scripts/cafe/upsell/loop.lua:2: instruction budget exceeded"));
    CHECK_THAT(result.runs[3].error, Catch::Contains("read-only table (field 'sku')"));
    CHECK(logger->contains("scripts/cafe/upsell/combo.lua:3: attempt to index"));

    auto status = engine.status();
    REQUIRE(status.rules.size() == 4);
    CHECK(status.rules[0].state == RuleState::enabled);
    CHECK(status.rules[0].consecutive_failures == 1);

    result = engine.evaluate_upsell(cart, UpsellContext{});
    status = engine.status();
    CHECK(status.rules[0].state == RuleState::disabled);
    CHECK(status.rules[1].state == RuleState::disabled);
    CHECK(status.rules[2].state == RuleState::enabled);
    CHECK(status.rules[2].runs == 2);
    CHECK_THAT(status.rules[0].last_error, Catch::Contains("combo.lua:3:"));
    CHECK(logger->contains("scripts/cafe/upsell/combo.lua: disabled after 2 consecutive failures"));
    auto value = status.to_value();
    CHECK(value["rules"].as_list()[0]["state"].as_string() == "disabled");

    // disabled rules do not run; the good one still does
    result = engine.evaluate_upsell(cart, UpsellContext{});
    CHECK_FALSE(result.runs[0].ran);
    CHECK(skus(result) == std::vector<std::string>{"OK"});

    // editing another file keeps them disabled; fixing combo.lua re-enables it
    dir.write("scripts/cafe/upsell/ok.lua", "function upsell(cart, ctx) return {{sku='OK2', reason='fine'}} end\n");
    REQUIRE(engine.reload_now().ok());
    CHECK(engine.status().rules[0].state == RuleState::disabled);
    dir.write("scripts/cafe/upsell/combo.lua",
              "function upsell(cart, ctx) return {{sku='COMBO', reason='fixed', priority=5}} end\n");
    REQUIRE(engine.reload_now().ok());
    status = engine.status();
    CHECK(status.rules[0].state == RuleState::enabled);
    CHECK(status.rules[1].state == RuleState::disabled);
    result = engine.evaluate_upsell(cart, UpsellContext{});
    CHECK(skus(result) == std::vector<std::string>{"COMBO", "OK2"});
}

TEST_CASE("the Lua-side cart follows changes: lines added, changed and removed", "[upsell][cart]") {
    test::TempDir dir("till-rules");
    dir.write("scripts/shop/upsell/echo.lua",
              "function upsell(cart, ctx)\n"
              "  local out = {}\n"
              "  for i, line in ipairs(cart.lines) do\n"
              "    out[#out + 1] = {sku = line.sku, reason = string.format('%d x %d = %d', line.qty_milli,\n"
              "                     line.unit_price_minor, line.total_minor), priority = #cart.lines - i}\n"
              "  end\n"
              "  if cart.customer then out[#out + 1] = {sku = 'VIP', reason = cart.customer.name, priority = -1} end\n"
              "  return out\n"
              "end\n");
    RulesEngine engine(options_for(dir.file("scripts/shop")));
    REQUIRE(engine.start().ok());
    auto cart = test::cart_of({test::line("A", "d", 100), test::line("B", "d", 200)});
    auto r = engine.evaluate_upsell(cart, UpsellContext{});
    REQUIRE(skus(r) == std::vector<std::string>{"A", "B"});
    cart.lines[1].qty_milli = 3000;
    cart.lines[1].total_minor = 600;
    cart.lines.push_back(test::line("C", "d", 50));
    r = engine.evaluate_upsell(cart, UpsellContext{});
    REQUIRE(skus(r) == std::vector<std::string>{"A", "B", "C"});
    CHECK(r.suggestions[1].reason == "3000 x 200 = 600");
    cart.lines.erase(cart.lines.begin());
    cart.customer = CartCustomer{"c-1", "Ann", {"vip"}};
    r = engine.evaluate_upsell(cart, UpsellContext{});
    CHECK(skus(r) == std::vector<std::string>{"B", "C", "VIP"});
    cart.customer.reset();
    r = engine.evaluate_upsell(cart, UpsellContext{});
    CHECK(skus(r) == std::vector<std::string>{"B", "C"});

    // the JSON shape is read with errors naming the path
    auto json = sdk::Value::parse_json(R"({"lines":[{"sku":"A","qty_milli":1000},{"sku":"B","qty_milli":"two"}]})");
    REQUIRE(json.ok());
    auto bad = engine.evaluate_upsell(*json, UpsellContext{});
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().message == "lines[1].qty_milli: expected integer, got string");
    json = sdk::Value::parse_json(R"({"lines":[{"sku":"A","unit_price_minor":250,"qty_milli":2000}]})");
    auto good = engine.evaluate_upsell(*json, UpsellContext{});
    REQUIRE(good.ok());
    CHECK(good->suggestions[0].reason == "2000 x 250 = 500");
}

TEST_CASE("big carts changing every call stay within memory and never end the process", "[upsell][cart]") {
    test::TempDir dir("till-rules");
    dir.write("scripts/shop/upsell/count.lua",
              "function upsell(cart, ctx) return {{sku = 'N' .. #cart.lines, reason = 'count'}} end\n");
    auto options = options_for(dir.file("scripts/shop"));
    options.rules.upsell_limits.memory_bytes = 2u * 1024u * 1024u;
    RulesEngine engine(options);
    REQUIRE(engine.start().ok());
    std::vector<CartLine> a, b;
    for (int i = 0; i < 300; ++i) {
        a.push_back(test::line("A" + std::to_string(i), "d", 100));
        b.push_back(test::line("B" + std::to_string(i), "d", 100));
    }
    auto cart_a = test::cart_of(a), cart_b = test::cart_of(b);
    int answered = 0;
    for (int i = 0; i < 200; ++i) {
        auto r = engine.evaluate_upsell(i % 2 ? cart_a : cart_b, UpsellContext{});
        if (!r.suggestions.empty() && r.suggestions[0].sku == "N300") ++answered;
    }
    CHECK(answered == 200);
    // a cart far beyond the state's memory is refused, not fatal
    std::vector<CartLine> huge;
    for (int i = 0; i < 60000; ++i) huge.push_back(test::line("H" + std::to_string(i), "d", 1));
    auto r = engine.evaluate_upsell(test::cart_of(huge), UpsellContext{});
    CHECK(r.suggestions.empty());
    REQUIRE_FALSE(r.problems.empty());
    CHECK_THAT(r.problems[0], Catch::Contains("cart update failed"));
    r = engine.evaluate_upsell(cart_a, UpsellContext{});
    for (const auto& p : r.problems) INFO(p);
    for (const auto& run : r.runs) INFO(run.error);
    INFO((r.problems.empty() ? std::string() : r.problems[0]) + " / " + (r.runs.empty() ? "" : r.runs[0].error));
    REQUIRE(r.suggestions.size() == 1);
    CHECK(r.suggestions[0].sku == "N300");
}
