// Settlement, stock movements, returns and exchanges, with the real modules
// (inventory ledger, audit, people, registers) and the real retail order type.
#include <catch2/catch.hpp>

#include "orders_world.hpp"

using namespace till;
using namespace till::domain;
using namespace till::domain::orders;

namespace {

struct Shop {
    test::DomainFixture f;
    test::SalesWorld w{f};
    Authorization alice;
    Authorization bob;
    std::string session;
    explicit Shop() {
        w.seed_catalog();
        session = w.open_register("T1");
        alice = w.as("alice");
        bob = w.as("bob");
    }
    /// A settled sale of `lines` (sku, qty).
    Order sale(const std::vector<std::pair<std::string, std::int64_t>>& lines) {
        auto o = w.orders.open_order(alice, {"retail", "", sdk::Value::map()});
        REQUIRE(o);
        Order cur = *o;
        for (const auto& [sku, qty] : lines) {
            AddLineRequest r;
            r.sku = sku;
            r.qty_milli = qty;
            auto next = w.orders.add_line(cur.order_id, cur.version, r, alice, w.permit_for(alice));
            REQUIRE(next);
            cur = *next;
        }
        REQUIRE(w.settle(cur.order_id).ok());
        auto settled = w.orders.get(cur.order_id);
        REQUIRE(settled);
        return *settled;
    }
    sdk::Result<Order> give_back(const Order& sale, const std::string& reason,
                                 const std::vector<std::pair<std::size_t, std::int64_t>>& lines,
                                 const Authorization& by) {
        ReturnRequest r;
        r.reason_code = reason;
        for (const auto& [index, qty] : lines) r.lines.push_back({sale.lines.at(index).line_id, qty});
        return w.orders.open_return(sale.order_id, r, by, w.permit_for(by));
    }
    State state_of(const std::string& id) {
        auto o = w.orders.get(id);
        REQUIRE(o);
        return o->state;
    }
    std::size_t audits(const std::string& action) {
        auto all = w.audit.list(0, 500);
        REQUIRE(all);
        std::size_t n = 0;
        for (const auto& e : *all) n += e.action == action;
        return n;
    }
};

}  // namespace

TEST_CASE("settling a sale closes it (retail), writes its stock movements and publishes order.paid",
          "[orders][settle]") {
    Shop s;
    Order sale = s.sale({{"SHIRT", 3000}, {"GIFT", 1000}, {"APPLE", 1250}});
    CHECK(sale.state == State::closed);
    CHECK(sale.paid_utc_ms > 0);
    CHECK(sale.settled_session_id == s.session);
    CHECK(s.w.on_hand("SHIRT") == -3000);
    CHECK(s.w.on_hand("APPLE") == -1250);
    CHECK(s.w.on_hand("GIFT") == 0);  // not tracked
    CHECK(s.f.last_event("order.paid").payload["order_id"].as_string() == sale.order_id);
    CHECK(s.f.last_event("order.closed").payload["state"].as_string() == "closed");

    // Settling again, or settling a voided order, is refused.
    auto bob = s.bob;
    auto twice = s.f.db().transaction([&](sdk::SqlExecutor& tx) { return s.w.orders.settle(tx, sale.order_id, bob); });
    CHECK(twice.error().code == "invalid_state");
    CHECK(twice.message() == "order is closed; cannot settle it (closed orders cannot change)");
    auto balance = s.f.db().transaction([&](sdk::SqlExecutor& tx) -> sdk::Status {
        auto b = s.w.orders.balance(tx, sale.order_id);
        REQUIRE(b);
        CHECK(b->total_minor == 6000 + 1000 + 375);
        CHECK(b->state == "closed");
        CHECK_FALSE(b->is_return);
        CHECK(s.w.orders.balance(tx, "nope").error().code == "not_found");
        return {};
    });
    CHECK(balance.ok());
    CHECK(OrderService::keeps_paid_open("quickservice"));
    CHECK_FALSE(OrderService::keeps_paid_open("retail"));
}

