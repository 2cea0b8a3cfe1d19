// Lines and order changes through the service, with the real catalog, people
// (permissions) and audit: SKU/barcode lookup, quantities, modifiers,
// discounts and their limit, price overrides, removing and voiding lines,
// order fields and discount, submit and void.
#include <catch2/catch.hpp>

#include "orders_world.hpp"

using namespace till;
using namespace till::domain;
using namespace till::domain::orders;

namespace {

struct Fixture {
    test::DomainFixture f;
    test::SalesWorld w{f};
    Authorization alice;
    Authorization bob;
    Fixture() {
        w.seed_catalog();
        alice = w.as("alice");
        bob = w.as("bob");
    }
    Order open() {
        auto o = w.orders.open_order(alice, {"retail", "", sdk::Value::map()});
        REQUIRE(o);
        return *o;
    }
    sdk::Result<Order> add(const Order& o, AddLineRequest r, const Authorization& by) {
        return w.orders.add_line(o.order_id, o.version, r, by, w.permit_for(by));
    }
    std::vector<audit::StoredEntry> audits(const std::string& action) {
        auto all = w.audit.list(0, 500);
        REQUIRE(all);
        std::vector<audit::StoredEntry> out;
        for (const auto& e : *all)
            if (e.action == action) out.push_back(e);
        return out;
    }
};

AddLineRequest line(std::string sku, std::int64_t qty = 1000) {
    AddLineRequest r;
    r.sku = std::move(sku);
    r.qty_milli = qty;
    return r;
}

}  // namespace

TEST_CASE("lines are added by SKU or barcode with the catalog's price and tax at the time", "[orders][lines]") {
    Fixture x;
    Order o = x.open();
    auto a = x.add(o, line("COFFEE", 2000), x.alice);
    REQUIRE(a);
    auto b = x.add(*a, line("4006381333931"), x.alice);
    REQUIRE(b);
    REQUIRE(b->lines.size() == 2);
    CHECK(b->lines[1].sku == "SHIRT");
    CHECK(b->lines[0].amounts.total_minor == 500);
    CHECK(b->lines[0].item.tax_rates.at(0).rate_bp == 2000);
    CHECK(b->lines[0].amounts.tax_minor == 83);  // 500 incl. 20% VAT
    CHECK(b->totals.total_minor == 2500);
    CHECK(b->version == 3);
    CHECK(b->state == State::open);
}

TEST_CASE("unknown and inactive items, bad quantities are refused naming the field", "[orders][lines]") {
    Fixture x;
    Order o = x.open();
    auto unknown = x.add(o, line("NOPE"), x.alice);
    CHECK(unknown.error().code == "invalid_argument");
    CHECK(unknown.error().message.rfind("$.sku: unknown SKU or barcode \"NOPE\"", 0) == 0);
    auto by_barcode = line("999");
    by_barcode.sku_path = "$.barcode";
    CHECK(x.add(o, by_barcode, x.alice).error().message.rfind("$.barcode:", 0) == 0);
    auto inactive = x.add(o, line("OLD"), x.alice);
    CHECK(inactive.error().message == "$.sku: item OLD is not active");
    auto half_shirt = x.add(o, line("SHIRT", 500), x.alice);
    CHECK(half_shirt.error().message.rfind("$.qty_milli: item is sold in whole units", 0) == 0);
    auto apples = x.add(o, line("APPLE", 1250), x.alice);  // 1.250 kg at 3.00
    REQUIRE(apples);
    CHECK(apples->lines[0].amounts.total_minor == 375);
}

TEST_CASE("modifiers are chosen by id against the item's groups and priced per unit", "[orders][lines]") {
    Fixture x;
    Order o = x.open();
    auto r = line("COFFEE", 2000);
    r.modifier_ids = {x.w.modifier_id("oat"), x.w.modifier_id("extra shot")};
    auto a = x.add(o, r, x.alice);
    REQUIRE(a);
    CHECK(a->lines[0].modifiers.size() == 2);
    CHECK(a->lines[0].amounts.gross_minor == 2 * (250 + 40 + 50));
    r.modifier_ids = {x.w.modifier_id("oat"), x.w.modifier_id("soy")};
    auto two_milks = x.add(*a, r, x.alice);
    CHECK(two_milks.error().message == "$.modifiers: group \"Milk\" allows at most 1 choice(s), got 2");
    r.modifier_ids = {"no-such-modifier"};
    CHECK(x.add(*a, r, x.alice).error().message.rfind("$.modifiers[0]: unknown modifier", 0) == 0);
}

