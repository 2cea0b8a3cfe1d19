// Orders in storage, on SQLite and on PostgreSQL: the schema applies, an
// order with every kind of line round-trips exactly, changes are saved as
// diffs, versions move by one per change, lists page by cursor, and a stale
// change is refused with "conflict".
#include <catch2/catch.hpp>

#include "domain/orders/order_json.hpp"
#include "domain/orders/order_pricing.hpp"
#include "domain/orders/order_store.hpp"
#include "orders_world.hpp"
#include "storage/migrations.hpp"

using namespace till;
using namespace till::domain;
using namespace till::domain::orders;

namespace {

AddLineRequest line(std::string sku) {
    AddLineRequest r;
    r.sku = std::move(sku);
    return r;
}

Order sample_order(test::DomainFixture& f) {
    Order o;
    o.order_id = f.ctx().ids.next();
    o.order_type_id = "retail";
    o.state = State::submitted;
    o.version = 3;
    o.currency = "EUR";
    o.customer_id = "cust-1";
    o.fields.set("receipt_email", "a@example.com");
    o.register_session_id = "sess-1";
    o.terminal_id = "T1";
    o.user_id = "u1";
    o.order_discount = Discount{Discount::Kind::percent, 500, 0};
    o.opened_utc_ms = 1768471200000;
    o.submitted_utc_ms = 1768471201000;
    OrderLine l;
    l.line_id = f.ctx().ids.next();
    l.position = 1;
    l.sku = "COFFEE";
    l.name = "Coffee";
    l.department_id = "d1";
    l.item.product_id = "p1";
    l.item.catalog_price_minor = 250;
    l.item.tax_rates = {{"vat20", "VAT 20%", 2000, false}, {"eco", "Eco", 100, true}};
    l.qty_milli = 2000;
    l.unit_price_minor = 240;
    l.modifiers = {{"m1", "g1", "oat", 40}};
    l.note = "hot";
    l.discount = Discount{Discount::Kind::amount, 0, 30};
    OrderLine w = l;
    w.line_id = f.ctx().ids.next();
    w.position = 2;
    w.sku = "APPLE";
    w.item.weighed = true;
    w.item.track_stock = false;
    w.qty_milli = 1234;
    w.modifiers.clear();
    w.discount = Discount{};
    w.voided = true;
    w.void_reason = "dropped";
    w.voided_utc_ms = 1768471202000;
    o.lines = {l, w};
    REQUIRE(reprice(o, f.sales()).ok());
    return o;
}

void storage_round_trip(test::DomainFixture& f) {
    REQUIRE(storage::apply_migrations(f.db(), "domain.orders", order_migrations()).ok());
    // Applying again changes nothing.
    REQUIRE(storage::apply_migrations(f.db(), "domain.orders", order_migrations()).ok());
    OrderStore store(f.db().dialect());
    Order o = sample_order(f);
    REQUIRE(f.db().transaction([&](sdk::SqlExecutor& tx) { return store.insert(tx, o); }).ok());

    auto loaded = store.load(f.db(), o.order_id);
    REQUIRE(loaded);
    REQUIRE(loaded->has_value());
    CHECK(order_to_json(**loaded) == order_to_json(o));
    CHECK((*loaded)->lines[0].item.tax_rates.size() == 2);
    CHECK((*loaded)->lines[1].voided);

    // A change: one line changed, one removed, one added; version +1.
    Order after = **loaded;
    after.version += 1;
    after.lines[0].qty_milli = 3000;
    after.lines.erase(after.lines.begin() + 1);
    OrderLine added = after.lines[0];
    added.line_id = f.ctx().ids.next();
    added.position = 2;  // reuses the removed line's position
    after.lines.push_back(added);
    REQUIRE(reprice(after, f.sales()).ok());
    REQUIRE(f.db().transaction([&](sdk::SqlExecutor& tx) { return store.save(tx, **loaded, after); }).ok());
    auto again = store.load(f.db(), o.order_id);
    REQUIRE(again);
    CHECK(order_to_json(**again) == order_to_json(after));
    CHECK((*again)->version == 4);

    auto missing = store.load(f.db(), "0190f5c2-7a3e-7c41-8b2d-5e8f1a2b3c4d");
    REQUIRE(missing);
    CHECK_FALSE(missing->has_value());
}

void list_pages(test::DomainFixture& f) {
    REQUIRE(storage::apply_migrations(f.db(), "domain.orders", order_migrations()).ok());
    OrderStore store(f.db().dialect());
    std::vector<std::string> ids;
    for (int i = 0; i < 5; ++i) {
        Order o = sample_order(f);
        o.state = i % 2 ? State::paid : State::open;
        ids.push_back(o.order_id);
        REQUIRE(f.db().transaction([&](sdk::SqlExecutor& tx) { return store.insert(tx, o); }).ok());
    }
    auto page = store.list(f.db(), {"", "", "", 3});
    REQUIRE(page);
    REQUIRE(page->size() == 3);
    CHECK((*page)[0].order_id == ids[4]);  // newest first
    CHECK((*page)[0].lines.size() == 2);
    auto rest = store.list(f.db(), {"", "", (*page)[2].order_id, 3});
    REQUIRE(rest);
    CHECK(rest->size() == 2);
    auto paid = store.list(f.db(), {"paid", "sess-1", "", 10});
    REQUIRE(paid);
    CHECK(paid->size() == 2);
}

}  // namespace

TEST_CASE("orders round-trip exactly through SQLite", "[orders][storage]") {
    test::DomainFixture f;
    storage_round_trip(f);
}

TEST_CASE("orders round-trip exactly through PostgreSQL", "[orders][storage][postgresql]") {
    test::DomainFixture pg(test::Backend::postgresql);
    storage_round_trip(pg);
}

TEST_CASE("order lists page newest first by cursor on SQLite and PostgreSQL", "[orders][storage][postgresql]") {
    test::DomainFixture f;
    list_pages(f);
    test::DomainFixture pg(test::Backend::postgresql);
    list_pages(pg);
}

TEST_CASE("the service keeps versions and refuses stale changes on both backends", "[orders][storage][postgresql]") {
    for (auto backend : {test::Backend::sqlite, test::Backend::postgresql}) {
        test::DomainFixture f(backend);
        test::SalesWorld w(f);
        w.seed_catalog();
        auto alice = w.as("alice");
        auto permit = w.permit_for(alice);
        auto order = w.orders.open_order(alice, {"retail", "", sdk::Value::map()});
        REQUIRE(order);
        CHECK(order->version == 1);
        auto one = w.orders.add_line(order->order_id, 1, line("COFFEE"), alice, permit);
        REQUIRE(one);
        CHECK(one->version == 2);
        auto stale = w.orders.add_line(order->order_id, 1, line("SHIRT"), alice, permit);
        REQUIRE_FALSE(stale);
        CHECK(stale.error().code == "conflict");
        CHECK(stale.error().message.find("current_version=2") != std::string::npos);
        auto two = w.orders.add_line(order->order_id, 2, line("SHIRT"), alice, permit);
        REQUIRE(two);
        CHECK(two->version == 3);
        auto reloaded = w.orders.get(order->order_id);
        REQUIRE(reloaded);
        CHECK(reloaded->lines.size() == 2);
        CHECK(reloaded->totals.total_minor == 2250);
        std::vector<std::string> order_topics;
        for (const auto& t : f.topics())
            if (t.rfind("order.", 0) == 0) order_topics.push_back(t);
        CHECK(order_topics == std::vector<std::string>{"order.opened", "order.line_added", "order.line_added"});
    }
}