TEST_CASE("partial then full returns refund exactly what was paid and mark the sale", "[orders][returns]") {
    Shop s;
    Order sale = s.sale({{"SHIRT", 3000}, {"COFFEE", 1000}});
    auto first = s.give_back(sale, "changed_mind", {{0, 1000}}, s.alice);
    REQUIRE(first);
    CHECK(first->is_return);
    CHECK(first->original_order_id == sale.order_id);
    CHECK(first->reason_code == "changed_mind");
    REQUIRE(first->lines.size() == 1);
    CHECK(first->lines[0].qty_milli == -1000);
    CHECK(first->lines[0].original_line_id == sale.lines[0].line_id);
    CHECK(first->totals.total_minor == -2000);
    CHECK(first->lines[0].amounts.tax_minor == -333);
    CHECK(s.state_of(sale.order_id) == State::closed);  // not refunded until settled

    REQUIRE(s.w.settle(first->order_id).ok());
    CHECK(s.state_of(first->order_id) == State::closed);
    CHECK(s.state_of(sale.order_id) == State::partially_refunded);
    CHECK(s.w.on_hand("SHIRT") == -2000);  // changed_mind restocks
    CHECK(s.audits("order.refund") == 1);
    CHECK(s.f.last_event("order.partially_refunded").payload["order_id"].as_string() == sale.order_id);

    auto second = s.give_back(sale, "damaged", {{0, 2000}}, s.alice);
    REQUIRE(second);
    CHECK(second->totals.total_minor == -4000);
    REQUIRE(s.w.settle(second->order_id).ok());
    CHECK(s.w.on_hand("SHIRT") == -2000);  // damaged goods do not go back to stock
    CHECK(s.state_of(sale.order_id) == State::partially_refunded);

    auto third = s.give_back(sale, "changed_mind", {{1, 1000}}, s.alice);
    REQUIRE(third);
    REQUIRE(s.w.settle(third->order_id).ok());
    CHECK(s.state_of(sale.order_id) == State::refunded);
    CHECK(s.f.last_event("order.refunded").payload["state"].as_string() == "refunded");
    CHECK(first->totals.total_minor + second->totals.total_minor + third->totals.total_minor ==
          -sale.totals.total_minor);

    auto nothing_left = s.give_back(sale, "changed_mind", {{1, 1000}}, s.alice);
    CHECK(nothing_left.error().code == "invalid_state");
    CHECK(nothing_left.error().message == "order is refunded; cannot return goods against it");
}

TEST_CASE("thirds of a line refund 1/3 each and the last one takes the remainder", "[orders][returns]") {
    Shop s;
    // 3 coffees with a 1.00 order discount: 750 − 100 = 650 paid for the line.
    auto o = s.w.orders.open_order(s.alice, {"retail", "", sdk::Value::map()});
    REQUIRE(o);
    AddLineRequest r;
    r.sku = "COFFEE";
    r.qty_milli = 3000;
    auto a = s.w.orders.add_line(o->order_id, 1, r, s.alice, s.w.permit_for(s.alice));
    REQUIRE(a);
    ChangeOrderRequest c;
    c.discount = Discount{Discount::Kind::amount, 0, 100};
    auto d = s.w.orders.change_order(o->order_id, a->version, c, s.alice, s.w.permit_for(s.alice));
    REQUIRE(d);
    CHECK(d->totals.total_minor == 650);
    REQUIRE(s.w.settle(o->order_id).ok());
    auto sale = s.w.orders.get(o->order_id);
    REQUIRE(sale);
    std::vector<std::int64_t> refunds;
    for (int i = 0; i < 3; ++i) {
        auto ret = s.give_back(*sale, "changed_mind", {{0, 1000}}, s.alice);
        REQUIRE(ret);
        refunds.push_back(-ret->totals.total_minor);
        REQUIRE(s.w.settle(ret->order_id).ok());
    }
    CHECK(refunds == std::vector<std::int64_t>{216, 217, 217});
}

