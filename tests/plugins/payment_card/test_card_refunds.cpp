// Refunds to the original card (by the sale's terminal reference) and voids.
#include <catch2/catch.hpp>

#include "card_rig.hpp"

using namespace till;
using namespace till::test::card;
using sdk::PaymentOutcome;

namespace {
sdk::PaymentRequest against(sdk::PaymentRequest r, const std::string& original_reference) {
    r.original_reference = original_reference;
    return r;
}
}  // namespace

TEST_CASE("a refund goes back against the original sale and never exceeds it", "[payment_card][refund]") {
    CardRig r;
    auto sale = r.card->sale(card_request("rs-1", 5000));
    REQUIRE(sale.outcome == PaymentOutcome::approved);

    auto part = r.card->refund(against(card_request("rf-1", 2000), sale.reference));
    CHECK(part.outcome == PaymentOutcome::approved);
    CHECK(part.approved.amount_minor == 2000);
    CHECK(part.details["original_reference"].as_string() == sale.reference);
    CHECK(part.reference != sale.reference);

    auto too_much = r.card->refund(against(card_request("rf-2", 3100), sale.reference));
    CHECK(too_much.outcome == PaymentOutcome::declined);
    auto rest = r.card->refund(against(card_request("rf-3", 3000), sale.reference));
    CHECK(rest.outcome == PaymentOutcome::approved);

    auto unknown = r.card->refund(against(card_request("rf-4", 100), "SIM-999999"));
    CHECK(unknown.outcome == PaymentOutcome::failed);
    CHECK_THAT(unknown.message, Catch::Contains("unknown_reference"));

    // A refund's answer lost: status resolves it like a sale's.
    auto lost = r.card->refund(against(card_request("rf-5", 1503), r.card->sale(card_request("rs-2", 2000)).reference));
    CHECK(lost.outcome == PaymentOutcome::uncertain);
    CHECK(r.card->query_status("rf-5").outcome == PaymentOutcome::approved);

    const auto totals = r.sim.totals();
    CHECK(totals["refunds_count"].as_int() == 3);
    CHECK(totals["refunds_minor"].as_int() == 2000 + 3000 + 1503);
}

TEST_CASE("a void cancels a sale once, the terminal refuses a second one", "[payment_card][void]") {
    CardRig r;
    auto sale = r.card->sale(card_request("vs-1", 1200, 100));
    REQUIRE(sale.outcome == PaymentOutcome::approved);
    auto request = against(card_request("till:void:p-1", 1200, 100), sale.reference);
    auto voided = r.card->void_payment(request);
    INFO(voided.message);
    CHECK(voided.outcome == PaymentOutcome::approved);
    CHECK(r.card->void_payment(request).outcome == PaymentOutcome::approved);  // the same key: replayed
    auto second = r.card->void_payment(against(card_request("till:void:p-2", 1200, 100), sale.reference));
    CHECK(second.outcome == PaymentOutcome::declined);
    auto no_reference = r.card->void_payment(card_request("till:void:p-3", 1200));
    CHECK(no_reference.outcome == PaymentOutcome::failed);
    const auto totals = r.sim.totals();
    CHECK(totals["voids_count"].as_int() == 1);
    CHECK(totals["voids_minor"].as_int() == 1300);
    CHECK(totals["net_minor"].as_int() == 0);
}
