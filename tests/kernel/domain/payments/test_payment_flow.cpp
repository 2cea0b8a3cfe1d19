// The whole payment path over real HTTP with real orders, registers, people
// and audit, the real payment_cash plugin and the fixture provider.
#include <catch2/catch.hpp>

#include <algorithm>
#include <thread>

#include "sales_rig.hpp"

using namespace till;
using sdk::Value;
using till::test::Backend;
using till::test::new_key;
using till::test::SalesRig;

namespace {

Value payment(const std::string& method, std::int64_t amount, const std::string& key) {
    Value v = Value::map();
    v.set("method_id", method);
    v.set("amount_minor", amount);
    v.set("idempotency_key", key);
    return v;
}

bool has_topic(SalesRig& rig, const std::string& topic) {
    auto t = rig.fixture().topics();
    return std::find(t.begin(), t.end(), topic) != t.end();
}

std::int64_t remaining(SalesRig& rig, const std::string& token, const std::string& order_id) {
    auto r = rig.call("GET", "/api/v1/orders/" + order_id + "/payments", token);
    REQUIRE(r.status == 200);
    return r.body["remaining_minor"].as_int(-1);
}

std::string json_path(const test::Reply& r) {
    const auto& errors = r.body["errors"].as_list();
    return errors.empty() ? std::string() : errors[0]["path"].as_string();
}

bool settled_state(const std::string& state) { return state == "paid" || state == "closed"; }

void cash_with_change(Backend backend) {
    SalesRig rig(backend);
    auto alice = rig.login("alice", "1111");
    rig.open_register(alice);
    auto order = rig.sale(alice, 1250);

    auto body = payment("cash", 2000, new_key());
    auto r = rig.pay(alice, order, body);
    INFO(r.text);
    REQUIRE(r.status == 201);
    CHECK(r.body["status"].as_string() == "approved");
    CHECK(r.body["kind"].as_string() == "sale");
    CHECK(r.body["amount_minor"].as_int() == 1250);
    CHECK(r.body["tendered_minor"].as_int() == 2000);
    CHECK(r.body["change_minor"].as_int() == 750);
    CHECK(r.body["approved_minor"].as_int() == 1250);
    CHECK(r.body["reference"].as_string().rfind("cash:", 0) == 0);
    CHECK(r.body["order_settled"].as_bool());
    CHECK_FALSE(r.body["session_id"].as_string().empty());
    CHECK(settled_state(rig.order(alice, order)["state"].as_string()));
    CHECK(remaining(rig, alice, order) == 0);
    CHECK(has_topic(rig, "payment.recorded"));
    CHECK(rig.fixture().last_event("payment.recorded").payload["payment_id"] == r.body["payment_id"]);

    auto one = rig.call("GET", "/api/v1/payments/" + r.body["payment_id"].as_string(), alice);
    REQUIRE(one.status == 200);
    REQUIRE(one.body["events"].size() == 2);
    CHECK(one.body["events"].as_list()[0]["status"].as_string() == "pending");
    CHECK(one.body["events"].as_list()[1]["status"].as_string() == "approved");

    // A settled order takes no more payments.
    auto more = rig.pay(alice, order, payment("cash", 100, new_key()));
    CHECK(more.status == 409);
}

void same_key_once(Backend backend) {
    SalesRig rig(backend);
    auto alice = rig.login("alice", "1111");
    rig.open_register(alice);
    auto order = rig.sale(alice, 1000);
    auto body = payment("fixture_card", 400, new_key());

    auto first = rig.pay(alice, order, body);
    INFO(first.text);
    REQUIRE(first.status == 201);
    auto second = rig.pay(alice, order, body);
    INFO(second.text);
    REQUIRE(second.status == 200);
    CHECK(second.body["payment_id"] == first.body["payment_id"]);
    CHECK(second.body["replayed"].as_bool());
    CHECK(test::fixture_calls(rig.fixture().db(), "sale", body["idempotency_key"].as_string()) == 1);

    auto list = rig.call("GET", "/api/v1/orders/" + order + "/payments", alice);
    CHECK(list.body["items"].size() == 1);
    CHECK(list.body["paid_minor"].as_int() == 400);
    CHECK(list.body["remaining_minor"].as_int() == 600);

    // The same key with another request is refused, and changes nothing.
    auto other = body;
    other.set("amount_minor", 500);
    auto clash = rig.pay(alice, order, other);
    CHECK(clash.status == 409);
    CHECK(clash.body["code"].as_string() == "conflict");
    CHECK(rig.call("GET", "/api/v1/orders/" + order + "/payments", alice).body["items"].size() == 1);
}

void concurrent_same_key(Backend backend) {
    Value slow = Value::map();
    slow.set("latency_ms", 150);
    SalesRig rig(backend, 0, {{"fixture_payment", slow}});
    auto alice = rig.login("alice", "1111");
    rig.open_register(alice);
    auto order = rig.sale(alice, 1000);
    auto body = payment("fixture_card", 1000, new_key());

    std::vector<test::Reply> replies(4);
    std::vector<std::thread> threads;
    for (int i = 0; i < 4; ++i) threads.emplace_back([&, i] { replies[i] = rig.pay(alice, order, body); });
    for (auto& t : threads) t.join();

    int created = 0;
    for (const auto& r : replies) {
        INFO(r.text);
        REQUIRE((r.status == 201 || r.status == 200));
        if (r.status == 201) ++created;
        CHECK(r.body["payment_id"] == replies[0].body["payment_id"]);
        CHECK(r.body["status"].as_string() == "approved");
    }
    CHECK(created == 1);
    CHECK(test::fixture_calls(rig.fixture().db(), "sale", body["idempotency_key"].as_string()) == 1);
    CHECK(rig.call("GET", "/api/v1/orders/" + order + "/payments", alice).body["items"].size() == 1);
    CHECK(settled_state(rig.order(alice, order)["state"].as_string()));
}

}  // namespace

