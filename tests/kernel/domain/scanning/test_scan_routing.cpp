// Scans routed to a terminal's open order with the real orders, catalog,
// people and audit modules on SQLite, the order_retail plugin loaded.
#include <catch2/catch.hpp>

#include <algorithm>
#include <mutex>

#include "domain/scanning/barcode_check.hpp"
#include "domain/scanning/scan_service.hpp"
#include "orders_world.hpp"

using namespace till;
using namespace till::domain;
using namespace till::domain::scanning;

namespace {

struct Fixture {
    test::DomainFixture f;
    test::SalesWorld w{f};
    std::unique_ptr<ScanService> scans;
    std::mutex mutex;
    std::vector<sdk::Event> events;
    sdk::SubscriptionId sub = 0;

    Fixture() {
        w.seed_catalog();
        // A weighed deli item with a numeric PLU for the scale labels.
        auto apple = w.catalog.lookup_item("APPLE");
        REQUIRE(apple);
        catalog::Actor admin;
        admin.user_id = "seed";
        catalog::Product ham;
        ham.sku = "12345";
        ham.name = "Ham, sliced";
        ham.department_id = apple->department_id;
        ham.tax_class_id = apple->tax_class_id;
        ham.price_minor = 1990;  // per kg
        ham.weighed = true;
        REQUIRE(w.catalog.create_product(ham, admin));

        ScanSettings settings;
        settings.embedded = {*parse_layout("21:5:5:price"), *parse_layout("22:5:5:weight")};
        settings.terminal_of["scanner-1"] = "T1";
        scans = std::make_unique<ScanService>(f.ctx(), w.people, w.orders, w.catalog, settings);
        sub = f.bus().subscribe("scan", [this](const sdk::Event& e) {
            std::lock_guard lock(mutex);
            events.push_back(e);
        });
    }
    ~Fixture() { f.bus().unsubscribe(sub); }

    orders::Order open(const std::string& user = "alice", const std::string& terminal = "T1") {
        auto o = w.orders.open_order(w.as(user, terminal), {"retail", "", sdk::Value::map()});
        REQUIRE(o);
        return *o;
    }
    std::vector<std::string> topics() {
        // Delivery is synchronous on the publisher's thread.
        std::lock_guard lock(mutex);
        std::vector<std::string> out;
        for (const auto& e : events) out.push_back(e.topic);
        return out;
    }
};

std::string with_check(const std::string& payload) { return payload + std::to_string(gs1_check_digit(payload)); }

}  // namespace

TEST_CASE("a scanned barcode adds its item to the terminal's open order", "[scanning]") {
    Fixture x;
    orders::Order order = x.open();
    auto outcome = x.scans->handle("T1", "4006381333931", "scanner-1", nullptr);
    INFO(outcome.message);
    REQUIRE(outcome.result == "line_added");
    CHECK(outcome.order_id == order.order_id);
    auto now = x.w.orders.get(order.order_id);
    REQUIRE(now);
    REQUIRE(now->lines.size() == 1);
    CHECK(now->lines[0].sku == "SHIRT");
    CHECK(now->lines[0].qty_milli == 1000);
    // A SKU typed by a keyboard-wedge scanner works the same.
    CHECK(x.scans->handle("T1", "COFFEE", "scanner-1", nullptr).result == "line_added");
    auto t = x.topics();
    CHECK(std::count(t.begin(), t.end(), "scan.received") == 2);
}

TEST_CASE("the newest open order of the terminal is the active one, other terminals are left alone", "[scanning]") {
    Fixture x;
    orders::Order other = x.open("alice", "T2");
    orders::Order older = x.open("alice", "T1");
    orders::Order newer = x.open("bob", "T1");
    auto outcome = x.scans->handle("T1", "4006381333931", "scanner-1", nullptr);
    REQUIRE(outcome.result == "line_added");
    CHECK(outcome.order_id == newer.order_id);
    CHECK(x.w.orders.get(older.order_id)->lines.empty());
    CHECK(x.w.orders.get(other.order_id)->lines.empty());
    // The device scan acts as the user who opened the order.
    CHECK(x.w.orders.get(newer.order_id)->user_id == x.w.as("bob").principal.user_id);
}

TEST_CASE("a misread check digit is rejected and changes nothing", "[scanning]") {
    Fixture x;
    orders::Order order = x.open();
    auto outcome = x.scans->handle("T1", "4006381333932", "scanner-1", nullptr);
    CHECK(outcome.result == "rejected");
    CHECK(outcome.message.find("check digit") != std::string::npos);
    CHECK(x.w.orders.get(order.order_id)->lines.empty());
    auto t = x.topics();
    CHECK(std::find(t.begin(), t.end(), "scan.rejected") != t.end());
}

TEST_CASE("unknown codes and terminals without an open order are reported, not guessed", "[scanning]") {
    Fixture x;
    auto none = x.scans->handle("T1", "4006381333931", "scanner-1", nullptr);
    CHECK(none.result == "no_open_order");
    CHECK(none.message.find("T1") != std::string::npos);
    orders::Order order = x.open();
    auto unknown = x.scans->handle("T1", "5901234123457", "scanner-1", nullptr);
    CHECK(unknown.result == "unmatched");
    CHECK(x.w.orders.get(order.order_id)->lines.empty());
    auto t = x.topics();
    CHECK(std::count(t.begin(), t.end(), "scan.unmatched") == 2);
}

TEST_CASE("weight- and price-embedded scale labels add the weighed item", "[scanning]") {
    Fixture x;
    orders::Order order = x.open();
    // 0.750 kg of ham at 19.90 / kg.
    auto weighed = x.scans->handle("T1", with_check("221234500750"), "scanner-1", nullptr);
    INFO(weighed.message);
    REQUIRE(weighed.result == "line_added");
    // A label priced 4.99 by the scale.
    auto priced = x.scans->handle("T1", with_check("211234500499"), "scanner-1", nullptr);
    INFO(priced.message);
    REQUIRE(priced.result == "line_added");
    auto now = x.w.orders.get(order.order_id);
    REQUIRE(now->lines.size() == 2);
    CHECK(now->lines[0].sku == "12345");
    CHECK(now->lines[0].qty_milli == 750);
    CHECK(now->lines[0].unit_price_minor == 1990);
    CHECK(now->lines[1].unit_price_minor == 499);
    CHECK(now->lines[1].qty_milli == 1000);
    // The label price is recorded, with its reason, as a price change.
    auto all = x.w.audit.list(0, 500);
    REQUIRE(all);
    bool recorded = false;
    for (const auto& e : *all)
        if (e.action == "price.override" && e.reason.find("price-embedded barcode") != std::string::npos)
            recorded = true;
    CHECK(recorded);
}

TEST_CASE("API scans act as the caller and report each outcome", "[scanning]") {
    Fixture x;
    orders::Order order = x.open();
    const Authorization alice = x.w.as("alice");
    auto added = x.scans->handle("T1", "SHIRT", "api", &alice);
    REQUIRE(added.result == "line_added");
    CHECK(added.order["lines"].size() == 1);
    CHECK(x.scans->terminal_for("scanner-1") == "T1");
    CHECK(x.scans->terminal_for("scanner-9").empty());
}
