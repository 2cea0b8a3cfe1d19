// Every outcome of a card sale through the real plugin and the simulator:
// approve, decline, partial approval, tips, a lost answer (timeout and
// disconnect) resolved by status without a second charge, an unreachable
// terminal, a reused key.
#include <catch2/catch.hpp>

#include "card_rig.hpp"

using namespace till;
using namespace till::test::card;
using sdk::PaymentOutcome;

TEST_CASE("a card sale is approved, declined or partially approved by the test card", "[payment_card]") {
    CardRig r;
    const auto caps = r.card->capabilities();
    CHECK(caps.refunds);
    CHECK(caps.voids);
    CHECK(caps.partial_approval);
    CHECK(caps.tips);
    CHECK_FALSE(caps.gives_change);
    CHECK(r.card->display_name() == "Card");

    auto ok = r.card->sale(card_request("s-approve", 1250));
    INFO(ok.message);
    CHECK(ok.outcome == PaymentOutcome::approved);
    CHECK(ok.approved.amount_minor == 1250);
    CHECK(ok.approved.currency == "EUR");
    CHECK_THAT(ok.reference, Catch::StartsWith("SIM-"));
    CHECK(ok.masked_pan == "************4242");
    CHECK(ok.brand == "VISA");
    CHECK(ok.details["terminal_id"].as_string() == "T-SIM-1");
    CHECK_FALSE(ok.details["auth_code"].as_string().empty());

    auto declined = r.card->sale(card_request("s-decline", 1301));
    CHECK(declined.outcome == PaymentOutcome::declined);
    CHECK(declined.approved.amount_minor == 0);
    CHECK(declined.reference.empty());

    auto partial = r.card->sale(card_request("s-partial", 1004));
    CHECK(partial.outcome == PaymentOutcome::partially_approved);
    CHECK(partial.approved.amount_minor == 502);

    // A tip is charged on top of the amount and reported apart from it.
    auto tipped = r.card->sale(card_request("s-tip", 2000, 300));
    CHECK(tipped.outcome == PaymentOutcome::approved);
    CHECK(tipped.approved.amount_minor == 2000);
    CHECK(tipped.details["approved_tip_minor"].as_int() == 300);

    const auto totals = r.sim.totals();
    CHECK(totals["sales_count"].as_int() == 3);  // the decline charged nothing
    CHECK(totals["sales_minor"].as_int() == 1250 + 502 + 2000);
    CHECK(totals["tips_minor"].as_int() == 300);
}

TEST_CASE("the same key twice is one charge, the same key for another amount is refused", "[payment_card]") {
    CardRig r;
    auto first = r.card->sale(card_request("k-1", 700));
    REQUIRE(first.outcome == PaymentOutcome::approved);
    auto again = r.card->sale(card_request("k-1", 700));
    CHECK(again.outcome == PaymentOutcome::approved);
    CHECK(again.reference == first.reference);
    CHECK(again.details["terminal_replayed"].as_bool());
    auto other = r.card->sale(card_request("k-1", 800));
    CHECK(other.outcome == PaymentOutcome::failed);
    CHECK_THAT(other.message, Catch::Contains("key_conflict"));
    CHECK(r.sim.totals()["sales_count"].as_int() == 1);
    CHECK(r.sim.totals()["sales_minor"].as_int() == 700);
}

TEST_CASE("an answer lost to a timeout is uncertain, then resolved by status without a second charge",
          "[payment_card][lost]") {
    CardRig r;
    auto lost = r.card->sale(card_request("t-1", 1502));  // the terminal charges but never answers
    INFO(lost.message);
    CHECK(lost.outcome == PaymentOutcome::uncertain);
    auto status = r.card->query_status("t-1");
    CHECK(status.outcome == PaymentOutcome::approved);
    CHECK(status.approved.amount_minor == 1502);
    CHECK(status.masked_pan == "************4242");
    // What the kernel does next when the client resends: the recorded
    // answer, not a new charge.
    auto resent = r.card->sale(card_request("t-1", 1502));
    CHECK(resent.outcome == PaymentOutcome::approved);
    CHECK(resent.reference == status.reference);
    CHECK(r.sim.totals()["sales_count"].as_int() == 1);
}

TEST_CASE("a terminal that drops the connection mid-transaction gives uncertain, then status",
          "[payment_card][lost]") {
    CardRig r;
    auto lost = r.card->sale(card_request("d-1", 1603));
    CHECK(lost.outcome == PaymentOutcome::uncertain);
    auto status = r.card->query_status("d-1");
    CHECK(status.outcome == PaymentOutcome::approved);
    CHECK(status.approved.amount_minor == 1603);
    CHECK(r.sim.totals()["sales_count"].as_int() == 1);
}

TEST_CASE("a key the terminal never saw is failed, a terminal that cannot be asked is uncertain",
          "[payment_card]") {
    CardRig r;
    CHECK(r.card->query_status("never-sent").outcome == PaymentOutcome::failed);

    till::test::DomainFixture fixture;
    till::test::PluginRig down(fixture, {"payment_card"},
                               {{"payment_card", card_config(till::test::free_loopback_port())}});
    auto card = down.registry().payment_method("card");
    REQUIRE(card);
    auto sale = card->sale(card_request("x-1", 100));
    CHECK(sale.outcome == PaymentOutcome::failed);  // never reached the terminal: nothing charged
    CHECK_THAT(sale.message, Catch::Contains("not reached"));
    // Cannot ask: never "failed", which would let the kernel charge again.
    CHECK(card->query_status("x-1").outcome == PaymentOutcome::uncertain);
}

TEST_CASE("a terminal that sends a full card number is masked before anything keeps it", "[payment_card][pci]") {
    CardRig r;
    auto leaky = r.card->sale(card_request("leak-1", 1105));
    CHECK(leaky.outcome == PaymentOutcome::approved);
    CHECK(leaky.masked_pan == "************4242");
    CHECK(leaky.message.find("4242424242424242") == std::string::npos);
    CHECK(leaky.details.to_json().find("4242424242424242") == std::string::npos);
    auto status = r.card->query_status("leak-1");
    CHECK(status.masked_pan == "************4242");
    CHECK(status.message.find("4242424242424242") == std::string::npos);
}