TEST_CASE("cash over the total gives change and settles the order (SQLite)", "[payments][flow]") {
    cash_with_change(Backend::sqlite);
}
TEST_CASE("cash over the total gives change and settles the order (PostgreSQL)", "[payments][flow][postgresql]") {
    cash_with_change(Backend::postgresql);
}
TEST_CASE("the same payment request sent twice records one payment (SQLite)", "[payments][idempotency]") {
    same_key_once(Backend::sqlite);
}
TEST_CASE("the same payment request sent twice records one payment (PostgreSQL)",
          "[payments][idempotency][postgresql]") {
    same_key_once(Backend::postgresql);
}
TEST_CASE("one key sent from 4 threads at once makes one payment and one provider call (SQLite)",
          "[payments][idempotency]") {
    concurrent_same_key(Backend::sqlite);
}
TEST_CASE("one key sent from 4 threads at once makes one payment and one provider call (PostgreSQL)",
          "[payments][idempotency][postgresql]") {
    concurrent_same_key(Backend::postgresql);
}

TEST_CASE("split tender: cash + cash, then cash + another method", "[payments][flow]") {
    SalesRig rig;
    auto alice = rig.login("alice", "1111");
    rig.open_register(alice);

    auto order = rig.sale(alice, 1000);
    auto a = rig.pay(alice, order, payment("cash", 400, new_key()));
    INFO(a.text);
    REQUIRE(a.status == 201);
    CHECK_FALSE(a.body["order_settled"].as_bool());
    CHECK(remaining(rig, alice, order) == 600);
    CHECK(rig.order(alice, order)["state"].as_string() == "submitted");
    auto b = rig.pay(alice, order, payment("cash", 600, new_key()));
    REQUIRE(b.status == 201);
    CHECK(b.body["order_settled"].as_bool());

    auto second = rig.sale(alice, 1000);
    REQUIRE(rig.pay(alice, second, payment("cash", 300, new_key())).status == 201);
    // More than the rest on a method without change: refused, naming the field.
    auto over = rig.pay(alice, second, payment("fixture_card", 800, new_key()));
    CHECK(over.status == 422);
    CHECK(json_path(over) == "$.amount_minor");
    auto card = rig.pay(alice, second, payment("fixture_card", 700, new_key()));
    INFO(card.text);
    REQUIRE(card.status == 201);
    CHECK(card.body["order_settled"].as_bool());
    CHECK(card.body["masked_pan"].as_string() == "************4242");
    CHECK(settled_state(rig.order(alice, second)["state"].as_string()));
}