TEST_CASE("returning more than sold minus returned is refused naming the line", "[orders][returns]") {
    Shop s;
    Order sale = s.sale({{"SHIRT", 2000}, {"COFFEE", 1000}});
    auto too_many = s.give_back(sale, "changed_mind", {{1, 1000}, {0, 3000}}, s.alice);
    CHECK(too_many.error().code == "invalid_argument");
    CHECK(too_many.error().message.rfind("$.lines[1].qty_milli: only 2000 left to return", 0) == 0);
    // An open (unsettled) return already holds its quantity.
    auto open_return = s.give_back(sale, "changed_mind", {{0, 2000}}, s.alice);
    REQUIRE(open_return);
    auto again = s.give_back(sale, "changed_mind", {{0, 1000}}, s.alice);
    CHECK(again.error().message.rfind("$.lines[0].qty_milli: only 0 left to return", 0) == 0);
    // Voiding the open return frees it.
    REQUIRE(s.w.orders.void_order(open_return->order_id, open_return->version, "mistake", s.bob,
                                  s.w.permit_for(s.bob)));
    CHECK(s.give_back(sale, "changed_mind", {{0, 1000}}, s.alice));

    auto bad_reason = s.give_back(sale, "bored", {{1, 1000}}, s.alice);
    CHECK(bad_reason.error().message.rfind("$.reason_code: unknown return reason \"bored\"", 0) == 0);
    ReturnRequest unknown_line{"changed_mind", {{"no-such-line", 1000}}, std::nullopt};
    auto unknown = s.w.orders.open_return(sale.order_id, unknown_line, s.alice, s.w.permit_for(s.alice));
    CHECK(unknown.error().message.rfind("$.lines[0].line_id:", 0) == 0);
    ReturnRequest none{"changed_mind", {}, std::nullopt};
    CHECK(s.w.orders.open_return(sale.order_id, none, s.alice, s.w.permit_for(s.alice)).error().message ==
          "$.lines: give at least one line to return");
    ReturnRequest versioned{"changed_mind", {{sale.lines[1].line_id, 1000}}, sale.version - 1};
    CHECK(s.w.orders.open_return(sale.order_id, versioned, s.alice, s.w.permit_for(s.alice)).error().code ==
          "conflict");
}

TEST_CASE("returns need a paid sale, a return over the refund limit needs refund.over_limit",
          "[orders][returns][overrides]") {
    Shop s;
    auto open = s.w.orders.open_order(s.alice, {"retail", "", sdk::Value::map()});
    REQUIRE(open);
    ReturnRequest r{"changed_mind", {{"x", 1000}}, std::nullopt};
    auto not_paid = s.w.orders.open_return(open->order_id, r, s.alice, s.w.permit_for(s.alice));
    CHECK(not_paid.error().code == "invalid_state");
    CHECK(not_paid.error().message == "order is open; cannot return goods against it");

    Order tv = s.sale({{"TV", 1000}});
    auto cashier = s.give_back(tv, "defective", {{0, 1000}}, s.alice);
    CHECK(cashier.error().code == "override_required");
    CHECK(cashier.error().message.find("refund.over_limit") != std::string::npos);
    auto supervisor = s.give_back(tv, "defective", {{0, 1000}}, s.bob);
    REQUIRE(supervisor);
    CHECK(supervisor->totals.total_minor == -60000);
    REQUIRE(s.w.settle(supervisor->order_id, "bob").ok());
    CHECK(s.state_of(tv.order_id) == State::refunded);
    CHECK(s.w.on_hand("TV") == -1000);  // defective: not restocked
}

TEST_CASE("an exchange is a return order that also takes new sale lines before it is settled",
          "[orders][returns][exchange]") {
    Shop s;
    Order sale = s.sale({{"SHIRT", 1000}});
    auto ret = s.give_back(sale, "wrong_size", {{0, 1000}}, s.alice);
    REQUIRE(ret);
    AddLineRequest coffee;
    coffee.sku = "COFFEE";
    coffee.qty_milli = 2000;
    auto exchange = s.w.orders.add_line(ret->order_id, ret->version, coffee, s.alice, s.w.permit_for(s.alice));
    REQUIRE(exchange);
    CHECK(exchange->lines.size() == 2);
    CHECK(exchange->totals.total_minor == -2000 + 500);
    // Return lines cannot be edited; they are removed and returned again.
    ChangeLineRequest c;
    c.qty_milli = 2000;
    auto edit = s.w.orders.change_line(ret->order_id, exchange->lines[0].line_id, exchange->version, c, s.alice,
                                       s.w.permit_for(s.alice));
    CHECK(edit.error().code == "invalid_state");

    REQUIRE(s.w.settle(ret->order_id).ok());
    CHECK(s.w.on_hand("SHIRT") == 0);        // sold one, got it back (wrong_size restocks)
    CHECK(s.w.on_hand("COFFEE") == -2000);   // the exchange's new lines leave stock
    CHECK(s.state_of(sale.order_id) == State::refunded);

    auto totals = s.f.db().transaction([&](sdk::SqlExecutor& tx) -> sdk::Status {
        auto t = s.w.orders.order_totals(tx, s.session);
        REQUIRE(t);
        CHECK(t->sales_count == 1);
        CHECK(t->sales_total_minor == 2000 + 500);
        CHECK(t->returns_count == 1);
        CHECK(t->returns_total_minor == 2000);
        CHECK(t->returns_tax_minor == 333);
        return {};
    });
    CHECK(totals.ok());
}

