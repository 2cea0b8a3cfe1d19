// What the orders module sends to HQ (docs/sync.md, "Payloads"): one `sale`
// when an order settles paid, one `refund` when a return settles, one `void`
// when an order is voided — the order as GET /api/v1/orders/{id} shows it,
// appended in the transaction of the change. A failed append fails the
// change and leaves nothing (no state change, no stock movement). With the
// real modules around the orders and a RecordingReplication whose rows live
// in the same database (so a rolled back append leaves no row).
#include <catch2/catch.hpp>

#include "domain/orders/order_json.hpp"
#include "orders_world.hpp"
#include "recording_replication.hpp"

using namespace till;
using namespace till::domain;
using namespace till::domain::orders;

namespace {

struct Shop {
    explicit Shop(test::Backend backend = test::Backend::sqlite) : f(backend), recorded(f.db()) {
        f.use_replication(recorded);
        w = std::make_unique<test::SalesWorld>(f);
        w->seed_catalog();
        session = w->open_register("T1");
        alice = w->as("alice");
        bob = w->as("bob");
    }
    test::DomainFixture f;
    test::RecordingReplication recorded;
    std::unique_ptr<test::SalesWorld> w;
    Authorization alice;
    Authorization bob;
    std::string session;

    Order cart(const std::vector<std::pair<std::string, std::int64_t>>& lines) {
        auto o = w->orders.open_order(alice, {"retail", "", sdk::Value::map()});
        REQUIRE(o);
        Order cur = *o;
        for (const auto& [sku, qty] : lines) {
            AddLineRequest r;
            r.sku = sku;
            r.qty_milli = qty;
            auto next = w->orders.add_line(cur.order_id, cur.version, r, alice, w->permit_for(alice));
            REQUIRE(next);
            cur = *next;
        }
        return cur;
    }
    Order current(const std::string& id) {
        auto o = w->orders.get(id);
        REQUIRE(o);
        return *o;
    }
    std::size_t count(std::string_view type) { return recorded.committed(type).size(); }
};

/// The payload without "payments" (the API's order shows an empty list; the
/// replicated one carries the ledger's).
sdk::Value without_payments(sdk::Value v) {
    v.set("payments", sdk::Value::list());
    // What the replicated order adds to the API's (docs/domain/orders.md).
    for (const char* key : {"gross_minor", "discount_minor", "tax_minor", "total_minor", "settled_session_id"})
        v.mutable_map().erase(key);
    return v;
}

/// Also without "version": an order settled without an explicit submit gets
/// one more version after the commit (the order type's on_submitted runs
/// then, and that is recorded) — HQ gets the order as it was settled.
sdk::Value as_settled(sdk::Value v) {
    v = without_payments(std::move(v));
    v.set("version", sdk::Value());
    return v;
}

}  // namespace

TEST_CASE("a settled sale sends one sale change: the order as the API shows it", "[orders][replication]") {
    Shop s;
    const auto before_sale = s.recorded.committed().size();  // opening the register sent its session
    Order o = s.cart({{"SHIRT", 2000}, {"GIFT", 1000}});
    CHECK(s.recorded.committed().size() == before_sale);  // a cart is not sent
    REQUIRE(s.w->settle(o.order_id).ok());

    auto sales = s.recorded.committed("sale");
    REQUIRE(sales.size() == 1);
    const auto& change = sales.front();
    CHECK(change.entity_id == o.order_id);
    CHECK_FALSE(change.high_priority);
    Order settled = s.current(o.order_id);
    CHECK(as_settled(change.payload) == as_settled(order_to_json(settled)));
    CHECK(change.payload["state"].as_string() == "closed");
    CHECK(change.payload["total_minor"].as_int() == settled.totals.total_minor);
    CHECK(change.payload["totals"]["total_minor"].as_int() == settled.totals.total_minor);
    CHECK(change.payload["tax_minor"].as_int() == settled.totals.tax_minor);
    CHECK(change.payload["register_session_id"].as_string() == s.session);
    CHECK(change.payload["settled_session_id"].as_string() == s.session);
    CHECK(change.payload["lines"].size() == 2);
    CHECK(change.payload["payments"].is_list());  // settled here without the payments module: none
    // One stock movement for the tracked line, in the same transaction.
    auto stock = s.recorded.committed("stock_movement");
    REQUIRE(stock.size() == 1);
    CHECK(stock.front().payload["reference"].as_string() == "order:" + o.order_id);
    CHECK(s.count("refund") == 0);
    CHECK(s.count("void") == 0);
}