TEST_CASE("cash rounding: what is due in cash is rounded and the difference recorded", "[payments][flow]") {
    SalesRig rig(Backend::sqlite, 5);
    auto alice = rig.login("alice", "1111");
    rig.open_register(alice);
    auto order = rig.sale(alice, 1002);
    auto r = rig.pay(alice, order, payment("cash", 1002, new_key()));
    INFO(r.text);
    REQUIRE(r.status == 201);
    CHECK(r.body["amount_minor"].as_int() == 1002);
    CHECK(r.body["due_minor"].as_int() == 1000);
    CHECK(r.body["rounding_minor"].as_int() == -2);
    CHECK(r.body["approved_minor"].as_int() == 1000);
    CHECK(r.body["change_minor"].as_int() == 0);
    CHECK(r.body["order_settled"].as_bool());

    // The drawer's tender total is what went in; the order is paid in full.
    std::vector<domain::TenderTotals> totals;
    REQUIRE(rig.fixture().db().transaction([&](sdk::SqlExecutor& tx) -> sdk::Status {
                auto t = rig.payments().tender_totals(tx, r.body["session_id"].as_string());
                if (!t) return t.status();
                totals = *t;
                return {};
            }).ok());
    REQUIRE(totals.size() == 1);
    CHECK(totals[0].method_id == "cash");
    CHECK(totals[0].sales_minor == 1000);
    CHECK(remaining(rig, alice, order) == 0);

    // A card pays the exact amount.
    auto second = rig.sale(alice, 1003);
    auto card = rig.pay(alice, second, payment("fixture_card", 1003, new_key()));
    REQUIRE(card.status == 201);
    CHECK(card.body["rounding_minor"].as_int() == 0);
}

TEST_CASE("declined is 402 with the message, the order can still be paid", "[payments][flow]") {
    SalesRig rig;
    auto alice = rig.login("alice", "1111");
    rig.open_register(alice);
    auto order = rig.sale(alice, 1013);
    auto key = new_key();
    auto r = rig.pay(alice, order, payment("fixture_card", 1013, key));
    INFO(r.text);
    REQUIRE(r.status == 402);
    CHECK(r.body["code"].as_string() == "payment_declined");
    CHECK(r.body["detail"].as_string().find("insufficient funds") != std::string::npos);
    CHECK(r.body["payment"]["status"].as_string() == "declined");
    CHECK(has_topic(rig, "payment.declined"));
    // The same key gives the same answer without asking the provider again.
    CHECK(rig.pay(alice, order, payment("fixture_card", 1013, key)).status == 402);
    CHECK(test::fixture_calls(rig.fixture().db(), "sale", key) == 1);
    CHECK(remaining(rig, alice, order) == 1013);
    REQUIRE(rig.pay(alice, order, payment("cash", 1013, new_key())).status == 201);
}