TEST_CASE("session totals count settled sales, returns and voids of the session", "[orders][settle]") {
    Shop s;
    Order a = s.sale({{"SHIRT", 1000}});
    Order b = s.sale({{"COFFEE", 2000}});
    auto ret = s.give_back(a, "changed_mind", {{0, 1000}}, s.alice);
    REQUIRE(ret);
    REQUIRE(s.w.settle(ret->order_id).ok());
    auto v = s.w.orders.open_order(s.alice, {"retail", "", sdk::Value::map()});
    REQUIRE(v);
    AddLineRequest r;
    r.sku = "TV";
    auto with_tv = s.w.orders.add_line(v->order_id, 1, r, s.alice, s.w.permit_for(s.alice));
    REQUIRE(with_tv);
    REQUIRE(s.w.orders.void_order(v->order_id, with_tv->version, "no", s.bob, s.w.permit_for(s.bob)));
    auto open = s.w.orders.open_order(s.alice, {"retail", "", sdk::Value::map()});  // not counted
    REQUIRE(open);

    auto checked = s.f.db().transaction([&](sdk::SqlExecutor& tx) -> sdk::Status {
        auto t = s.w.orders.order_totals(tx, s.session);
        REQUIRE(t);
        CHECK(t->sales_count == 2);
        CHECK(t->sales_gross_minor == 2500);
        CHECK(t->sales_total_minor == 2500);
        CHECK(t->sales_tax_minor == a.totals.tax_minor + b.totals.tax_minor);
        CHECK(t->returns_count == 1);
        CHECK(t->returns_total_minor == 2000);
        CHECK(t->voids_count == 1);
        CHECK(t->voids_total_minor == 60000);
        auto other = s.w.orders.order_totals(tx, "no-such-session");
        REQUIRE(other);
        CHECK(other->sales_count == 0);
        return {};
    });
    CHECK(checked.ok());
}

TEST_CASE("quick-service orders stay paid until handed over, and get their queue number from the order type",
          "[orders][settle][quickservice]") {
    test::DomainFixture f;
    test::SalesWorld w(f, {"order_retail", "order_quickservice"});
    w.seed_catalog();
    w.open_register("T1");
    auto alice = w.as("alice");
    auto permit = w.permit_for(alice);
    AddLineRequest coffee;
    coffee.sku = "COFFEE";

    // Submitted first: on_submitted's queue number is on the order before it is paid.
    auto a = w.orders.open_order(alice, {"quickservice", "", sdk::Value::map()});
    REQUIRE(a);
    auto a1 = w.orders.add_line(a->order_id, a->version, coffee, alice, permit);
    REQUIRE(a1);
    auto a2 = w.orders.submit(a->order_id, a1->version, alice);
    REQUIRE(a2);
    CHECK(a2->fields["queue_number"].is_int());
    REQUIRE(w.settle(a->order_id).ok());
    auto paid = w.orders.get(a->order_id);
    REQUIRE(paid);
    CHECK(paid->state == State::paid);
    auto closed = w.orders.close(a->order_id, paid->version, alice);
    REQUIRE(closed);
    CHECK(closed->state == State::closed);
    CHECK(closed->closed_utc_ms > 0);

    // Paid straight from open: the order type still sees the submission after payment.
    auto b = w.orders.open_order(alice, {"quickservice", "", sdk::Value::map()});
    REQUIRE(b);
    REQUIRE(w.orders.add_line(b->order_id, b->version, coffee, alice, permit));
    REQUIRE(w.settle(b->order_id).ok());
    auto b_paid = w.orders.get(b->order_id);
    REQUIRE(b_paid);
    CHECK(b_paid->state == State::paid);
    CHECK(b_paid->fields["queue_number"].is_int());
    CHECK(b_paid->fields["queue_number"] != a2->fields["queue_number"]);

    // Quick-service takes returns but no exchanges.
    ReturnRequest r{"changed_mind", {{b_paid->lines[0].line_id, 1000}}, std::nullopt};
    auto ret = w.orders.open_return(b->order_id, r, alice, permit);
    REQUIRE(ret);
    auto exchange = w.orders.add_line(ret->order_id, ret->version, coffee, alice, permit);
    CHECK(exchange.error().code == "invalid_state");
}