TEST_CASE("discounts up to the limit are the cashier's, more needs discount.over_limit and is audited",
          "[orders][lines][overrides]") {
    Fixture x;
    Order o = x.open();
    auto r = line("SHIRT");
    r.discount = Discount{Discount::Kind::percent, 2000, 0};  // the limit itself
    auto within = x.add(o, r, x.alice);
    REQUIRE(within);
    CHECK(within->lines[0].amounts.line_discount_minor == 400);
    CHECK(x.audits("discount.over_limit").empty());

    r.discount = Discount{Discount::Kind::amount, 0, 500};  // 25% of 2000
    auto refused = x.add(*within, r, x.alice);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == "override_required");
    CHECK(refused.error().message.find("discount.over_limit") != std::string::npos);

    auto granted = x.add(*within, r, x.bob);
    REQUIRE(granted);
    CHECK(granted->lines[1].amounts.line_discount_minor == 500);
    auto entries = x.audits("discount.over_limit");
    REQUIRE(entries.size() == 1);
    CHECK(entries[0].actor_user_id == x.bob.principal.user_id);
    CHECK(entries[0].subject == "order:" + o.order_id);
    CHECK(entries[0].details_json.find("\"discount_bp\":2500") != std::string::npos);
}

TEST_CASE("a unit price override needs price.override and is audited with old and new price",
          "[orders][lines][overrides]") {
    Fixture x;
    Order o = x.open();
    auto r = line("SHIRT");
    r.unit_price_minor = 1500;
    auto refused = x.add(o, r, x.alice);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == "override_required");
    auto done = x.add(o, r, x.bob);
    REQUIRE(done);
    CHECK(done->lines[0].unit_price_minor == 1500);
    CHECK(done->lines[0].item.catalog_price_minor == 2000);
    CHECK(done->totals.total_minor == 1500);
    auto entries = x.audits("price.override");
    REQUIRE(entries.size() == 1);
    CHECK(entries[0].details_json.find("\"old_price_minor\":2000") != std::string::npos);
    CHECK(entries[0].details_json.find("\"new_price_minor\":1500") != std::string::npos);

    // Changing it again through PATCH is audited from the overridden price.
    ChangeLineRequest c;
    c.unit_price_minor = 1800;
    auto again = x.w.orders.change_line(o.order_id, done->lines[0].line_id, done->version, c, x.bob,
                                        x.w.permit_for(x.bob));
    REQUIRE(again);
    REQUIRE(x.audits("price.override").size() == 2);
    CHECK(x.audits("price.override")[1].details_json.find("\"old_price_minor\":1500") != std::string::npos);
}

TEST_CASE("lines change and are deleted before submit, after submit they are voided with order.void",
          "[orders][lines]") {
    Fixture x;
    Order o = x.open();
    auto a = x.add(o, line("COFFEE"), x.alice);
    auto b = x.add(*a, line("SHIRT"), x.alice);
    REQUIRE(b);
    const std::string coffee = b->lines[0].line_id;
    const std::string shirt = b->lines[1].line_id;

    ChangeLineRequest c;
    c.qty_milli = 3000;
    c.note = "to go";
    auto changed = x.w.orders.change_line(o.order_id, coffee, b->version, c, x.alice, x.w.permit_for(x.alice));
    REQUIRE(changed);
    CHECK(changed->lines[0].qty_milli == 3000);
    CHECK(changed->lines[0].note == "to go");
    CHECK(changed->totals.total_minor == 750 + 2000);
    c = {};
    c.qty_milli = -1000;
    auto negative = x.w.orders.change_line(o.order_id, coffee, changed->version, c, x.alice, x.w.permit_for(x.alice));
    CHECK(negative.error().message.rfind("$.qty_milli: must be at least 1", 0) == 0);
    auto missing = x.w.orders.change_line(o.order_id, "nope", changed->version, {}, x.alice, x.w.permit_for(x.alice));
    CHECK(missing.error().code == "not_found");

    auto removed = x.w.orders.remove_line(o.order_id, shirt, changed->version, "", x.alice, x.w.permit_for(x.alice));
    REQUIRE(removed);
    CHECK(removed->lines.size() == 1);
    CHECK(removed->totals.total_minor == 750);

    auto with_shirt = x.add(*removed, line("SHIRT"), x.alice);
    REQUIRE(with_shirt);
    auto submitted = x.w.orders.submit(o.order_id, with_shirt->version, x.alice);
    REQUIRE(submitted);
    CHECK(submitted->state == State::submitted);
    const std::string shirt2 = submitted->lines[1].line_id;

    auto after_submit = x.add(*submitted, line("COFFEE"), x.alice);
    CHECK(after_submit.error().code == "invalid_state");
    CHECK(after_submit.error().message == "order is submitted; cannot add lines (it was submitted)");

    auto cashier_void =
        x.w.orders.remove_line(o.order_id, shirt2, submitted->version, "customer changed mind", x.alice,
                               x.w.permit_for(x.alice));
    CHECK(cashier_void.error().code == "override_required");
    auto voided = x.w.orders.remove_line(o.order_id, shirt2, submitted->version, "customer changed mind", x.bob,
                                         x.w.permit_for(x.bob));
    REQUIRE(voided);
    CHECK(voided->lines.size() == 2);
    CHECK(voided->lines[1].voided);
    CHECK(voided->totals.total_minor == 750);
    auto entries = x.audits("order.line_void");
    REQUIRE(entries.size() == 1);
    CHECK(entries[0].reason == "customer changed mind");
    auto twice = x.w.orders.remove_line(o.order_id, shirt2, voided->version, "", x.bob, x.w.permit_for(x.bob));
    CHECK(twice.error().code == "invalid_state");
}

