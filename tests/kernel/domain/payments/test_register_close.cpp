// A register does not close while a payment of its session has no outcome
// (pending while the card terminal works, or uncertain): the close is a 409
// naming the payments, uses no Z number, and once they are resolved the Z
// report has them. Real HTTP, the real fixture_payment plugin ("fixture_card":
// 17 = uncertain but charged), SQLite and PostgreSQL.
#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

#include "domain/payments/payment_ledger.hpp"
#include "domain/payments/payment_service_impl.hpp"
#include "sales_rig.hpp"

using namespace till;
using sdk::Value;
using test::Backend;
using test::new_key;
using test::SalesRig;

namespace {

Value payment(const std::string& method, std::int64_t amount, const std::string& key) {
    Value v = Value::map();
    v.set("method_id", method);
    v.set("amount_minor", amount);
    v.set("idempotency_key", key);
    return v;
}

test::Reply close_register(SalesRig& rig, const std::string& token, std::int64_t counted_minor) {
    Value count = Value::map();
    count.set("denomination_minor", 1);
    count.set("count", counted_minor);
    Value counted = Value::list();
    counted.push_back(count);
    Value body = Value::map();
    body.set("counted", counted);
    return rig.call("POST", "/api/v1/registers/T1/sessions/current/close", token, body);
}

const Value* tender(const Value& report, const std::string& method_id) {
    for (const auto& t : report["tenders"].as_list())
        if (t["method_id"].as_string() == method_id) return &t;
    return nullptr;
}

void uncertain_payment_blocks_close(Backend backend) {
    SalesRig rig(backend);
    auto alice = rig.login("alice", "1111");
    auto bob = rig.login("bob", "2222");
    rig.open_register(alice, "T1", 10000);
    auto cash_sale = rig.sale(alice, 1000);
    REQUIRE(rig.pay(alice, cash_sale, payment("cash", 1000, new_key())).status == 201);

    // The card terminal charged, but its answer was lost: uncertain.
    auto card_sale = rig.sale(alice, 1017);
    const auto key = new_key();
    auto uncertain = rig.pay(alice, card_sale, payment("fixture_card", 1017, key));
    INFO(uncertain.text);
    REQUIRE(uncertain.status == 202);
    const std::string payment_id = uncertain.body["payment_id"].as_string();

    // The X report shows it as not known yet.
    auto x = rig.call("GET", "/api/v1/registers/T1/x-report", bob);
    REQUIRE(x.status == 200);
    const Value* card_x = tender(x.body, "fixture_card");
    REQUIRE(card_x);
    CHECK((*card_x)["pending_count"].as_int() == 1);
    CHECK((*card_x)["pending_payment_ids"].as_list().at(0).as_string() == payment_id);
    CHECK((*card_x)["sales_minor"].as_int() == 0);

    // Closing now is refused, naming the payment; the session stays open.
    auto refused = close_register(rig, bob, 11000);
    INFO(refused.text);
    CHECK(refused.status == 409);
    CHECK(refused.body["code"].as_string() == "invalid_state");
    CHECK_THAT(refused.body["detail"].as_string(), Catch::Contains(payment_id));
    REQUIRE(refused.body["pending_payment_ids"].size() == 1);
    CHECK(refused.body["pending_payment_ids"].as_list()[0].as_string() == payment_id);
    auto current = rig.call("GET", "/api/v1/registers/T1/sessions/current", bob);
    REQUIRE(current.status == 200);
    CHECK(current.body["state"].as_string() == "open");

    // The same request again learns the outcome (approved, charged once).
    auto resolved = rig.pay(alice, card_sale, payment("fixture_card", 1017, key));
    INFO(resolved.text);
    REQUIRE(resolved.status == 200);
    CHECK(resolved.body["status"].as_string() == "approved");
    CHECK(resolved.body.find("session_problem") == nullptr);
    CHECK(test::fixture_calls(rig.fixture().db(), "sale", key) == 1);

    // Now it closes, and the Z report (number 1: the refusal used none) has the card sale.
    auto closed = close_register(rig, bob, 11000);
    INFO(closed.text);
    REQUIRE(closed.status == 200);
    const Value& z = closed.body["z_report"]["report"];
    CHECK(z["z_number"].as_int() == 1);
    const Value* card_z = tender(z, "fixture_card");
    REQUIRE(card_z);
    CHECK((*card_z)["sales_count"].as_int() == 1);
    CHECK((*card_z)["sales_minor"].as_int() == 1017);
    CHECK((*card_z)["pending_count"].as_int() == 0);
    CHECK(z["sales"]["count"].as_int() == 2);
    CHECK(z["sales"]["total_minor"].as_int() == 2017);
    CHECK(z["reconciliation"]["balanced"].as_bool());
    CHECK(z["reconciliation"]["tenders_net_minor"].as_int() == 2017);
    CHECK(z["expected_cash_minor"].as_int() == 11000);
    CHECK(closed.body["variance_minor"].as_int() == 0);
}

}  // namespace

