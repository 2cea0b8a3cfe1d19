// Open attempts resolved without the client: the background resolver and
// POST /api/v1/payments/{payment_id}/resolve ask the method's query_status
// (never sale again) and record the answer as a resend would. Real HTTP, the
// real fixture_payment plugin ("fixture_card": 17 = the answer was lost but
// the provider charged; 19 = lost and the provider never saw it), SQLite and
// PostgreSQL.
#include <catch2/catch.hpp>

#include <algorithm>
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

domain::payments::ResolverSettings resolver(std::int64_t interval_ms, std::int64_t grace_ms) {
    domain::payments::ResolverSettings s;
    s.interval_ms = interval_ms;
    s.grace_ms = grace_ms;
    s.max_per_round = 2;  // several rounds for three attempts: the cursor goes on
    return s;
}

Value get_payment(SalesRig& rig, const std::string& token, const std::string& payment_id) {
    auto r = rig.call("GET", "/api/v1/payments/" + payment_id, token);
    INFO(r.text);
    REQUIRE(r.status == 200);
    return r.body;
}

bool settled_state(const std::string& state) { return state == "paid" || state == "closed"; }

std::int64_t count_topic(SalesRig& rig, const std::string& topic) {
    auto t = rig.fixture().topics();
    return std::count(t.begin(), t.end(), topic);
}

std::vector<std::string> statuses(const Value& payment) {
    std::vector<std::string> out;
    for (const auto& e : payment["events"].as_list()) out.push_back(e["status"].as_string());
    return out;
}

// An uncertain card payment on a fresh order of `amount`; returns {order, key, payment_id}.
struct Lost {
    std::string order_id, key, payment_id;
};
Lost lost_answer(SalesRig& rig, const std::string& token, std::int64_t amount) {
    Lost l;
    l.order_id = rig.sale(token, amount);
    l.key = new_key();
    auto r = rig.pay(token, l.order_id, payment("fixture_card", amount, l.key));
    INFO(r.text);
    REQUIRE(r.status == 202);
    l.payment_id = r.body["payment_id"].as_string();
    return l;
}

