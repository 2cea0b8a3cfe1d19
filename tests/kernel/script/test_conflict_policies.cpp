// Conflict policies: the shipped defaults on fixture records, determinism
// across fresh states and sides, and the stricter policy sandbox.
#include <catch2/catch.hpp>

#include "script/rules_engine.hpp"
#include "script_test_support.hpp"
#include "support/temp_dir.hpp"

using namespace till;
using namespace till::script;
using sdk::Value;

namespace {

Value json(const std::string& text) {
    auto v = Value::parse_json(text);
    REQUIRE(v.ok());
    return *v;
}

RulesEngineOptions options_for(const std::string& dir) {
    RulesEngineOptions o;
    o.deployment_dir = dir;
    o.poll_interval_ms = 0;
    return o;
}

std::string cafe() { return std::string(TILL_SOURCE_SCRIPTS_DIR) + "/cafe"; }

const std::string kBase = R"({"id":"c-1","fields":{"name":"Ann","email":"ann@old.example","phone":"1"},
  "hlc":{"name":"001795132800000-00000-hq","email":"001795132800000-00000-hq","phone":"001795132800000-00000-hq"}})";
const std::string kStore = R"({"id":"c-1","fields":{"name":"Ann Lee","email":"ann@old.example","phone":"1"},
  "hlc":{"name":"001795132900000-00000-store-1","email":"001795132800000-00000-hq","phone":"001795132800000-00000-hq"}})";
const std::string kHq = R"({"id":"c-1","fields":{"name":"Ann","email":"ann@new.example"},
  "hlc":{"name":"001795132800000-00000-hq","email":"001795132950000-00000-hq","phone":"001795132950000-00001-hq"}})";

}  // namespace

TEST_CASE("customers merge per field, last writer by HLC wins, deletions included", "[conflict]") {
    RulesEngine engine(options_for(cafe()));
    REQUIRE(engine.start().ok());
    auto merged = engine.resolve("customer", json(kStore), json(kHq), json(kBase));
    REQUIRE(merged.ok());
    auto expected = json(R"({"id":"c-1","fields":{"name":"Ann Lee","email":"ann@new.example"},
      "hlc":{"name":"001795132900000-00000-store-1","email":"001795132950000-00000-hq",
             "phone":"001795132950000-00001-hq"}})");
    CHECK(merged->to_json() == expected.to_json());
    // the other side computes the same record
    auto swapped = engine.resolve("customer", json(kHq), json(kStore), json(kBase));
    REQUIRE(swapped.ok());
    CHECK(swapped->to_json() == merged->to_json());
}

TEST_CASE("stock counts merge as summed deltas", "[conflict]") {
    RulesEngine engine(options_for(cafe()));
    REQUIRE(engine.start().ok());
    auto base = json(R"({"sku":"LATTE-BEANS","location":"main","qty_milli":10000})");
    auto store = json(R"({"sku":"LATTE-BEANS","location":"main","qty_milli":7000})");   // sold 3
    auto hq = json(R"({"sku":"LATTE-BEANS","location":"main","qty_milli":15000})");     // received 5
    auto merged = engine.resolve("stock_count", store, hq, base);
    REQUIRE(merged.ok());
    CHECK((*merged)["qty_milli"].as_int() == 12000);
    CHECK((*merged)["sku"].as_string() == "LATTE-BEANS");
    // created on both sides: no base
    merged = engine.resolve("stock_count", store, hq, Value());
    REQUIRE(merged.ok());
    CHECK((*merged)["qty_milli"].as_int() == 22000);
    auto broken = engine.resolve("stock_count", json(R"({"sku":"X"})"), hq, base);
    REQUIRE_FALSE(broken.ok());
    CHECK_THAT(broken.error().message, Catch::Contains("scripts/lib/conflict_defaults.lua:"));
    CHECK_THAT(broken.error().message, Catch::Contains("local record has no qty_milli"));
}

