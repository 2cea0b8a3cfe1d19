// kill -9 of the terminal in the middle of a transaction, then a restart on
// the same port with its state file: query_status tells what happened, and
// the same key never charges twice.
#include <catch2/catch.hpp>

#include <future>

#include "card_rig.hpp"

using namespace till;
using namespace till::test::card;
using sdk::PaymentOutcome;

TEST_CASE("killed before the customer paid: status says never seen, the retry charges once",
          "[payment_card][restart]") {
    CardRig r(/*response_timeout_ms=*/20000);
    r.sim.hang_next(1);  // the customer has not presented the card yet
    auto pending = std::async(std::launch::async, [&] { return r.card->sale(card_request("h-1", 900)); });
    REQUIRE(eventually([&] { return r.sim.status("h-1")["result"].as_string() == "in_progress"; }));
    // Meanwhile the node asks: still working on it, not "never seen".
    CHECK(r.card->query_status("h-1").outcome == PaymentOutcome::uncertain);
    r.sim.kill9();
    const auto lost = pending.get();
    INFO(lost.message);
    CHECK(lost.outcome == PaymentOutcome::uncertain);

    r.sim.restart();
    CHECK(r.card->query_status("h-1").outcome == PaymentOutcome::failed);  // nothing was charged
    auto retried = r.card->sale(card_request("h-1", 900));
    CHECK(retried.outcome == PaymentOutcome::approved);
    CHECK(r.card->sale(card_request("h-1", 900)).reference == retried.reference);
    CHECK(r.sim.totals()["sales_count"].as_int() == 1);
}

TEST_CASE("killed after the charge, before the answer: status after the restart says approved",
          "[payment_card][restart]") {
    CardRig r(/*response_timeout_ms=*/20000);
    // Test card "timeout": the terminal charges, saves the outcome and withholds the answer.
    auto pending = std::async(std::launch::async, [&] { return r.card->sale(card_request("k9-1", 2002)); });
    REQUIRE(eventually([&] { return r.sim.status("k9-1")["result"].as_string() == "approved"; }));
    r.sim.kill9();
    CHECK(pending.get().outcome == PaymentOutcome::uncertain);

    r.sim.restart();
    auto status = r.card->query_status("k9-1");
    CHECK(status.outcome == PaymentOutcome::approved);
    CHECK(status.approved.amount_minor == 2002);
    auto resent = r.card->sale(card_request("k9-1", 2002));
    CHECK(resent.outcome == PaymentOutcome::approved);
    CHECK(resent.reference == status.reference);
    const auto totals = r.sim.totals();
    CHECK(totals["sales_count"].as_int() == 1);
    CHECK(totals["sales_minor"].as_int() == 2002);
}

TEST_CASE("a hung transaction released while the plugin waits is approved once", "[payment_card][restart]") {
    CardRig r(/*response_timeout_ms=*/20000);
    r.sim.hang_next(1);
    auto pending = std::async(std::launch::async, [&] { return r.card->sale(card_request("rel-1", 450)); });
    REQUIRE(eventually([&] { return r.sim.status("rel-1")["result"].as_string() == "in_progress"; }));
    r.sim.release();
    auto done = pending.get();
    CHECK(done.outcome == PaymentOutcome::approved);
    CHECK(r.card->query_status("rel-1").reference == done.reference);
}