void resolver_settles_without_second_charge(Backend backend) {
    SalesRig rig(backend, 0, {}, resolver(20, 0));
    auto alice = rig.login("alice", "1111");
    auto bob = rig.login("bob", "2222");
    rig.open_register(alice, "T1", 0);
    // The till's app "crashed" after these: nobody sends them again.
    auto charged = lost_answer(rig, alice, 1017);
    auto charged_too = lost_answer(rig, alice, 2017);
    auto never_seen = lost_answer(rig, alice, 1019);

    REQUIRE(rig.payments().start_resolver().ok());
    CHECK(rig.payments().start_resolver().error().code == "invalid_state");
    std::string a, b, c;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    for (int i = 0; i < 4000 && std::chrono::steady_clock::now() < deadline; ++i) {
        a = get_payment(rig, alice, charged.payment_id)["status"].as_string();
        b = get_payment(rig, alice, charged_too.payment_id)["status"].as_string();
        c = get_payment(rig, alice, never_seen.payment_id)["status"].as_string();
        if (a == "approved" && b == "approved" && c == "failed") break;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    rig.payments().stop();
    REQUIRE(a == "approved");
    REQUIRE(b == "approved");
    REQUIRE(c == "failed");

    // Charged once, settled, recorded as the resolver's doing.
    auto& db = rig.fixture().db();
    CHECK(test::fixture_calls(db, "sale", charged.key) == 1);
    CHECK(test::fixture_calls(db, "sale", charged_too.key) == 1);
    CHECK(test::fixture_calls(db, "query", charged.key) >= 1);
    CHECK(settled_state(rig.order(alice, charged.order_id)["state"].as_string()));
    CHECK(settled_state(rig.order(alice, charged_too.order_id)["state"].as_string()));
    auto history = get_payment(rig, alice, charged.payment_id);
    CHECK(statuses(history) == std::vector<std::string>{"pending", "uncertain", "approved"});
    CHECK(history["events"].as_list().back()["user_id"].as_string() == domain::payments::kResolverUserId);
    CHECK(count_topic(rig, "payment.recorded") == 2);

    // Never seen by the provider: recorded failed, and never sent again.
    CHECK(test::fixture_calls(db, "sale", never_seen.key) == 1);
    CHECK_FALSE(settled_state(rig.order(alice, never_seen.order_id)["state"].as_string()));

    // Nothing is left open on the register; the X report has both card sales.
    auto x = rig.call("GET", "/api/v1/registers/T1/x-report", bob);
    REQUIRE(x.status == 200);
    for (const auto& t : x.body["tenders"].as_list()) {
        CHECK(t["pending_count"].as_int() == 0);
        if (t["method_id"].as_string() == "fixture_card") CHECK(t["sales_minor"].as_int() == 1017 + 2017);
    }

    // A late resend answers from the ledger, without asking anyone.
    const auto queries = test::fixture_calls(db, "query", charged.key);
    auto late = rig.pay(alice, charged.order_id, payment("fixture_card", 1017, charged.key));
    INFO(late.text);
    CHECK(late.status == 200);
    CHECK(late.body["status"].as_string() == "approved");
    CHECK_FALSE(late.body["order_settled"].as_bool());
    CHECK(test::fixture_calls(db, "query", charged.key) == queries);
    CHECK(test::fixture_calls(db, "sale", charged.key) == 1);
    auto late_failed = rig.pay(alice, never_seen.order_id, payment("fixture_card", 1019, never_seen.key));
    CHECK(late_failed.status == 503);
    CHECK(test::fixture_calls(db, "sale", never_seen.key) == 1);
}

void resend_and_resolver_record_one_outcome(Backend backend) {
    SalesRig rig(backend, 0, {}, resolver(1, 0));
    auto alice = rig.login("alice", "1111");
    rig.open_register(alice, "T1", 0);
    std::vector<Lost> lost;
    for (int i = 0; i < 4; ++i) lost.push_back(lost_answer(rig, alice, 1017 + 100 * i));

    // The resolver thread, explicit rounds, the resolve route and client
    // resends, all at once.
    REQUIRE(rig.payments().start_resolver().ok());
    std::vector<std::thread> threads;
    std::vector<int> resend_status(lost.size() * 2, 0), resolve_status(lost.size(), 0);
    for (std::size_t i = 0; i < lost.size(); ++i) {
        for (int j = 0; j < 2; ++j)
            threads.emplace_back([&, i, j] {
                resend_status[i * 2 + static_cast<std::size_t>(j)] =
                    rig.pay(alice, lost[i].order_id, payment("fixture_card", 1017 + 100 * static_cast<int>(i), lost[i].key))
                        .status;
            });
        threads.emplace_back(
            [&, i] { resolve_status[i] = rig.call("POST", "/api/v1/payments/" + lost[i].payment_id + "/resolve", alice).status; });
    }
    threads.emplace_back([&] {
        for (int k = 0; k < 5; ++k) (void)rig.payments().resolve_open_payments();
    });
    for (auto& t : threads) t.join();
    rig.payments().stop();

    for (int s : resend_status) CHECK(s == 200);
    for (int s : resolve_status) CHECK(s == 200);
    for (const auto& l : lost) {
        auto history = get_payment(rig, alice, l.payment_id);
        CHECK(statuses(history) == std::vector<std::string>{"pending", "uncertain", "approved"});
        CHECK(test::fixture_calls(rig.fixture().db(), "sale", l.key) == 1);
        CHECK(settled_state(rig.order(alice, l.order_id)["state"].as_string()));
    }
    CHECK(count_topic(rig, "payment.recorded") == static_cast<std::int64_t>(lost.size()));
}

}  // namespace

TEST_CASE("the resolver settles an order whose card answer was lost, charging once (SQLite)",
          "[payments][resolver]") {
    resolver_settles_without_second_charge(Backend::sqlite);
}

TEST_CASE("the resolver settles an order whose card answer was lost, charging once (PostgreSQL)",
          "[payments][resolver][postgresql]") {
    resolver_settles_without_second_charge(Backend::postgresql);
}

TEST_CASE("a client resend racing the resolver and the resolve route records one outcome (SQLite)",
          "[payments][resolver]") {
    resend_and_resolver_record_one_outcome(Backend::sqlite);
}