TEST_CASE("uncertain is 202, the same key then asks query_status and never charges twice", "[payments][flow]") {
    SalesRig rig;
    auto alice = rig.login("alice", "1111");
    rig.open_register(alice);

    // The provider charged but the answer was lost.
    auto order = rig.sale(alice, 1017);
    auto key = new_key();
    auto r = rig.pay(alice, order, payment("fixture_card", 1017, key));
    INFO(r.text);
    REQUIRE(r.status == 202);
    CHECK(r.body["status"].as_string() == "uncertain");
    CHECK(r.body["hint"].as_string().find("same idempotency_key") != std::string::npos);
    CHECK(has_topic(rig, "payment.uncertain"));
    // While uncertain it holds its amount: nothing more can be paid over it.
    CHECK(rig.pay(alice, order, payment("fixture_card", 1, new_key())).status == 409);
    auto again = rig.pay(alice, order, payment("fixture_card", 1017, key));
    INFO(again.text);
    REQUIRE(again.status == 200);
    CHECK(again.body["status"].as_string() == "approved");
    CHECK(again.body["payment_id"] == r.body["payment_id"]);
    CHECK(again.body["order_settled"].as_bool());
    CHECK(test::fixture_calls(rig.fixture().db(), "sale", key) == 1);
    CHECK(test::fixture_calls(rig.fixture().db(), "query", key) == 1);

    // The provider never saw it: query_status says so, then the sale is made.
    auto second = rig.sale(alice, 1019);
    auto key2 = new_key();
    REQUIRE(rig.pay(alice, second, payment("fixture_card", 1019, key2)).status == 202);
    auto retried = rig.pay(alice, second, payment("fixture_card", 1019, key2));
    INFO(retried.text);
    REQUIRE(retried.status == 200);
    CHECK(retried.body["status"].as_string() == "approved");
    CHECK(test::fixture_calls(rig.fixture().db(), "query", key2) == 1);
    CHECK(test::fixture_calls(rig.fixture().db(), "sale", key2) == 2);
    CHECK(settled_state(rig.order(alice, second)["state"].as_string()));
}

TEST_CASE("payments need an open register on the caller's terminal and a running method", "[payments][flow]") {
    SalesRig rig;
    auto alice = rig.login("alice", "1111");
    rig.open_register(alice);
    auto order = rig.sale(alice, 1000);

    auto elsewhere = rig.login("alice", "1111", "T2");
    auto closed = rig.pay(elsewhere, order, payment("cash", 1000, new_key()));
    CHECK(closed.status == 409);
    CHECK(closed.body["detail"].as_string() == "register T2 has no open session; open it first");

    auto missing = rig.pay(alice, order, payment("no_such_method", 1000, new_key()));
    CHECK(missing.status == 503);

    CHECK(rig.pay("", order, payment("cash", 1000, new_key())).status == 401);
    auto bad = payment("cash", 1000, new_key());
    bad.set("surprise", 1);
    auto unknown = rig.pay(alice, order, bad);
    CHECK(unknown.status == 422);
    CHECK(json_path(unknown) == "$.surprise");
    auto negative = rig.pay(alice, order, payment("cash", -5, new_key()));
    CHECK(negative.status == 422);
    CHECK(json_path(negative) == "$.amount_minor");
    auto no_key = payment("cash", 1000, "");
    CHECK(json_path(rig.pay(alice, order, no_key)) == "$.idempotency_key");
    CHECK(rig.pay(alice, "no-such-order", payment("cash", 1000, new_key())).status == 404);

    auto methods = rig.call("GET", "/api/v1/payment-methods", alice);
    REQUIRE(methods.status == 200);
    bool cash_seen = false;
    for (const auto& m : methods.body["items"].as_list())
        if (m["method_id"].as_string() == "cash") {
            cash_seen = true;
            CHECK(m["capabilities"]["gives_change"].as_bool());
        }
    CHECK(cash_seen);
}

TEST_CASE("a return is paid back to the original tender", "[payments][refunds]") {
    SalesRig rig;
    auto alice = rig.login("alice", "1111");
    rig.open_register(alice);
    auto sale = rig.sale(alice, 1000);
    auto card = rig.pay(alice, sale, payment("fixture_card", 1000, new_key()));
    REQUIRE(card.status == 201);

    auto ret = rig.return_of(alice, sale);
    CHECK(remaining(rig, alice, ret) == -1000);
    // More than owed is refused.
    CHECK(rig.pay(alice, ret, payment("fixture_card", 1100, new_key())).status == 422);
    auto refund = rig.pay(alice, ret, payment("fixture_card", 1000, new_key()));
    INFO(refund.text);
    REQUIRE(refund.status == 201);
    CHECK(refund.body["kind"].as_string() == "refund");
    CHECK(refund.body["original_payment_id"] == card.body["payment_id"]);
    CHECK(refund.body["order_settled"].as_bool());
    CHECK(test::fixture_calls(rig.fixture().db(), "refund") == 1);
    CHECK(has_topic(rig, "payment.refunded"));
    CHECK(remaining(rig, alice, ret) == 0);
}

