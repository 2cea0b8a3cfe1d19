// POST /orders/{id}/suggestions/accept: recorded in upsell_acceptances (with
// who, where, when and the rules version) and published; strict bodies.
#include <catch2/catch.hpp>

#include "domain/upsell/acceptance_store.hpp"
#include "storage/migrations.hpp"
#include "support/http_client.hpp"
#include "upsell_world.hpp"

using namespace till;
using sdk::Value;

TEST_CASE("accepting a suggestion is recorded and published", "[upsell][acceptances]") {
    test::UpsellWorld x;
    auto order = x.add_line(x.open_order(), "LATTE");
    const std::string id = order["order_id"].as_string();
    auto suggested = x.call("GET", "/api/v1/orders/" + id + "/suggestions");
    REQUIRE(test::skus_of(suggested.json).at(0) == "CROISSANT");
    const std::string rule = suggested.json["suggestions"].as_list()[0]["rule"].as_string();

    Value body = Value::map();
    body.set("sku", "CROISSANT");
    body.set("rule", rule);
    auto r = x.call("POST", "/api/v1/orders/" + id + "/suggestions/accept", body);
    INFO(r.body);
    REQUIRE(r.status == 201);
    CHECK(r.json["order_id"].as_string() == id);
    CHECK(r.json["sku"].as_string() == "CROISSANT");
    CHECK(r.json["rule"].as_string() == "scripts/cafe/upsell/combo.lua");
    CHECK(r.json["terminal_id"].as_string() == "T1");
    CHECK(r.json["accepted_utc_ms"].as_int() == x.f.clock().now_utc_ms());
    CHECK(r.json["rules_version"].as_string() == x.rules->status().version);

    auto stored = domain::upsell::acceptances_of(x.f.db(), id);
    REQUIRE(stored.ok());
    REQUIRE(stored->size() == 1);
    CHECK(stored->front().sku == "CROISSANT");
    CHECK(stored->front().rule == rule);
    CHECK(stored->front().user_id == x.w.as("alice").principal.user_id);
    CHECK(stored->front().acceptance_id == r.json["acceptance_id"].as_string());

    auto event = x.f.last_event("order.suggestion_accepted");
    CHECK(event.payload == r.json);
}

TEST_CASE("accept refuses bad bodies, unknown orders and anonymous callers", "[upsell][acceptances]") {
    test::UpsellWorld x;
    auto order = x.open_order();
    const std::string path = "/api/v1/orders/" + order["order_id"].as_string() + "/suggestions/accept";
    Value good = Value::map();
    good.set("sku", "CROISSANT");
    good.set("rule", "scripts/cafe/upsell/combo.lua");

    CHECK(x.call("POST", path, good, "").status == 401);

    Value no_sku = Value::map();
    no_sku.set("rule", "r");
    auto r = x.call("POST", path, no_sku);
    CHECK(r.status == 422);
    CHECK(r.body.find("$.sku") != std::string::npos);

    Value extra = good;
    extra.set("prority", 3);
    r = x.call("POST", path, extra);
    CHECK(r.status == 422);
    CHECK(r.body.find("prority") != std::string::npos);

    Value wrong_type = good;
    wrong_type.set("sku", 12);
    CHECK(x.call("POST", path, wrong_type).status == 422);

    auto not_json = test::http_call(x.w.port(), "POST", path, "{sku:", {{"Authorization", "Bearer " + x.alice}});
    CHECK(not_json.status == 400);

    r = x.call("POST", "/api/v1/orders/0190f5c2-7a3e-7c41-8b2d-5e8f1a2b3c4d/suggestions/accept", good);
    CHECK(r.status == 404);

    auto stored = domain::upsell::acceptances_of(x.f.db(), order["order_id"].as_string());
    REQUIRE(stored.ok());
    CHECK(stored->empty());
}

TEST_CASE("acceptances are stored the same way on PostgreSQL", "[upsell][acceptances][postgresql]") {
    test::DomainFixture pg(test::Backend::postgresql);
    REQUIRE(storage::apply_migrations(pg.db(), "domain.upsell", domain::upsell::acceptance_migrations()).ok());
    domain::upsell::Acceptance a{"0190f5c2-7a3e-7c41-8b2d-5e8f1a2b3c4d", "order-1", "CROISSANT",
                                 "scripts/cafe/upsell/combo.lua", "00ff", "user-1", "T1", 1768471200123};
    REQUIRE(pg.db().transaction([&](sdk::SqlExecutor& tx) { return domain::upsell::insert_acceptance(tx, a); }).ok());
    auto stored = domain::upsell::acceptances_of(pg.db(), "order-1");
    REQUIRE(stored.ok());
    REQUIRE(stored->size() == 1);
    CHECK(stored->front().to_value() == a.to_value());
    // Applying again is a no-op.
    CHECK(storage::apply_migrations(pg.db(), "domain.upsell", domain::upsell::acceptance_migrations()).ok());
}