TEST_CASE("order type, fields, customer and order discount", "[orders][lines]") {
    Fixture x;
    auto unknown = x.w.orders.open_order(x.alice, {"dine_in", "", sdk::Value::map()});
    CHECK(unknown.error().code == "invalid_argument");
    CHECK(unknown.error().message.rfind("$.order_type: unknown order type \"dine_in\"", 0) == 0);

    sdk::Value bad = sdk::Value::map();
    bad.set("receipt_email", "not an address");
    auto bad_fields = x.w.orders.open_order(x.alice, {"retail", "", bad});
    CHECK(bad_fields.error().code == "invalid_argument");
    CHECK(bad_fields.error().message.rfind("$.fields", 0) == 0);

    Order o = x.open();
    auto a = x.add(o, line("SHIRT", 2000), x.alice);
    REQUIRE(a);
    ChangeOrderRequest c;
    c.customer_id = "cust-42";
    sdk::Value fields = sdk::Value::map();
    fields.set("receipt_email", "ann@example.com");
    c.fields = fields;
    c.discount = Discount{Discount::Kind::amount, 0, 300};
    auto changed = x.w.orders.change_order(o.order_id, a->version, c, x.alice, x.w.permit_for(x.alice));
    REQUIRE(changed);
    CHECK(changed->customer_id == "cust-42");
    CHECK(changed->fields["receipt_email"].as_string() == "ann@example.com");
    CHECK(changed->totals.total_minor == 3700);
    CHECK(changed->totals.discount_minor == 300);

    c = {};
    c.discount = Discount{Discount::Kind::percent, 5000, 0};
    auto over = x.w.orders.change_order(o.order_id, changed->version, c, x.alice, x.w.permit_for(x.alice));
    CHECK(over.error().code == "override_required");
}

TEST_CASE("submitting needs lines, voiding needs order.void, is audited, and ends the order", "[orders][lines]") {
    Fixture x;
    Order o = x.open();
    auto empty = x.w.orders.submit(o.order_id, o.version, x.alice);
    CHECK(empty.error().code == "invalid_state");
    CHECK(empty.error().message == "order has no lines; add a line before submitting");

    auto a = x.add(o, line("SHIRT"), x.alice);
    REQUIRE(a);
    auto by_cashier = x.w.orders.void_order(o.order_id, a->version, "walked out", x.alice, x.w.permit_for(x.alice));
    CHECK(by_cashier.error().code == "override_required");
    auto voided = x.w.orders.void_order(o.order_id, a->version, "walked out", x.bob, x.w.permit_for(x.bob));
    REQUIRE(voided);
    CHECK(voided->state == State::voided);
    auto entries = x.audits("order.void");
    REQUIRE(entries.size() == 1);
    CHECK(entries[0].reason == "walked out");
    auto again = x.w.orders.void_order(o.order_id, voided->version, "again", x.bob, x.w.permit_for(x.bob));
    CHECK(again.error().message == "order is voided; cannot void it");
    CHECK(x.f.last_event("order.voided").payload["state"].as_string() == "voided");
}