TEST_CASE("a client resend racing the resolver and the resolve route records one outcome (PostgreSQL)",
          "[payments][resolver][postgresql]") {
    resend_and_resolver_record_one_outcome(Backend::postgresql);
}

TEST_CASE("a resolver round leaves attempts younger than the grace period alone", "[payments][resolver]") {
    SalesRig rig(Backend::sqlite, 0, {}, resolver(15000, 60000));
    auto alice = rig.login("alice", "1111");
    rig.open_register(alice, "T1", 0);
    auto lost = lost_answer(rig, alice, 1017);

    CHECK(rig.payments().resolve_open_payments() == 0);
    CHECK(test::fixture_calls(rig.fixture().db(), "query", lost.key) == 0);
    CHECK(get_payment(rig, alice, lost.payment_id)["status"].as_string() == "uncertain");

    rig.fixture().clock().advance_ms(60000);
    CHECK(rig.payments().resolve_open_payments() == 1);
    CHECK(get_payment(rig, alice, lost.payment_id)["status"].as_string() == "approved");
    CHECK(settled_state(rig.order(alice, lost.order_id)["state"].as_string()));
    CHECK(rig.payments().resolve_open_payments() == 0);  // nothing left
    CHECK(test::fixture_calls(rig.fixture().db(), "sale", lost.key) == 1);
}

TEST_CASE("POST /payments/{id}/resolve asks the method now and answers the outcome", "[payments][resolver]") {
    SalesRig rig(Backend::sqlite, 0, {}, resolver(15000, 60000));
    auto alice = rig.login("alice", "1111");
    rig.open_register(alice, "T1", 0);
    auto lost = lost_answer(rig, alice, 1017);
    const std::string path = "/api/v1/payments/" + lost.payment_id + "/resolve";

    CHECK(rig.call("POST", path, "").status == 401);
    auto bad = rig.call("POST", path, alice, Value(Value::Map{{"amount_minor", Value(1)}}));
    CHECK(bad.status == 422);
    auto missing = rig.call("POST", "/api/v1/payments/no-such-payment/resolve", alice);
    CHECK(missing.status == 404);

    // Uncertain: asked at once, whatever its age.
    auto resolved = rig.call("POST", path, alice);
    INFO(resolved.text);
    REQUIRE(resolved.status == 200);
    CHECK(resolved.body["status"].as_string() == "approved");
    CHECK(resolved.body["order_settled"].as_bool());
    auto again = rig.call("POST", path, alice, Value::map());
    INFO(again.text);
    REQUIRE(again.status == 200);
    CHECK_FALSE(again.body["order_settled"].as_bool());
    CHECK(statuses(get_payment(rig, alice, lost.payment_id)) == std::vector<std::string>{"pending", "uncertain", "approved"});
    CHECK(test::fixture_calls(rig.fixture().db(), "sale", lost.key) == 1);

    // A pending attempt (its till died before the method answered), written
    // straight into the ledger. The provider never saw its key: while it is
    // young that may mean "not yet", so nothing is recorded; once older than
    // the grace period it is failed — and never sent to the provider.
    auto order = rig.sale(alice, 1000);
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
    auto session = rig.call("GET", "/api/v1/registers/T1/sessions/current", alice);
    REQUIRE(session.status == 200);
    record.session_id = session.body["session_id"].as_string();
    record.terminal_id = "T1";
    record.user_id = "crashed-till";
    record.created_utc_ms = rig.fixture().clock().now_utc_ms();
    REQUIRE(rig.fixture().db().transaction([&](sdk::SqlExecutor& tx) { return ledger.insert(tx, record); }).ok());
    const std::string pending_path = "/api/v1/payments/" + record.payment_id + "/resolve";

    auto young = rig.call("POST", pending_path, alice);
    INFO(young.text);
    CHECK(young.status == 202);
    CHECK(young.body["status"].as_string() == "pending");
    rig.fixture().clock().advance_ms(60000);
    auto old = rig.call("POST", pending_path, alice);
    INFO(old.text);
    CHECK(old.status == 503);
    CHECK(old.body["payment"]["status"].as_string() == "failed");
    CHECK(test::fixture_calls(rig.fixture().db(), "sale", record.idempotency_key) == 0);
    CHECK(test::fixture_calls(rig.fixture().db(), "query", record.idempotency_key) == 2);
}
