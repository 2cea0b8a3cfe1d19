// The built-in conflict policy: the semantics of scripts/lib/conflict_defaults.lua.
#include <catch2/catch.hpp>

#include "sync/default_policy.hpp"

using till::sdk::Value;
using namespace till::sync;

namespace {

Value customer(const std::string& id, Value::Map fields, Value::Map stamps) {
    Value v = Value::map();
    v.set("id", id);
    v.set("fields", Value(std::move(fields)));
    v.set("hlc", Value(std::move(stamps)));
    return v;
}

const std::string t1 = "001768471200000-00000-store-a";
const std::string t2 = "001768471200500-00000-store-b";
const std::string t3 = "001768471201000-00000-store-a";

}  // namespace

TEST_CASE("customers merge per field by the newest stamp, the same from both sides", "[sync][policy]") {
    DefaultConflictPolicy policy;
    const Value a = customer("c-1", {{"name", "Ann"}, {"email", "ann@a.example"}}, {{"name", t1}, {"email", t3}});
    const Value b = customer("c-1", {{"name", "Anne"}, {"email", "ann@b.example"}}, {{"name", t2}, {"email", t2}});
    auto ab = policy.resolve("customer", a, b, Value());
    auto ba = policy.resolve("customer", b, a, Value());
    REQUIRE(ab);
    REQUIRE(ba);
    CHECK((*ab)["fields"]["name"].as_string() == "Anne");
    CHECK((*ab)["fields"]["email"].as_string() == "ann@a.example");
    CHECK((*ab)["hlc"]["name"].as_string() == t2);
    CHECK((*ab)["hlc"]["email"].as_string() == t3);
    CHECK((*ab)["id"].as_string() == "c-1");
    CHECK(*ab == *ba);
}

TEST_CASE("a deletion wins when its stamp is newer, and loses when older", "[sync][policy]") {
    DefaultConflictPolicy policy;
    const Value deleted = customer("c-1", {}, {{"phone", t3}});
    const Value kept = customer("c-1", {{"phone", "555"}}, {{"phone", t2}});
    auto merged = policy.resolve("customer", kept, deleted, Value());
    REQUIRE(merged);
    CHECK((*merged)["fields"].find("phone") == nullptr);
    CHECK((*merged)["hlc"]["phone"].as_string() == t3);

    const Value old_delete = customer("c-1", {}, {{"phone", t1}});
    auto merged2 = policy.resolve("customer", old_delete, kept, Value());
    REQUIRE(merged2);
    CHECK((*merged2)["fields"]["phone"].as_string() == "555");
}

TEST_CASE("equal stamps break the tie on the value so both sides agree", "[sync][policy]") {
    DefaultConflictPolicy policy;
    const Value a = customer("c-1", {{"name", "Bea"}}, {{"name", t1}});
    const Value b = customer("c-1", {{"name", "Al"}}, {{"name", t1}});
    auto ab = policy.resolve("customer", a, b, Value());
    auto ba = policy.resolve("customer", b, a, Value());
    REQUIRE(ab);
    REQUIRE(ba);
    CHECK((*ab)["fields"]["name"].as_string() == "Bea");
    CHECK(*ab == *ba);
}

TEST_CASE("stock counts from two registers sum their deltas", "[sync][policy]") {
    DefaultConflictPolicy policy;
    Value base = Value::map();
    base.set("sku", "LATTE");
    base.set("qty_milli", 10000);
    Value mine = base;
    mine.set("qty_milli", 7000);  // sold 3
    Value theirs = base;
    theirs.set("qty_milli", 8000);  // sold 2
    auto merged = policy.resolve("stock_count", mine, theirs, base);
    REQUIRE(merged);
    CHECK((*merged)["qty_milli"].as_int() == 5000);
    Value broken = Value::map();
    broken.set("sku", "LATTE");
    auto refused = policy.resolve("stock_count", mine, broken, base);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().message == "stock_count: remote record has no qty_milli");
}

TEST_CASE("transfer status only moves forward", "[sync][policy]") {
    DefaultConflictPolicy policy;
    const Value sent = customer("t-1", {{"status", "sent"}}, {{"status", t1}});
    const Value cancelled = customer("t-1", {{"status", "cancelled"}}, {{"status", t3}});
    auto merged = policy.resolve("transfer", cancelled, sent, Value());
    REQUIRE(merged);
    CHECK((*merged)["fields"]["status"].as_string() == "sent");
    CHECK((*merged)["hlc"]["status"].as_string() == t1);
    const Value odd = customer("t-1", {{"status", "lost"}}, {{"status", t3}});
    CHECK_FALSE(policy.resolve("transfer", sent, odd, Value()));
}

TEST_CASE("the node's policy uses the rules when given, else the defaults", "[sync][policy]") {
    const Value a = customer("c-1", {{"name", "Ann"}}, {{"name", t1}});
    const Value b = customer("c-1", {{"name", "Anne"}}, {{"name", t2}});
    NodeConflictPolicy defaults;
    auto merged = defaults.resolve("customer", a, b, Value());
    REQUIRE(merged);
    CHECK((*merged)["fields"]["name"].as_string() == "Anne");
    NodeConflictPolicy rules([](std::string_view, const Value& local, const Value&, const Value&) {
        return till::sdk::Result<Value>(local);  // "local always wins"
    });
    auto kept = rules.resolve("customer", a, b, Value());
    REQUIRE(kept);
    CHECK((*kept)["fields"]["name"].as_string() == "Ann");
}
