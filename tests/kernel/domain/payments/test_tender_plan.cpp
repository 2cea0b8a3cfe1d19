// The arithmetic of one payment: split, change, cash rounding, payouts.
#include <catch2/catch.hpp>

#include "domain/payments/tender_plan.hpp"

using namespace till::domain::payments;

namespace {
TenderContext card(std::int64_t remaining) { return {remaining, false, 0, till::domain::RoundingMode::half_up}; }
TenderContext cash(std::int64_t remaining, std::int64_t rounding = 0) {
    return {remaining, true, rounding, till::domain::RoundingMode::half_up};
}
}  // namespace

TEST_CASE("a method without change takes at most the remaining balance", "[payments][plan]") {
    auto part = plan_tender({400, {}, 0}, card(1000));
    REQUIRE(part.ok());
    CHECK(part->kind == PaymentKind::sale);
    CHECK(part->amount_minor == 400);
    CHECK(part->due_minor == 400);
    CHECK_FALSE(part->settles);

    auto rest = plan_tender({1000, {}, 0}, card(1000));
    REQUIRE(rest.ok());
    CHECK(rest->settles);

    auto over = plan_tender({1001, {}, 0}, card(1000));
    REQUIRE_FALSE(over.ok());
    CHECK(over.error().code == "invalid_argument");
    CHECK(over.error().message.rfind("$.amount_minor: ", 0) == 0);

    auto tendered = plan_tender({500, 600, 0}, card(1000));
    REQUIRE_FALSE(tendered.ok());
    CHECK(tendered.error().message.rfind("$.tendered_minor: ", 0) == 0);
}

TEST_CASE("cash over the balance gives change", "[payments][plan]") {
    auto p = plan_tender({2000, {}, 0}, cash(1250));
    REQUIRE(p.ok());
    CHECK(p->amount_minor == 1250);
    CHECK(p->due_minor == 1250);
    CHECK(p->tendered_minor == 2000);
    CHECK(p->change_minor == 750);
    CHECK(p->settles);

    auto t = plan_tender({1250, 5000, 0}, cash(1250));
    REQUIRE(t.ok());
    CHECK(t->change_minor == 3750);

    auto short_tender = plan_tender({1250, 1000, 0}, cash(1250));
    REQUIRE_FALSE(short_tender.ok());
    CHECK(short_tender.error().message.rfind("$.tendered_minor: ", 0) == 0);

    auto partial = plan_tender({500, {}, 0}, cash(1250));
    REQUIRE(partial.ok());
    CHECK(partial->amount_minor == 500);
    CHECK(partial->change_minor == 0);
    CHECK_FALSE(partial->settles);
}

TEST_CASE("cash rounding applies to what is due in cash and is recorded", "[payments][plan]") {
    // 10.02 at 0.05: 10.00 in cash, the order is settled, -2 rounding.
    auto down = plan_tender({1002, {}, 0}, cash(1002, 5));
    REQUIRE(down.ok());
    CHECK(down->amount_minor == 1002);
    CHECK(down->due_minor == 1000);
    CHECK(down->rounding_minor == -2);
    CHECK(down->amount_minor + down->rounding_minor == down->due_minor);
    CHECK(down->settles);
    CHECK(down->change_minor == 0);

    // 10.03: 10.05 in cash; a 20.00 note gives 9.95 change.
    auto up = plan_tender({2000, {}, 0}, cash(1003, 5));
    REQUIRE(up.ok());
    CHECK(up->due_minor == 1005);
    CHECK(up->rounding_minor == 2);
    CHECK(up->change_minor == 995);

    // Cash for part of the bill is not rounded.
    auto part = plan_tender({501, {}, 0}, cash(1003, 5));
    REQUIRE(part.ok());
    CHECK(part->due_minor == 501);
    CHECK(part->rounding_minor == 0);
    CHECK_FALSE(part->settles);

    // A card is never rounded.
    auto c = plan_tender({1003, {}, 0}, {1003, false, 5, till::domain::RoundingMode::half_up});
    REQUIRE(c.ok());
    CHECK(c->due_minor == 1003);
}

TEST_CASE("a negative balance is paid out, never more than owed", "[payments][plan]") {
    auto r = plan_tender({500, {}, 0}, card(-500));
    REQUIRE(r.ok());
    CHECK(r->kind == PaymentKind::refund);
    CHECK(r->amount_minor == 500);
    CHECK(r->settles);

    CHECK(plan_tender({600, {}, 0}, card(-500)).error().message.rfind("$.amount_minor: ", 0) == 0);
    CHECK(plan_tender({600, {}, 0}, cash(-500)).error().message.rfind("$.amount_minor: ", 0) == 0);
    CHECK(plan_tender({500, 500, 0}, cash(-500)).error().message.rfind("$.tendered_minor: ", 0) == 0);
    CHECK(plan_tender({500, {}, 10}, cash(-500)).error().message.rfind("$.tip_minor: ", 0) == 0);

    auto rounded = plan_tender({1002, {}, 0}, cash(-1002, 5));
    REQUIRE(rounded.ok());
    CHECK(rounded->due_minor == 1000);
    CHECK(rounded->amount_minor == 1002);
    CHECK(rounded->rounding_minor == -2);
}

TEST_CASE("nothing left to pay is refused", "[payments][plan]") {
    auto r = plan_tender({100, {}, 0}, cash(0));
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "invalid_state");
}

// Review finding: a cash tip used to be ignored by the change, so the drawer
// was short by the tip that the register's expected cash counts.
TEST_CASE("a cash tip stays in the drawer: change is tendered minus due minus tip", "[payments][plan][review]") {
    auto p = plan_tender({1000, 1500, 200}, cash(1000));
    REQUIRE(p.ok());
    CHECK(p->due_minor == 1000);
    CHECK(p->tendered_minor == 1500);
    CHECK(p->change_minor == 300);
    // drawer: tendered − change = due + tip, what the register expects
    CHECK(p->tendered_minor - p->change_minor == p->due_minor + 200);

    auto exact = plan_tender({1000, {}, 200}, cash(1000));
    REQUIRE(exact.ok());
    CHECK(exact->tendered_minor == 1200);
    CHECK(exact->change_minor == 0);

    auto note = plan_tender({2000, {}, 200}, cash(1000));
    REQUIRE(note.ok());
    CHECK(note->tendered_minor == 2000);
    CHECK(note->change_minor == 800);

    auto short_tip = plan_tender({1000, 1100, 200}, cash(1000));
    REQUIRE_FALSE(short_tip.ok());
    CHECK(short_tip.error().message.rfind("$.tendered_minor: ", 0) == 0);

    auto rounded = plan_tender({1000, 1500, 100}, cash(1002, 5));
    REQUIRE(rounded.ok());
    CHECK(rounded->due_minor == 1000);
    CHECK(rounded->change_minor == 400);
}
