// The order HQ receives when a payment settles it (docs/sync.md): the `sale`
// (or `refund`) change carries the order as GET /api/v1/orders/{id} shows it
// with "payments" as GET /api/v1/orders/{id}/payments lists them — the
// settling payment included, since it is written in the same transaction.
// Over real HTTP with the real modules and plugins; the rig records what is
// appended (RecordingReplication, rows in the same database).
#include <catch2/catch.hpp>

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

Value without_payments(Value v) {
    v.set("payments", Value::list());
    // What the replicated order adds to the API's (docs/domain/orders.md).
    for (const char* key : {"gross_minor", "discount_minor", "tax_minor", "total_minor", "settled_session_id"})
        v.mutable_map().erase(key);
    return v;
}

void split_tender_sale_carries_its_payments(Backend backend) {
    SalesRig rig(backend);
    auto alice = rig.login("alice", "1111");
    rig.open_register(alice);
    auto order = rig.sale(alice, 1000);
    REQUIRE(rig.pay(alice, order, payment("fixture_card", 400, new_key())).status == 201);
    CHECK(rig.replication().committed("sale").empty());  // not settled yet
    auto cash = rig.pay(alice, order, payment("cash", 1000, new_key()));
    INFO(cash.text);
    REQUIRE(cash.status == 201);
    REQUIRE(cash.body["order_settled"].as_bool());

    auto sales = rig.replication().committed("sale");
    REQUIRE(sales.size() == 1);
    const auto& change = sales.front();
    CHECK(change.entity_id == order);
    CHECK_FALSE(change.high_priority);
    CHECK(change.payload["total_minor"].as_int() == 1000);
    CHECK(change.payload["settled_session_id"] == cash.body["session_id"]);
    CHECK(without_payments(change.payload) == without_payments(rig.order(alice, order)));
    auto listed = rig.call("GET", "/api/v1/orders/" + order + "/payments", alice);
    REQUIRE(listed.status == 200);
    CHECK(change.payload["payments"] == listed.body["items"]);
    REQUIRE(change.payload["payments"].size() == 2);
    const auto& last = change.payload["payments"].as_list()[1];
    CHECK(last["payment_id"] == cash.body["payment_id"]);
    CHECK(last["status"].as_string() == "approved");
    CHECK(last["change_minor"].as_int() == 400);
}

}  // namespace

TEST_CASE("a sale settled by two tenders is sent once, with both payments (SQLite)", "[payments][replication]") {
    split_tender_sale_carries_its_payments(Backend::sqlite);
}
TEST_CASE("a sale settled by two tenders is sent once, with both payments (PostgreSQL)",
          "[payments][replication][postgresql]") {
    split_tender_sale_carries_its_payments(Backend::postgresql);
}

TEST_CASE("a refunded return is sent once with its refund payment, pushed at once", "[payments][replication]") {
    SalesRig rig;
    auto alice = rig.login("alice", "1111");
    rig.open_register(alice);
    auto sale = rig.sale(alice, 1000);
    REQUIRE(rig.pay(alice, sale, payment("cash", 1000, new_key())).status == 201);
    auto ret = rig.return_of(alice, sale);
    const int wakeups = rig.replication().high_priority_wakeups();
    auto refund = rig.pay(alice, ret, payment("cash", 1000, new_key()));
    INFO(refund.text);
    REQUIRE(refund.status == 201);
    REQUIRE(refund.body["order_settled"].as_bool());

    auto refunds = rig.replication().committed("refund");
    REQUIRE(refunds.size() == 1);
    CHECK(refunds.front().entity_id == ret);
    CHECK(refunds.front().high_priority);
    CHECK(refunds.front().payload["original_order_id"].as_string() == sale);
    CHECK(refunds.front().payload["total_minor"].as_int() == -1000);
    REQUIRE(refunds.front().payload["payments"].size() == 1);
    CHECK(refunds.front().payload["payments"].as_list()[0]["kind"].as_string() == "refund");
    CHECK(refunds.front().payload["payments"].as_list()[0]["payment_id"] == refund.body["payment_id"]);
    CHECK(rig.replication().high_priority_wakeups() == wakeups + 1);
    CHECK(rig.replication().committed("sale").size() == 1);
}

TEST_CASE("when the sale cannot be appended the payment is kept but the order does not settle",
          "[payments][replication]") {
    SalesRig rig;
    auto alice = rig.login("alice", "1111");
    rig.open_register(alice);
    auto order = rig.sale(alice, 1000);
    rig.replication().fail_appends("sale");
    auto paid = rig.pay(alice, order, payment("cash", 1000, new_key()));
    INFO(paid.text);
    // The money moved: the payment is recorded (as with any settle failure),
    // flagged, and the order stays unsettled with nothing sent.
    REQUIRE(paid.status == 201);
    CHECK_FALSE(paid.body["order_settled"].as_bool());
    CHECK(paid.body["settle_problem"].as_string().find("storage_error") == 0);
    CHECK(rig.order(alice, order)["state"].as_string() == "submitted");
    CHECK(rig.replication().committed("sale").empty());
    CHECK(rig.replication().refused_appends() == 1);
}
