// The ledger itself, on SQLite and PostgreSQL: one row per attempt, one
// appended event per state, moves only forward, nothing updated or deleted.
#include <catch2/catch.hpp>

#include <atomic>
#include <thread>
#include <vector>

#include "domain/payments/payment_ledger.hpp"
#include "domain/payments/payment_schema.hpp"
#include "domain_fixture.hpp"

using namespace till;
using namespace till::domain::payments;
using till::test::Backend;
using till::test::DomainFixture;

namespace {

PaymentRecord attempt(const std::string& id, const std::string& key, const std::string& method, std::int64_t amount,
                      PaymentKind kind = PaymentKind::sale) {
    PaymentRecord p;
    p.payment_id = id;
    p.idempotency_key = key;
    p.request_json = "{}";
    p.order_id = "order-1";
    p.kind = kind;
    p.method_id = method;
    p.currency = "EUR";
    p.amount_minor = amount;
    p.due_minor = amount;
    p.tendered_minor = amount;
    p.session_id = "session-1";
    p.terminal_id = "T1";
    p.user_id = "u1";
    p.created_utc_ms = 1000;
    return p;
}

PaymentOutcomeRecord approved(std::int64_t amount) {
    PaymentOutcomeRecord o;
    o.status = PaymentStatus::approved;
    o.approved_minor = amount;
    o.applied_minor = amount;
    o.reference = "ref";
    o.user_id = "u1";
    return o;
}

PaymentRecord read(sdk::Storage& db, const PaymentLedger& ledger, const std::string& id) {
    PaymentRecord out;
    REQUIRE(db.transaction([&](sdk::SqlExecutor& tx) -> sdk::Status {
                  auto f = ledger.find(tx, id);
                  if (!f) return f.status();
                  REQUIRE(f->has_value());
                  out = **f;
                  return {};
              }).ok());
    return out;
}

void ledger_body(Backend backend) {
    DomainFixture f(backend);
    auto& db = f.db();
    REQUIRE(apply_payment_schema(db).ok());
    REQUIRE(apply_payment_schema(db).ok());  // twice is harmless
    PaymentLedger ledger(db.dialect());

    REQUIRE(db.transaction([&](sdk::SqlExecutor& tx) {
                  if (auto s = ledger.lock_order(tx, "order-1"); !s.ok()) return s;
                  return ledger.insert(tx, attempt("p1", "k1", "cash", 500));
              }).ok());
    auto p1 = read(db, ledger, "p1");
    CHECK(p1.outcome.status == PaymentStatus::pending);
    CHECK(p1.step == 1);

    SECTION("the same idempotency key cannot make a second attempt") {
        auto dup = db.transaction([&](sdk::SqlExecutor& tx) { return ledger.insert(tx, attempt("p2", "k1", "cash", 500)); });
        REQUIRE_FALSE(dup.ok());
        // Review finding: a client's conflict (409), not a storage fault (500).
        CHECK(dup.error().code == "conflict");
    }

    SECTION("two writers racing one key on two connections: one row, the other a conflict") {
        for (int round = 0; round < 20; ++round) {
            const std::string key = "race-" + std::to_string(round);
            std::vector<sdk::Status> results(2);
            std::atomic<int> ready{0};
            std::vector<std::thread> threads;
            for (int t = 0; t < 2; ++t)
                threads.emplace_back([&, t] {
                    ready.fetch_add(1);
                    for (int spin = 0; spin < 1000000 && ready.load() < 2; ++spin) std::this_thread::yield();
                    auto a = attempt("race-" + std::to_string(round) + "-" + std::to_string(t), key, "cash", 500);
                    a.order_id = "order-" + std::to_string(t);  // different orders: different order locks
                    results[static_cast<std::size_t>(t)] = db.transaction([&](sdk::SqlExecutor& tx) {
                        if (auto s = ledger.lock_order(tx, a.order_id); !s.ok()) return s;
                        return ledger.insert(tx, a);
                    });
                });
            for (auto& th : threads) th.join();
            int ok = 0;
            for (const auto& r : results) {
                if (r.ok()) {
                    ++ok;
                } else {
                    INFO(r.error().code + ": " + r.error().message);
                    CHECK(r.error().code == "conflict");
                }
            }
            CHECK(ok == 1);
            auto rows = db.query("SELECT COUNT(*) FROM payments WHERE idempotency_key = ?", {key});
            REQUIRE(rows.ok());
            CHECK(rows->rows.at(0).at(0).as_int() == 1);
        }
    }

    SECTION("states only move forward; an approved payment stays approved") {
        REQUIRE(db.transaction([&](sdk::SqlExecutor& tx) { return ledger.append(tx, p1, approved(500), 2000); }).ok());
        auto now = read(db, ledger, "p1");
        CHECK(now.outcome.status == PaymentStatus::approved);
        CHECK(now.step == 2);
        CHECK(now.updated_utc_ms == 2000);

        PaymentOutcomeRecord declined;
        declined.status = PaymentStatus::declined;
        auto back = db.transaction([&](sdk::SqlExecutor& tx) { return ledger.append(tx, now, declined, 3000); });
        REQUIRE_FALSE(back.ok());
        CHECK(back.error().code == "invalid_state");
        // A racer appending the same step again collides on (payment_id, step).
        auto stale = db.transaction([&](sdk::SqlExecutor& tx) { return ledger.append(tx, p1, approved(500), 3000); });
        CHECK_FALSE(stale.ok());

        // No UPDATE or DELETE path exists, even in plain SQL.
        CHECK_FALSE(db.execute("UPDATE payment_events SET status = 'declined' WHERE payment_id = 'p1'").ok());
        CHECK_FALSE(db.execute("UPDATE payments SET amount_minor = 1 WHERE payment_id = 'p1'").ok());
        CHECK_FALSE(db.execute("DELETE FROM payment_events WHERE payment_id = 'p1'").ok());
        CHECK_FALSE(db.execute("DELETE FROM payments WHERE payment_id = 'p1'").ok());
        CHECK(read(db, ledger, "p1").outcome.status == PaymentStatus::approved);

        PaymentOutcomeRecord voided;
        voided.status = PaymentStatus::voided;
        REQUIRE(db.transaction([&](sdk::SqlExecutor& tx) { return ledger.append(tx, now, voided, 4000); }).ok());
        std::vector<PaymentEventRow> history;
        REQUIRE(db.transaction([&](sdk::SqlExecutor& tx) -> sdk::Status {
                      auto h = ledger.history(tx, "p1");
                      if (!h) return h.status();
                      history = *h;
                      return {};
                  }).ok());
        REQUIRE(history.size() == 3);
        CHECK(history[0].outcome.status == PaymentStatus::pending);
        CHECK(history[1].outcome.status == PaymentStatus::approved);
        CHECK(history[2].outcome.status == PaymentStatus::voided);
    }

    SECTION("tender totals count approved sales and refunds per method") {
        REQUIRE(db.transaction([&](sdk::SqlExecutor& tx) -> sdk::Status {
                      if (auto s = ledger.append(tx, p1, approved(500), 2000); !s.ok()) return s;
                      auto card = attempt("p2", "k2", "card", 700);
                      card.tip_minor = 100;
                      if (auto s = ledger.insert(tx, card); !s.ok()) return s;
                      card.step = 1;
                      auto with_tip = approved(700);
                      with_tip.approved_tip_minor = 100;  // the outcome carries the approved tip
                      if (auto s = ledger.append(tx, card, with_tip, 2000); !s.ok()) return s;
                      auto declined = attempt("p3", "k3", "card", 900);
                      if (auto s = ledger.insert(tx, declined); !s.ok()) return s;
                      declined.step = 1;
                      PaymentOutcomeRecord no;
                      no.status = PaymentStatus::declined;
                      if (auto s = ledger.append(tx, declined, no, 2000); !s.ok()) return s;
                      auto refund = attempt("p4", "k4", "cash", 200, PaymentKind::refund);
                      if (auto s = ledger.insert(tx, refund); !s.ok()) return s;
                      refund.step = 1;
                      return ledger.append(tx, refund, approved(200), 2000);
                  }).ok());
        std::vector<domain::TenderTotals> totals;
        REQUIRE(db.transaction([&](sdk::SqlExecutor& tx) -> sdk::Status {
                      auto t = ledger.tender_totals(tx, "session-1");
                      if (!t) return t.status();
                      totals = *t;
                      return {};
                  }).ok());
        REQUIRE(totals.size() == 2);
        CHECK(totals[0].method_id == "card");
        CHECK(totals[0].sales_count == 1);
        CHECK(totals[0].sales_minor == 700);
        CHECK(totals[0].tips_minor == 100);
        CHECK(totals[1].method_id == "cash");
        CHECK(totals[1].sales_minor == 500);
        CHECK(totals[1].refunds_count == 1);
        CHECK(totals[1].refunds_minor == 200);
        CHECK(totals[0].rounding_minor == 0);
        CHECK(totals[1].rounding_minor == 0);
        CHECK(totals[0].pending_count == 0);
        CHECK(totals[1].pending_payment_ids.empty());
    }

    SECTION("tips count as approved; events from before the approved tip column follow the rule") {
        // Rows as a node before migration 2 wrote them (approved_tip_minor
        // NULL): a full approval had its whole tip, a partial one none unless
        // its details said so.
        auto raw_event = [&](sdk::SqlExecutor& tx, const std::string& id, std::int64_t approved_minor,
                             const std::string& details) {
            return tx.execute("INSERT INTO payment_events (payment_id, step, status, approved_minor, applied_minor, "
                              "reference, masked_pan, brand, message, details_json, user_id, time_utc_ms) "
                              "VALUES (?, 2, 'approved', ?, ?, 'ref', '', '', '', ?, 'u1', 2000)",
                              {id, approved_minor, approved_minor, details})
                .status();
        };
        REQUIRE(db.transaction([&](sdk::SqlExecutor& tx) -> sdk::Status {
                      for (const char* id : {"t-full", "t-partial", "t-said"}) {
                          auto a = attempt(id, std::string("key-") + id, "card", 700);
                          a.tip_minor = 100;
                          if (auto s = ledger.insert(tx, a); !s.ok()) return s;
                      }
                      if (auto s = raw_event(tx, "t-full", 700, ""); !s.ok()) return s;
                      if (auto s = raw_event(tx, "t-partial", 350, ""); !s.ok()) return s;
                      return raw_event(tx, "t-said", 350, "{\"approved_tip_minor\":40}");
                  }).ok());
        CHECK(read(db, ledger, "t-full").outcome.approved_tip_minor == 100);
        CHECK(read(db, ledger, "t-partial").outcome.approved_tip_minor == 0);
        CHECK(read(db, ledger, "t-said").outcome.approved_tip_minor == 40);
        std::vector<PaymentEventRow> history;
        REQUIRE(db.transaction([&](sdk::SqlExecutor& tx) -> sdk::Status {
                      auto h = ledger.history(tx, "t-said");
                      if (!h) return h.status();
                      history = *h;
                      return {};
                  }).ok());
        REQUIRE(history.size() == 2);
        CHECK(history[1].outcome.approved_tip_minor == 40);
        std::vector<domain::TenderTotals> totals;
        REQUIRE(db.transaction([&](sdk::SqlExecutor& tx) -> sdk::Status {
                      auto t = ledger.tender_totals(tx, "session-1");
                      if (!t) return t.status();
                      totals = *t;
                      return {};
                  }).ok());
        REQUIRE(totals.size() == 2);  // card, and cash's p1 still pending
        CHECK(totals[0].method_id == "card");
        CHECK(totals[0].tips_minor == 140);
        CHECK(totals[0].sales_minor == 1400);
    }

    SECTION("tender totals sum the cash rounding and list the attempts still open") {
        // p1: a cash sale of 502 taken as 500 (rounding −2).
        // p5: a cash payout of 198 paid as 200 (2 more went out: −2 on the tender's net).
        // p6: a cash sale of 301 taken as 300, then voided: not counted.
        // p7 pending and p8 uncertain on the card; p9 declined.
        REQUIRE(db.transaction([&](sdk::SqlExecutor& tx) -> sdk::Status {
                      auto cash = attempt("p1x", "k1x", "cash", 502);
                      cash.due_minor = 500;
                      cash.rounding_minor = -2;
                      if (auto s = ledger.insert(tx, cash); !s.ok()) return s;
                      cash.step = 1;
                      PaymentOutcomeRecord took = approved(500);
                      took.applied_minor = 502;
                      if (auto s = ledger.append(tx, cash, took, 2000); !s.ok()) return s;
                      auto payout = attempt("p5", "k5", "cash", 198, PaymentKind::refund);
                      payout.due_minor = 200;
                      payout.rounding_minor = 2;
                      if (auto s = ledger.insert(tx, payout); !s.ok()) return s;
                      payout.step = 1;
                      PaymentOutcomeRecord paid = approved(200);
                      paid.applied_minor = 198;
                      if (auto s = ledger.append(tx, payout, paid, 2000); !s.ok()) return s;
                      auto gone = attempt("p6", "k6", "cash", 301);
                      gone.due_minor = 300;
                      gone.rounding_minor = -1;
                      if (auto s = ledger.insert(tx, gone); !s.ok()) return s;
                      gone.step = 1;
                      PaymentOutcomeRecord took_gone = approved(300);
                      took_gone.applied_minor = 301;
                      if (auto s = ledger.append(tx, gone, took_gone, 2000); !s.ok()) return s;
                      gone.step = 2;
                      gone.outcome = took_gone;
                      PaymentOutcomeRecord voided;
                      voided.status = PaymentStatus::voided;
                      if (auto s = ledger.append(tx, gone, voided, 2500); !s.ok()) return s;
                      auto pending = attempt("p7", "k7", "card", 900);
                      pending.created_utc_ms = 1100;
                      if (auto s = ledger.insert(tx, pending); !s.ok()) return s;
                      auto uncertain = attempt("p8", "k8", "card", 800);
                      uncertain.created_utc_ms = 1200;
                      if (auto s = ledger.insert(tx, uncertain); !s.ok()) return s;
                      uncertain.step = 1;
                      PaymentOutcomeRecord unknown;
                      unknown.status = PaymentStatus::uncertain;
                      if (auto s = ledger.append(tx, uncertain, unknown, 2000); !s.ok()) return s;
                      auto declined = attempt("p9", "k9", "card", 700);
                      if (auto s = ledger.insert(tx, declined); !s.ok()) return s;
                      declined.step = 1;
                      PaymentOutcomeRecord no;
                      no.status = PaymentStatus::declined;
                      return ledger.append(tx, declined, no, 2000);
                  }).ok());
        std::vector<domain::TenderTotals> totals;
        REQUIRE(db.transaction([&](sdk::SqlExecutor& tx) -> sdk::Status {
                      auto t = ledger.tender_totals(tx, "session-1");
                      if (!t) return t.status();
                      totals = *t;
                      return {};
                  }).ok());
        // p1 of the fixture is still pending too (cash).
        REQUIRE(totals.size() == 2);
        CHECK(totals[0].method_id == "card");
        CHECK(totals[0].sales_count == 0);
        CHECK(totals[0].pending_count == 2);
        CHECK(totals[0].pending_payment_ids == std::vector<std::string>{"p7", "p8"});
        CHECK(totals[1].method_id == "cash");
        CHECK(totals[1].sales_count == 1);
        CHECK(totals[1].sales_minor == 500);
        CHECK(totals[1].refunds_minor == 200);
        CHECK(totals[1].rounding_minor == -2 - 2);
        CHECK(totals[1].pending_payment_ids == std::vector<std::string>{"p1"});
        // Net sales (502 − 198) + rounding (−4) = what the tender netted (500 − 200).
        CHECK(502 - 198 + totals[1].rounding_minor == totals[1].sales_minor - totals[1].refunds_minor);
    }
}

}  // namespace

TEST_CASE("the payments ledger on SQLite", "[payments][ledger]") { ledger_body(Backend::sqlite); }
TEST_CASE("the payments ledger on PostgreSQL", "[payments][ledger][postgresql]") { ledger_body(Backend::postgresql); }