TEST_CASE("a settled return sends one refund change, pushed at once", "[orders][replication]") {
    Shop s;
    Order sale = s.cart({{"SHIRT", 2000}});
    REQUIRE(s.w->settle(sale.order_id).ok());
    sale = s.current(sale.order_id);
    ReturnRequest r;
    r.reason_code = "changed_mind";
    r.lines.push_back({sale.lines.at(0).line_id, 1000});
    auto ret = s.w->orders.open_return(sale.order_id, r, s.alice, s.w->permit_for(s.alice));
    REQUIRE(ret);
    CHECK(s.count("refund") == 0);  // an open return is not sent
    const int wakeups = s.recorded.high_priority_wakeups();
    REQUIRE(s.w->settle(ret->order_id).ok());

    auto refunds = s.recorded.committed("refund");
    REQUIRE(refunds.size() == 1);
    CHECK(refunds.front().entity_id == ret->order_id);
    CHECK(refunds.front().high_priority);
    CHECK(refunds.front().payload["is_return"].as_bool());
    CHECK(refunds.front().payload["original_order_id"].as_string() == sale.order_id);
    CHECK(as_settled(refunds.front().payload) == as_settled(order_to_json(s.current(ret->order_id))));
    CHECK(s.count("sale") == 1);  // the original sale only
    CHECK(s.recorded.high_priority_wakeups() == wakeups + 1);
}

TEST_CASE("a voided order sends one void change, pushed at once", "[orders][replication]") {
    Shop s;
    Order o = s.cart({{"SHIRT", 1000}});
    auto submitted = s.w->orders.submit(o.order_id, o.version, s.alice);
    REQUIRE(submitted);
    const int wakeups = s.recorded.high_priority_wakeups();
    auto voided = s.w->orders.void_order(o.order_id, submitted->version, "walked out", s.bob, s.w->permit_for(s.bob));
    REQUIRE(voided);

    auto voids = s.recorded.committed("void");
    REQUIRE(voids.size() == 1);
    CHECK(voids.front().entity_id == o.order_id);
    CHECK(voids.front().high_priority);
    CHECK(voids.front().payload["state"].as_string() == "voided");
    CHECK(voids.front().payload["void_reason"].as_string() == "walked out");
    CHECK(without_payments(voids.front().payload) == order_to_json(*voided));
    CHECK(s.recorded.high_priority_wakeups() == wakeups + 1);
    CHECK(s.count("sale") == 0);
}

TEST_CASE("a refused void is not sent", "[orders][replication]") {
    Shop s;
    Order o = s.cart({{"SHIRT", 1000}});
    auto refused = s.w->orders.void_order(o.order_id, o.version, "no", s.alice, s.w->permit_for(s.alice));
    REQUIRE_FALSE(refused);  // a cashier may not void
    CHECK(s.count("void") == 0);
}

TEST_CASE("a failed append fails the settlement and leaves nothing", "[orders][replication]") {
    Shop s;
    Order o = s.cart({{"SHIRT", 2000}, {"APPLE", 500}});
    const auto before = s.recorded.committed().size();

    SECTION("the sale change cannot be appended") { s.recorded.fail_appends("sale"); }
    SECTION("a stock movement cannot be appended") { s.recorded.fail_appends("stock_movement"); }

    auto failed = s.w->settle(o.order_id);
    REQUIRE_FALSE(failed.ok());
    CHECK(failed.error().code == "storage_error");
    CHECK(s.recorded.refused_appends() == 1);
    CHECK(s.current(o.order_id).state == State::open);
    CHECK(s.current(o.order_id).version == o.version);
    CHECK(s.w->on_hand("SHIRT") == 0);
    CHECK(s.w->on_hand("APPLE") == 0);
    CHECK(s.recorded.committed().size() == before);

    // Once the log takes appends again, the same order settles normally.
    s.recorded.succeed_appends();
    REQUIRE(s.w->settle(o.order_id).ok());
    CHECK(s.count("sale") == 1);
    CHECK(s.count("stock_movement") == 2);
    CHECK(s.w->on_hand("SHIRT") == -2000);
}

