// Tips on partial approvals: only the tip the provider approved is reported
// (X/Z tender totals, the payment, a void sent to the method). The rule
// (payment_record.hpp, approved_tip): the method's details.approved_tip_minor
// when given, else the whole tip for a full approval and none for a partial
// one. Real HTTP, the real fixture_payment plugin ("fixture_card": 29 =
// partial approval of half saying nothing about the tip, 39 = half with half
// the tip reported), SQLite and PostgreSQL.
#include <catch2/catch.hpp>

#include "domain/payments/payment_record.hpp"
#include "sales_rig.hpp"

using namespace till;
using sdk::Value;
using test::Backend;
using test::new_key;
using test::SalesRig;

namespace {

Value payment(const std::string& method, std::int64_t amount, std::int64_t tip, const std::string& key) {
    Value v = Value::map();
    v.set("method_id", method);
    v.set("amount_minor", amount);
    if (tip > 0) v.set("tip_minor", tip);
    v.set("idempotency_key", key);
    return v;
}

Value tender(const Value& report, const std::string& method_id) {
    for (const auto& t : report["tenders"].as_list())
        if (t["method_id"].as_string() == method_id) return t;
    return Value();
}

Value card_line(SalesRig& rig, const std::string& token) {
    auto x = rig.call("GET", "/api/v1/registers/T1/x-report", token);
    INFO(x.text);
    REQUIRE(x.status == 200);
    return tender(x.body, "fixture_card");
}

std::int64_t void_tip(SalesRig& rig, const std::string& payment_id) {
    auto r = rig.fixture().db().query(
        "SELECT tip_minor FROM fixture_payment_calls WHERE op = 'void' AND idempotency_key = ?",
        {"till:void:" + payment_id});
    REQUIRE(r.ok());
    REQUIRE(r->rows.size() == 1);
    return r->rows[0][0].as_int();
}

void tips_follow_the_approval(Backend backend) {
    SalesRig rig(backend);
    auto alice = rig.login("alice", "1111");
    auto bob = rig.login("bob", "2222");
    rig.open_register(alice, "T1", 0);

    // Partial approval, the method says nothing about the tip: none counted.
    auto first_order = rig.sale(alice, 2029);
    auto partial = rig.pay(alice, first_order, payment("fixture_card", 2029, 300, new_key()));
    INFO(partial.text);
    REQUIRE(partial.status == 201);
    CHECK(partial.body["status"].as_string() == "approved");
    CHECK(partial.body["approved_minor"].as_int() == 1014);
    CHECK(partial.body["tip_minor"].as_int() == 300);
    CHECK(partial.body["approved_tip_minor"].as_int() == 0);
    // The rest, fully approved: its whole tip counts.
    auto rest = rig.pay(alice, first_order, payment("fixture_card", 1015, 100, new_key()));
    INFO(rest.text);
    REQUIRE(rest.status == 201);
    CHECK(rest.body["approved_tip_minor"].as_int() == 100);
    CHECK(rest.body["order_settled"].as_bool());

    // Partial approval with the method's own tip figure: that one counts.
    auto second_order = rig.sale(alice, 2039);
    auto reported = rig.pay(alice, second_order, payment("fixture_card", 2039, 200, new_key()));
    INFO(reported.text);
    REQUIRE(reported.status == 201);
    CHECK(reported.body["approved_minor"].as_int() == 1019);
    CHECK(reported.body["approved_tip_minor"].as_int() == 100);
    const std::string reported_id = reported.body["payment_id"].as_string();
    auto history = rig.call("GET", "/api/v1/payments/" + reported_id, alice);
    REQUIRE(history.status == 200);
    CHECK(history.body["events"].as_list().back()["approved_tip_minor"].as_int() == 100);

    Value card = card_line(rig, bob);
    REQUIRE(card.is_map());
    CHECK(card["sales_minor"].as_int() == 2029 + 1019);
    CHECK(card["tips_minor"].as_int() == 100 + 100);
    CHECK(card["net_minor"].as_int() == 2029 + 1019 + 200);

    // The void sends the approved tip, and takes it off the report.
    auto voided = rig.call("POST", "/api/v1/payments/" + reported_id + "/void", bob);
    INFO(voided.text);
    REQUIRE(voided.status == 200);
    CHECK(void_tip(rig, reported_id) == 100);
    card = card_line(rig, bob);
    CHECK(card["sales_minor"].as_int() == 2029);
    CHECK(card["tips_minor"].as_int() == 100);

    // Paid in cash instead; the Z report keeps the same figures and balances.
    REQUIRE(rig.pay(alice, second_order, payment("cash", 2039, 0, new_key())).status == 201);
    Value count = Value::map();
    count.set("denomination_minor", 1);
    count.set("count", 2039);
    Value body = Value::map();
    body.set("counted", Value(Value::List{count}));
    auto closed = rig.call("POST", "/api/v1/registers/T1/sessions/current/close", bob, body);
    INFO(closed.text);
    REQUIRE(closed.status == 200);
    const Value& z = closed.body["z_report"]["report"];
    Value card_z = tender(z, "fixture_card");
    REQUIRE(card_z.is_map());
    CHECK(card_z["tips_minor"].as_int() == 100);
    CHECK(card_z["sales_minor"].as_int() == 2029);
    CHECK(z["reconciliation"]["balanced"].as_bool());
    CHECK(z["expected_cash_minor"].as_int() == 2039);
    CHECK(closed.body["variance_minor"].as_int() == 0);
}

}  // namespace

TEST_CASE("only the approved tip is reported and voided (SQLite)", "[payments][tips]") {
    tips_follow_the_approval(Backend::sqlite);
}

TEST_CASE("only the approved tip is reported and voided (PostgreSQL)", "[payments][tips][postgresql]") {
    tips_follow_the_approval(Backend::postgresql);
}

TEST_CASE("the approved tip rule: the method's figure, else all for a full approval and none for a partial one",
          "[payments][tips]") {
    using domain::payments::approved_tip;
    CHECK(approved_tip(Value(), 300, true) == 300);
    CHECK(approved_tip(Value(), 300, false) == 0);
    Value said = Value::map();
    said.set("approved_tip_minor", 120);
    CHECK(approved_tip(said, 300, false) == 120);
    CHECK(approved_tip(said, 300, true) == 120);
    said.set("approved_tip_minor", 999);  // never more than was asked
    CHECK(approved_tip(said, 300, true) == 300);
    said.set("approved_tip_minor", -5);
    CHECK(approved_tip(said, 300, true) == 0);
    said.set("approved_tip_minor", "lots");  // not a number: the rule
    CHECK(approved_tip(said, 300, false) == 0);
    CHECK(approved_tip(said, 0, true) == 0);
}