TEST_CASE("a register does not close while a payment is uncertain (SQLite)", "[payments][registers][close]") {
    uncertain_payment_blocks_close(Backend::sqlite);
}

TEST_CASE("a register does not close while a payment is uncertain (PostgreSQL)",
          "[payments][registers][close][postgresql]") {
    uncertain_payment_blocks_close(Backend::postgresql);
}

TEST_CASE("a close during a card payment's call is refused, the payment lands on the Z report",
          "[payments][registers][close]") {
    // The card terminal takes a while: the payment is pending meanwhile.
    Value slow = Value::map();
    slow.set("latency_ms", 3000);
    SalesRig rig(Backend::sqlite, 0, {{"fixture_payment", slow}});
    auto alice = rig.login("alice", "1111");
    auto bob = rig.login("bob", "2222");
    rig.open_register(alice, "T1", 0);
    auto order = rig.sale(alice, 2500);

    test::Reply paid;
    std::thread till([&] { paid = rig.pay(alice, order, payment("fixture_card", 2500, new_key())); });
    std::string pending_id;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    for (int i = 0; i < 2000 && pending_id.empty() && std::chrono::steady_clock::now() < deadline; ++i) {
        auto list = rig.call("GET", "/api/v1/orders/" + order + "/payments", alice);
        if (list.status == 200 && list.body["items"].size() == 1 &&
            list.body["items"].as_list()[0]["status"].as_string() == "pending")
            pending_id = list.body["items"].as_list()[0]["payment_id"].as_string();
        else
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    REQUIRE_FALSE(pending_id.empty());

    auto refused = close_register(rig, bob, 2500);
    INFO(refused.text);
    CHECK(refused.status == 409);
    CHECK(refused.body["code"].as_string() == "invalid_state");
    REQUIRE(refused.body["pending_payment_ids"].size() == 1);
    CHECK(refused.body["pending_payment_ids"].as_list()[0].as_string() == pending_id);
    till.join();
    INFO(paid.text);
    REQUIRE(paid.status == 201);
    CHECK(paid.body["payment_id"].as_string() == pending_id);

    auto closed = close_register(rig, bob, 2500);
    INFO(closed.text);
    REQUIRE(closed.status == 200);
    const Value& z = closed.body["z_report"]["report"];
    const Value* card = tender(z, "fixture_card");
    REQUIRE(card);
    CHECK((*card)["sales_minor"].as_int() == 2500);
    CHECK(z["sales"]["total_minor"].as_int() == 2500);
    CHECK(z["reconciliation"]["balanced"].as_bool());
}

TEST_CASE("an attempt left open from before the rule, resolved after its session closed, is recorded and flagged",
          "[payments][registers][close]") {
    SalesRig rig(Backend::sqlite);
    auto alice = rig.login("alice", "1111");
    auto bob = rig.login("bob", "2222");
    rig.open_register(alice, "T1", 0);
    auto order = rig.sale(alice, 1000);
    auto first = rig.call("GET", "/api/v1/registers/T1/sessions/current", bob);
    REQUIRE(first.status == 200);
    const std::string old_session = first.body["session_id"].as_string();
    REQUIRE(close_register(rig, bob, 0).status == 200);
    rig.open_register(alice, "T1", 0);

    // A pending attempt bound to the closed session, as one left by a node
    // that closed registers regardless (written straight into the ledger).
    domain::payments::TakePaymentRequest request;
    request.order_id = order;
    request.method_id = "fixture_card";
    request.amount_minor = 1000;
    request.idempotency_key = new_key();
    domain::payments::PaymentLedger ledger(rig.fixture().db().dialect());
    domain::payments::PaymentRecord record;
    record.payment_id = rig.fixture().ctx().ids.next();
    record.idempotency_key = request.idempotency_key;
    record.request_json = domain::payments::request_fingerprint(request);
    record.order_id = order;
    record.method_id = "fixture_card";
    record.currency = rig.order(alice, order)["currency"].as_string();
    record.amount_minor = record.due_minor = record.tendered_minor = 1000;
    record.session_id = old_session;
    record.terminal_id = "T1";
    record.user_id = "legacy";
    record.created_utc_ms = 1;
    REQUIRE(rig.fixture().db().transaction([&](sdk::SqlExecutor& tx) { return ledger.insert(tx, record); }).ok());

    // Retried: the provider never saw it, so it is charged now; the outcome is
    // recorded (money moved) and flagged as missing from that Z report.
    auto retried = rig.pay(alice, order, payment("fixture_card", 1000, request.idempotency_key));
    INFO(retried.text);
    REQUIRE(retried.status == 200);
    CHECK(retried.body["status"].as_string() == "approved");
    CHECK_THAT(retried.body["session_problem"].as_string(), Catch::Contains(old_session));
    CHECK(rig.fixture().log().contains("closed: it is not on that session's Z report"));
}