TEST_CASE("transfer status only moves forward", "[conflict]") {
    RulesEngine engine(options_for(cafe()));
    REQUIRE(engine.start().ok());
    auto rec = [](const std::string& status, const std::string& stamp, const std::string& note) {
        return json(R"({"id":"t-1","fields":{"status":")" + status + R"(","note":")" + note +
                    R"("},"hlc":{"status":")" + stamp + R"(","note":")" + stamp + R"("}})");
    };
    // HQ cancelled later than the store marked it sent: sent wins (goods left)
    auto merged = engine.resolve("transfer", rec("sent", "001795132800000-00000-store-1", "van 2"),
                                 rec("cancelled", "001795132900000-00000-hq", "no stock"), Value());
    REQUIRE(merged.ok());
    CHECK((*merged)["fields"]["status"].as_string() == "sent");
    CHECK((*merged)["fields"]["note"].as_string() == "no stock");  // other fields: last writer
    auto swapped = engine.resolve("transfer", rec("cancelled", "001795132900000-00000-hq", "no stock"),
                                  rec("sent", "001795132800000-00000-store-1", "van 2"), Value());
    REQUIRE(swapped.ok());
    CHECK(swapped->to_json() == merged->to_json());
    auto unknown = engine.resolve("transfer", rec("lost", "1", "x"), rec("sent", "2", "y"), Value());
    REQUIRE_FALSE(unknown.ok());
    CHECK_THAT(unknown.error().message, Catch::Contains("unknown status 'lost'"));
}

TEST_CASE("policies are deterministic across fresh states", "[conflict]") {
    std::string first;
    for (int i = 0; i < 5; ++i) {
        RulesEngine engine(options_for(cafe()));
        REQUIRE(engine.start().ok());
        auto merged = engine.resolve("customer", json(kStore), json(kHq), json(kBase));
        REQUIRE(merged.ok());
        auto transfer = engine.resolve("transfer", json(kStore), json(kStore), Value());
        std::string text = merged->to_json() + (transfer.ok() ? transfer->to_json() : transfer.error().message);
        if (i == 0) first = text;
        CHECK(text == first);
    }
}

TEST_CASE("the policy sandbox refuses clocks and randomness at load", "[conflict]") {
    test::TempDir dir("till-policy");
    dir.write("scripts/shop/conflict/customer.lua",
              "local seed = os.time()\nfunction resolve(kind, mine, theirs, base) return mine end\n");
    RulesEngine engine(options_for(dir.file("scripts/shop")));
    auto started = engine.start();
    REQUIRE_FALSE(started.ok());
    CHECK_THAT(started.message(), Catch::Contains("scripts/shop/conflict/customer.lua:1: undefined global 'os'"));
    dir.write("scripts/shop/conflict/customer.lua",
              "function resolve(kind, mine, theirs, base) if math.random() > 0.5 then return mine end return theirs end\n");
    REQUIRE(engine.reload_now().ok());
    auto r = engine.resolve("customer", json("{}"), json("{}"), Value());
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.error().message, Catch::Contains("attempt to call field 'random'"));
}

TEST_CASE("a kind without a policy, and invalid answers, are errors naming the file", "[conflict]") {
    test::TempDir dir("till-policy");
    dir.write("scripts/shop/conflict/customer.lua",
              "function resolve(kind, mine, theirs, base) return {balance = 1.5} end\n");
    dir.write("scripts/shop/conflict/transfer.lua", "function resolve(kind, mine, theirs, base) return 'merged' end\n");
    RulesEngine engine(options_for(dir.file("scripts/shop")));
    REQUIRE(engine.start().ok());
    auto r = engine.resolve("stock_count", json("{}"), json("{}"), Value());
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.error().message, Catch::Contains("no conflict policy for kind 'stock_count'"));
    r = engine.resolve("customer", json("{}"), json("{}"), Value());
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.error().message, Catch::Contains("scripts/shop/conflict/customer.lua: resolve returned an invalid record: balance: 1.5 is not a whole number"));
    r = engine.resolve("transfer", json("{}"), json("{}"), Value());
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.error().message, Catch::Contains("must return the merged record"));
    auto status = engine.status();
    REQUIRE(status.rules.size() == 2);
    CHECK(status.rules[0].kind == "conflict");
    CHECK(status.rules[0].total_failures == 1);
}
