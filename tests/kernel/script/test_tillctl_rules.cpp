// `tillctl rules check|test|run` as processes, on the shipped examples and
// on broken fixtures in a temp dir.
#include <catch2/catch.hpp>

#include "support/child_process.hpp"
#include "support/temp_dir.hpp"

using namespace till::test;

namespace {

std::string tillctl() { return std::string(TILL_BIN_DIR) + "/tillctl"; }
std::string scripts(const std::string& rest) { return std::string(TILL_SOURCE_SCRIPTS_DIR) + "/" + rest; }

}  // namespace

TEST_CASE("tillctl rules check accepts the shipped deployments", "[tillctl]") {
    for (const char* deployment : {"cafe", "retail"}) {
        std::string output;
        CHECK(run_command({tillctl(), "rules", "check", scripts(deployment)}, output) == 0);
        CHECK_THAT(output, Catch::Contains(": ok") && Catch::Contains("upsell rule(s)"));
    }
}

TEST_CASE("tillctl rules check reports syntax, lint and contract problems with file:line", "[tillctl]") {
    TempDir dir("till-ctl-rules");
    dir.write("scripts/shop/upsell/typo.lua", "function upsell(cart, ctx)\n  pritn('x')\n  total = 1\nend\n");
    dir.write("scripts/shop/upsell/syntax.lua", "function upsell(cart, ctx)\n  return {\nend\n");
    dir.write("scripts/shop/upsell/contract.lua", "function upsel(cart, ctx) end\n");
    dir.write("scripts/shop/conflict/customer.lua", "function resolve(kind, a, b, base) return os.time() end\n");
    std::string output;
    CHECK(run_command({tillctl(), "rules", "check", dir.file("scripts/shop")}, output) == 1);
    CHECK_THAT(output, Catch::Contains("scripts/shop/upsell/typo.lua:2: undefined global 'pritn'"));
    CHECK_THAT(output, Catch::Contains("scripts/shop/upsell/typo.lua:3: sets global 'total' inside a function"));
    CHECK_THAT(output, Catch::Contains("scripts/shop/upsell/syntax.lua:3:"));
    CHECK_THAT(output, Catch::Contains("scripts/shop/upsell/contract.lua: does not define upsell(cart, ctx)"));
    CHECK_THAT(output, Catch::Contains("scripts/shop/conflict/customer.lua:1: undefined global 'os'"));
    CHECK(run_command({tillctl(), "rules", "check", dir.file("scripts/none")}, output) == 2);
    CHECK_THAT(output, Catch::Contains("not a directory"));
}

TEST_CASE("tillctl rules test runs the shipped cases and fails with a diff", "[tillctl]") {
    std::string output;
    CHECK(run_command({tillctl(), "rules", "test", scripts("cafe"), "--cases", scripts("cafe/tests/cases.yaml")},
                      output) == 0);
    CHECK_THAT(output, Catch::Contains("6 case(s): 6 passed, 0 failed"));
    CHECK(run_command({tillctl(), "rules", "test", scripts("retail"), "--cases",
                       scripts("retail/tests/cases.yaml")}, output) == 0);

    TempDir dir("till-ctl-rules");
    auto cases = dir.write("cases.yaml",
                           "catalog:\n"
                           "  - {sku: CROISSANT, name: Croissant, department: pastry, price_minor: 250}\n"
                           "cases:\n"
                           "  - name: wrong expectation\n"
                           "    context: {local_time: \"15:00\"}\n"
                           "    cart:\n"
                           "      lines: [{sku: LATTE, department: coffee, unit_price_minor: 320}]\n"
                           "    expect:\n"
                           "      suggestions: [MUFFIN]\n"
                           "  - name: right expectation\n"
                           "    context: {local_time: \"15:00\"}\n"
                           "    cart:\n"
                           "      lines: [{sku: LATTE, department: coffee, unit_price_minor: 320}]\n"
                           "    expect:\n"
                           "      suggestions: [CROISSANT]\n"
                           "  - name: wrong merge\n"
                           "    conflict: stock_count\n"
                           "    local: {sku: A, qty_milli: 5}\n"
                           "    remote: {sku: A, qty_milli: 5}\n"
                           "    expect:\n"
                           "      record: {sku: A, qty_milli: 11}\n");
    CHECK(run_command({tillctl(), "rules", "test", scripts("cafe"), "--cases", cases}, output) == 1);
    CHECK_THAT(output, Catch::Contains("FAIL    wrong expectation"));
    CHECK_THAT(output, Catch::Contains("pass    right expectation"));
    CHECK_THAT(output, Catch::Contains("- expected: [MUFFIN]") && Catch::Contains("+ actual:   [CROISSANT]"));
    CHECK_THAT(output, Catch::Contains("- qty_milli: 11") && Catch::Contains("+ qty_milli: 10"));
    CHECK_THAT(output, Catch::Contains("3 case(s): 1 passed, 2 failed"));
}

TEST_CASE("tillctl rules run prints suggestions and per-rule timing", "[tillctl]") {
    std::string output;
    CHECK(run_command({tillctl(), "rules", "run", scripts("cafe"), "--cart", scripts("cafe/tests/latte.json")},
                      output) == 0);
    CHECK_THAT(output, Catch::Contains("1. CROISSANT"));
    CHECK_THAT(output, Catch::Contains("scripts/cafe/upsell/combo.lua") && Catch::Contains(" us "));
    CHECK(run_command({tillctl(), "rules", "run", scripts("cafe"), "--cart", scripts("cafe/tests/latte.json"),
                       "--json"}, output) == 0);
    CHECK_THAT(output, Catch::Contains("\"sku\":\"CROISSANT\""));
    TempDir dir("till-ctl-rules");
    auto bad = dir.write("cart.json", R"({"lines":[{"sku":"A","qty_milli":1.5}]})");
    CHECK(run_command({tillctl(), "rules", "run", scripts("cafe"), "--cart", bad}, output) == 2);
    CHECK_THAT(output, Catch::Contains("cart.json"));
    CHECK(run_command({tillctl(), "rules", "frobnicate"}, output) == 2);
    CHECK_THAT(output, Catch::Contains("tillctl rules check DIR"));
}
