// payment_cash as a node loads it: the real built .so, its migration, its
// remembered keys (on SQLite and PostgreSQL), and the drawer it opens.
#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

#include "domain_fixture.hpp"
#include "plugin_rig.hpp"
#include "till/sdk/device.hpp"
#include "till/sdk/payment.hpp"

using namespace till;
using till::test::Backend;
using till::test::DomainFixture;
using till::test::PluginRig;

namespace {

sdk::PaymentRequest request(const std::string& key, std::int64_t amount) {
    sdk::PaymentRequest r;
    r.idempotency_key = key;
    r.order_id = "order-1";
    r.amount = sdk::Money{amount, "EUR"};
    return r;
}

bool wait_until(const std::function<bool()>& condition) {
    for (int i = 0; i < 2500; ++i) {
        if (condition()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    return condition();
}

std::int64_t remembered(sdk::Storage& db) {
    auto r = db.query("SELECT COUNT(*) FROM payment_cash_requests");
    REQUIRE(r.ok());
    return r->rows[0][0].as_int();
}

void cash_body(Backend backend) {
    DomainFixture f(backend);
    PluginRig rig(f, {"payment_cash"});
    auto cash = rig.registry().payment_method("cash");
    REQUIRE(cash);
    CHECK(cash->display_name() == "Cash");
    const auto caps = cash->capabilities();
    CHECK(caps.gives_change);
    CHECK(caps.refunds);
    CHECK(caps.voids);

    auto sale = cash->sale(request("k-1", 1250));
    CHECK(sale.outcome == sdk::PaymentOutcome::approved);
    CHECK(sale.approved.amount_minor == 1250);
    CHECK(sale.approved.currency == "EUR");
    CHECK(sale.reference == "cash:k-1");

    // The same key is the same answer, recorded once.
    auto again = cash->sale(request("k-1", 1250));
    CHECK(again.outcome == sdk::PaymentOutcome::approved);
    CHECK(again.reference == sale.reference);
    CHECK(remembered(f.db()) == 1);

    auto known = cash->query_status("k-1");
    CHECK(known.outcome == sdk::PaymentOutcome::approved);
    CHECK(known.approved.amount_minor == 1250);
    auto unknown = cash->query_status("never-sent");
    CHECK(unknown.outcome == sdk::PaymentOutcome::failed);

    auto refund_request = request("k-2", 300);
    refund_request.original_reference = sale.reference;
    auto refund = cash->refund(refund_request);
    CHECK(refund.outcome == sdk::PaymentOutcome::approved);
    CHECK(refund.approved.amount_minor == 300);
    auto voided = cash->void_payment(request("k-1:void", 1250));
    CHECK(voided.outcome == sdk::PaymentOutcome::approved);
    CHECK(remembered(f.db()) == 3);

    // Stopped: no answer that would let a cashier move money unrecorded.
    rig.stop();
    CHECK(cash->sale(request("k-3", 100)).outcome == sdk::PaymentOutcome::failed);
    CHECK(cash->query_status("k-1").outcome == sdk::PaymentOutcome::uncertain);
}

std::uint64_t drawer_openings(const sdk::Registry& registry) {
    auto drawer = std::dynamic_pointer_cast<sdk::CashDrawer>(registry.device("fixture-drawer"));
    REQUIRE(drawer);
    return drawer->statistics().operations;
}

}  // namespace

TEST_CASE("payment_cash approves and remembers keys on SQLite", "[payment_cash]") { cash_body(Backend::sqlite); }
TEST_CASE("payment_cash approves and remembers keys on PostgreSQL", "[payment_cash][postgresql]") {
    cash_body(Backend::postgresql);
}

TEST_CASE("payment_cash opens the first cash drawer after each new cash sale or refund", "[payment_cash][drawer]") {
    DomainFixture f;
    sdk::Value drawer_on = sdk::Value::map();
    drawer_on.set("drawer", true);
    PluginRig rig(f, {"fixture_payment", "payment_cash"}, {{"fixture_payment", drawer_on}});
    auto cash = rig.registry().payment_method("cash");
    REQUIRE(cash);

    REQUIRE(cash->sale(request("s-1", 500)).outcome == sdk::PaymentOutcome::approved);
    REQUIRE(wait_until([&] { return drawer_openings(rig.registry()) == 1; }));
    // A repeated key moves no money: no opening for it. The next sale's
    // opening comes after it would have, so the count proves it.
    REQUIRE(cash->sale(request("s-1", 500)).outcome == sdk::PaymentOutcome::approved);
    REQUIRE(cash->refund(request("r-1", 200)).outcome == sdk::PaymentOutcome::approved);
    REQUIRE(wait_until([&] { return drawer_openings(rig.registry()) >= 2; }));
    // A void hands the notes back from the open drawer: no new opening.
    REQUIRE(cash->void_payment(request("s-1:void", 500)).outcome == sdk::PaymentOutcome::approved);
    REQUIRE(cash->sale(request("s-2", 700)).outcome == sdk::PaymentOutcome::approved);
    REQUIRE(wait_until([&] { return drawer_openings(rig.registry()) >= 3; }));
    CHECK(drawer_openings(rig.registry()) == 3);
}

TEST_CASE("payment_cash with a drawer id that is not registered still takes cash", "[payment_cash][drawer]") {
    DomainFixture f;
    sdk::Value config = sdk::Value::map();
    config.set("drawer_device_id", "no-such-drawer");
    config.set("display_name", "Bar");
    sdk::Value drawer_on = sdk::Value::map();
    drawer_on.set("drawer", true);
    PluginRig rig(f, {"fixture_payment", "payment_cash"}, {{"payment_cash", config}, {"fixture_payment", drawer_on}});
    auto cash = rig.registry().payment_method("cash");
    REQUIRE(cash);
    CHECK(cash->display_name() == "Bar");
    CHECK(cash->sale(request("s-1", 500)).outcome == sdk::PaymentOutcome::approved);
    // The named drawer is missing: the fixture drawer is left alone.
    CHECK(cash->sale(request("s-2", 500)).outcome == sdk::PaymentOutcome::approved);
    CHECK(drawer_openings(rig.registry()) == 0);
}

// Review finding: a remembered key answered any later request with its first
// result, so a void (or refund) whose key met an earlier sale's key was
// "approved" without any money moving.
TEST_CASE("payment_cash refuses a key reused for another operation, order or amount", "[payment_cash][review]") {
    DomainFixture f;
    PluginRig rig(f, {"payment_cash"});
    auto cash = rig.registry().payment_method("cash");
    REQUIRE(cash);
    REQUIRE(cash->sale(request("k-9", 100)).outcome == sdk::PaymentOutcome::approved);
    CHECK(cash->sale(request("k-9", 100)).outcome == sdk::PaymentOutcome::approved);  // a true retry
    CHECK(cash->refund(request("k-9", 100)).outcome == sdk::PaymentOutcome::failed);
    CHECK(cash->void_payment(request("k-9", 100)).outcome == sdk::PaymentOutcome::failed);
    CHECK(cash->sale(request("k-9", 200)).outcome == sdk::PaymentOutcome::failed);
    auto other_order = request("k-9", 100);
    other_order.order_id = "order-2";
    CHECK(cash->sale(other_order).outcome == sdk::PaymentOutcome::failed);
    CHECK(remembered(f.db()) == 1);
}