TEST_CASE("paying a return out to another tender needs refund.other_tender", "[payments][refunds]") {
    SalesRig rig;
    auto alice = rig.login("alice", "1111");
    rig.open_register(alice);
    auto sale = rig.sale(alice, 1000);
    REQUIRE(rig.pay(alice, sale, payment("fixture_card", 1000, new_key())).status == 201);
    auto ret = rig.return_of(alice, sale);

    auto body = payment("cash", 1000, new_key());
    auto refused = rig.pay(alice, ret, body);
    INFO(refused.text);
    CHECK(refused.status == 403);
    CHECK(refused.body["code"].as_string() == "override_required");
    CHECK(remaining(rig, alice, ret) == -1000);

    auto token = rig.override_token(alice, "refund.other_tender");
    auto allowed = rig.pay(alice, ret, body, {{"X-Till-Override", token}});
    INFO(allowed.text);
    REQUIRE(allowed.status == 201);
    CHECK(allowed.body["kind"].as_string() == "refund");
    CHECK(allowed.body["original_payment_id"].is_null());
    CHECK_FALSE(allowed.body["authorized_by"].is_null());
    CHECK(allowed.body["order_settled"].as_bool());

    auto audit = rig.fixture().db().query("SELECT COUNT(*) FROM audit_log WHERE action = 'refund.other_tender'");
    REQUIRE(audit.ok());
    CHECK(audit->rows[0][0].as_int() == 1);
}

TEST_CASE("voiding a payment before the order settles needs order.void and frees the amount", "[payments][void]") {
    SalesRig rig;
    auto alice = rig.login("alice", "1111");
    rig.open_register(alice);
    auto order = rig.sale(alice, 1000);
    auto card = rig.pay(alice, order, payment("fixture_card", 400, new_key()));
    REQUIRE(card.status == 201);
    const std::string path = "/api/v1/payments/" + card.body["payment_id"].as_string() + "/void";

    auto refused = rig.call("POST", path, alice);
    CHECK(refused.status == 403);
    auto token = rig.override_token(alice, "order.void");
    Value reason = Value::map();
    reason.set("reason", "wrong card");
    auto voided = rig.call("POST", path, alice, reason, {{"X-Till-Override", token}});
    INFO(voided.text);
    REQUIRE(voided.status == 200);
    CHECK(voided.body["status"].as_string() == "voided");
    CHECK(test::fixture_calls(rig.fixture().db(), "void") == 1);
    CHECK(remaining(rig, alice, order) == 1000);
    CHECK(has_topic(rig, "payment.voided"));

    auto bob = rig.login("bob", "2222");
    auto twice = rig.call("POST", path, bob);
    CHECK(twice.status == 200);
    CHECK(test::fixture_calls(rig.fixture().db(), "void") == 1);

    // Once the order is settled, a payment is given back with a return instead.
    auto cash = rig.pay(alice, order, payment("cash", 1000, new_key()));
    REQUIRE(cash.status == 201);
    auto late = rig.call("POST", "/api/v1/payments/" + cash.body["payment_id"].as_string() + "/void", bob);
    CHECK(late.status == 409);
    auto still = rig.call("GET", "/api/v1/payments/" + cash.body["payment_id"].as_string(), bob);
    CHECK(still.body["status"].as_string() == "approved");
}