TEST_CASE("a failed append fails the return's settlement: the original sale is untouched", "[orders][replication]") {
    Shop s;
    Order sale = s.cart({{"SHIRT", 2000}});
    REQUIRE(s.w->settle(sale.order_id).ok());
    sale = s.current(sale.order_id);
    ReturnRequest r;
    r.reason_code = "changed_mind";
    r.lines.push_back({sale.lines.at(0).line_id, 2000});
    auto ret = s.w->orders.open_return(sale.order_id, r, s.alice, s.w->permit_for(s.alice));
    REQUIRE(ret);
    s.recorded.fail_appends("refund");
    const int wakeups = s.recorded.high_priority_wakeups();
    REQUIRE_FALSE(s.w->settle(ret->order_id).ok());
    CHECK(s.current(sale.order_id).state == State::closed);
    CHECK(s.current(ret->order_id).state == State::open);
    CHECK(s.w->on_hand("SHIRT") == -2000);  // the restock rolled back
    CHECK(s.count("refund") == 0);
    CHECK(s.recorded.high_priority_wakeups() == wakeups);
}

TEST_CASE("a failed append fails the void and leaves the order as it was", "[orders][replication]") {
    Shop s;
    Order o = s.cart({{"SHIRT", 1000}});
    s.recorded.fail_appends("void");
    const int wakeups = s.recorded.high_priority_wakeups();
    auto voided = s.w->orders.void_order(o.order_id, o.version, "walked out", s.bob, s.w->permit_for(s.bob));
    REQUIRE_FALSE(voided);
    CHECK(voided.error().code == "storage_error");
    CHECK(s.current(o.order_id).state == State::open);
    CHECK(s.count("void") == 0);
    CHECK(s.recorded.high_priority_wakeups() == wakeups);
    CHECK(s.f.last_event("order.voided").topic.empty());
    auto audits = s.w->audit.list(0, 500);
    REQUIRE(audits);
    for (const auto& e : *audits) CHECK(e.action != "order.void");
}

TEST_CASE("sale, refund and void changes on PostgreSQL", "[orders][replication][postgresql]") {
    Shop s(test::Backend::postgresql);
    Order sale = s.cart({{"SHIRT", 1000}});
    REQUIRE(s.w->settle(sale.order_id).ok());
    sale = s.current(sale.order_id);
    ReturnRequest r;
    r.reason_code = "changed_mind";
    r.lines.push_back({sale.lines.at(0).line_id, 1000});
    auto ret = s.w->orders.open_return(sale.order_id, r, s.alice, s.w->permit_for(s.alice));
    REQUIRE(ret);
    REQUIRE(s.w->settle(ret->order_id).ok());
    Order other = s.cart({{"TV", 1000}});
    REQUIRE(s.w->orders.void_order(other.order_id, other.version, "x", s.bob, s.w->permit_for(s.bob)));
    s.recorded.fail_appends("sale");
    Order failing = s.cart({{"SHIRT", 1000}});
    REQUIRE_FALSE(s.w->settle(failing.order_id).ok());

    auto all = s.recorded.committed();
    std::vector<std::string> order_changes;
    for (const auto& c : all)
        if (c.type == "sale" || c.type == "refund" || c.type == "void") order_changes.push_back(c.type + ":" + c.entity_id);
    CHECK(order_changes == std::vector<std::string>{"sale:" + sale.order_id, "refund:" + ret->order_id,
                                                    "void:" + other.order_id});
    CHECK(s.current(failing.order_id).state == State::open);
}