// Review finding: the orders module voids an order whatever was paid on it;
// a voided order cannot be returned, so its approved payments must still be
// voidable or the customer's money is stuck.
TEST_CASE("a payment on an order voided afterwards can still be voided", "[payments][void][review]") {
    SalesRig rig;
    auto alice = rig.login("alice", "1111");
    auto bob = rig.login("bob", "2222");
    rig.open_register(alice);
    auto order = rig.sale(alice, 1000);
    auto card = rig.pay(alice, order, payment("fixture_card", 400, new_key()));
    REQUIRE(card.status == 201);

    Value void_body = Value::map();
    void_body.set("expected_version", rig.order(bob, order)["version"].as_int());
    void_body.set("reason", "customer walked away");
    auto voided_order = rig.call("POST", "/api/v1/orders/" + order + "/void", bob, void_body);
    INFO(voided_order.text);
    REQUIRE(voided_order.status == 200);
    REQUIRE(rig.order(bob, order)["state"].as_string() == "voided");

    // It takes no payment any more...
    CHECK(rig.pay(alice, order, payment("cash", 600, new_key())).status == 409);
    // ...but what was taken can be given back.
    auto back = rig.call("POST", "/api/v1/payments/" + card.body["payment_id"].as_string() + "/void", bob);
    INFO(back.text);
    REQUIRE(back.status == 200);
    CHECK(back.body["status"].as_string() == "voided");
    CHECK(test::fixture_calls(rig.fixture().db(), "void") == 1);
}

// Review finding: a cash tip was left out of the change, so the drawer came
// up short by the tip the register expects.
TEST_CASE("a cash tip is kept out of the change and the drawer balances", "[payments][cash][review]") {
    SalesRig rig;
    auto alice = rig.login("alice", "1111");
    rig.open_register(alice, "T1", 10000);
    auto order = rig.sale(alice, 1000);
    auto body = payment("cash", 1000, new_key());
    body.set("tendered_minor", 1500);
    body.set("tip_minor", 200);
    auto r = rig.pay(alice, order, body);
    INFO(r.text);
    REQUIRE(r.status == 201);
    CHECK(r.body["change_minor"].as_int() == 300);

    auto x = rig.call("GET", "/api/v1/registers/T1/x-report", alice);
    INFO(x.text);
    REQUIRE(x.status == 200);
    // float + what stayed in the drawer (tendered − change)
    CHECK(x.body["expected_cash_minor"].as_int() == 10000 + 1500 - 300);
}

// Review finding: a void was sent to the method with the key
// "<payment key>:void", which a client may have used as a payment key of its
// own; the provider then answered the void with that payment's result and no
// void happened. Void keys are now the node's own ("till:" prefix, refused
// from clients).
TEST_CASE("a void's key never meets a client's payment key", "[payments][void][review]") {
    SalesRig rig;
    auto alice = rig.login("alice", "1111");
    auto bob = rig.login("bob", "2222");
    rig.open_register(alice);
    auto first = rig.sale(alice, 1000);
    auto second = rig.sale(alice, 1000);
    const std::string key = new_key();
    auto paid = rig.pay(alice, first, payment("cash", 400, key));
    REQUIRE(paid.status == 201);
    auto clash = rig.pay(alice, second, payment("cash", 300, key + ":void"));
    REQUIRE(clash.status == 201);

    auto voided = rig.call("POST", "/api/v1/payments/" + paid.body["payment_id"].as_string() + "/void", bob);
    INFO(voided.text);
    REQUIRE(voided.status == 200);
    auto rows = rig.fixture().db().query(
        "SELECT COUNT(*) FROM payment_cash_requests WHERE operation = 'void' AND amount_minor = 400");
    REQUIRE(rows.ok());
    CHECK(rows->rows.at(0).at(0).as_int() == 1);

    // Keys of the node's own namespace are refused from clients.
    auto reserved = rig.pay(alice, second, payment("cash", 100, "till:void:" + paid.body["payment_id"].as_string()));
    CHECK(reserved.status == 422);
    CHECK(json_path(reserved) == "$.idempotency_key");
}
