// What the registers module sends to HQ (docs/sync.md, "Payloads"), each in
// the transaction of the change: `register_session` at open and at close
// (the session as the API shows it, pushed at once), `cash_movement` for cash
// in/out and no-sale, `z_report` when the Z is stored (the stored report as
// GET /api/v1/registers/{id}/z/{n} answers it, pushed at once). A failed
// append fails the change and leaves nothing — no session, no Z number used.
// Real SQLite and PostgreSQL, the real audit trail, RecordingReplication.
#include <catch2/catch.hpp>

#include "recording_replication.hpp"
#include "registers_test_support.hpp"

using namespace till;
using till::test::by;

namespace {

/// RegistersUnderTest with a recording replication log in the context.
struct Recorded {
    explicit Recorded(test::Backend backend)
        : fixture(backend),
          recorded(fixture.db()),
          wired((fixture.use_replication(recorded), true)),
          trail(fixture.ctx()),
          audit(trail),
          registers(fixture.ctx(), no_routes, audit, totals, totals) {
        REQUIRE(trail.start().ok());
        REQUIRE(registers.start().ok());
    }
    test::DomainFixture fixture;
    test::RecordingReplication recorded;
    bool wired;
    domain::audit::AuditTrail trail;
    test::BreakableAudit audit;
    test::SetTotals totals;
    test::NoRoutes no_routes;
    domain::RegisterService registers;
};

domain::CashMovementRequest cash(domain::CashDirection d, std::int64_t amount, std::string reason) {
    return {d, amount, std::move(reason), "note"};
}

}  // namespace

TEST_CASE("opening and closing a register send the session and the Z report", "[registers][replication]") {
    for (auto backend : test::register_backends()) {
        INFO("backend: " << test::backend_name(backend));
        Recorded t(backend);
        auto opened = t.registers.open(by("bob"), "T1", 10000, "morning");
        REQUIRE(opened.ok());
        auto sessions = t.recorded.committed("register_session");
        REQUIRE(sessions.size() == 1);
        CHECK(sessions[0].entity_id == opened.value()["session_id"].as_string());
        CHECK(sessions[0].payload == opened.value());
        CHECK(sessions[0].high_priority);
        CHECK(t.recorded.high_priority_wakeups() == 1);

        auto closed = t.registers.close(by("bob"), "T1", {{5000, 2}}, "evening");
        REQUIRE(closed.ok());
        sessions = t.recorded.committed("register_session");
        REQUIRE(sessions.size() == 2);
        CHECK(sessions[1].entity_id == sessions[0].entity_id);
        CHECK(sessions[1].payload == closed.value()["session"]);
        CHECK(sessions[1].payload["state"].as_string() == "closed");
        CHECK(sessions[1].high_priority);

        auto zs = t.recorded.committed("z_report");
        REQUIRE(zs.size() == 1);
        CHECK(zs[0].entity_id == "T1/1");
        CHECK(zs[0].high_priority);
        CHECK(zs[0].payload == closed.value()["z_report"]);
        auto stored = t.registers.z_report("T1", 1);
        REQUIRE(stored.ok());
        CHECK(zs[0].payload == stored.value());
        CHECK(zs[0].payload["report"]["counted_minor"].is_int());
        // The close sent the session then its Z, and woke the pusher once more.
        auto all = t.recorded.committed();
        REQUIRE(all.size() == 3);
        CHECK(all[1].type == "register_session");
        CHECK(all[2].type == "z_report");
        CHECK(t.recorded.high_priority_wakeups() == 2);
    }
}

TEST_CASE("cash in, cash out and no-sale each send one cash movement", "[registers][replication]") {
    Recorded t(test::Backend::sqlite);
    const std::string session = test::open_register(t.registers, "T1", 10000);
    const int wakeups = t.recorded.high_priority_wakeups();
    auto in = t.registers.move_cash(by("alice"), "T1", cash(domain::CashDirection::in, 2000, "float_top_up"));
    REQUIRE(in.ok());
    auto out = t.registers.move_cash(by("alice"), "T1", cash(domain::CashDirection::out, 500, "bank_drop"));
    REQUIRE(out.ok());
    auto no_sale = t.registers.no_sale(by("alice"), "T1", "change for a note");
    REQUIRE(no_sale.ok());

    auto moves = t.recorded.committed("cash_movement");
    REQUIRE(moves.size() == 3);
    CHECK(moves[0].entity_id == in.value()["movement_id"].as_string());
    CHECK(moves[0].payload["kind"].as_string() == "cash_in");
    CHECK(moves[0].payload["amount_minor"].as_int() == 2000);
    CHECK(moves[0].payload["session_id"].as_string() == session);
    CHECK(moves[0].payload["reason_code"].as_string() == "float_top_up");
    CHECK_FALSE(moves[0].high_priority);
    // The movement as the API shows it, plus "kind".
    sdk::Value api = out.value();
    api.set("drawer", sdk::Value());
    sdk::Value sent = moves[1].payload;
    sent.set("drawer", sdk::Value());
    sent.set("kind", "cash_out");
    api.set("kind", "cash_out");
    CHECK(sent == api);

    CHECK(moves[2].entity_id == no_sale.value()["no_sale_id"].as_string());
    CHECK(moves[2].payload["kind"].as_string() == "no_sale");
    CHECK(moves[2].payload["movement_id"] == no_sale.value()["no_sale_id"]);
    CHECK(moves[2].payload["amount_minor"].as_int() == 0);
    CHECK(moves[2].payload["reason"].as_string() == "change for a note");
    CHECK(moves[2].payload["reason_code"].as_string() == "change for a note");
    CHECK(moves[2].payload["session_id"].as_string() == session);
    CHECK(t.recorded.high_priority_wakeups() == wakeups);  // cash movements wait for the next push
}

TEST_CASE("a failed append fails the register change and leaves nothing", "[registers][replication]") {
    for (auto backend : test::register_backends()) {
        INFO("backend: " << test::backend_name(backend));
        Recorded t(backend);

        t.recorded.fail_appends("register_session");
        auto opened = t.registers.open(by("bob"), "T1", 10000, "");
        REQUIRE_FALSE(opened.ok());
        CHECK(opened.error().code == "storage_error");
        CHECK(t.registers.current_session("T1").error().code == "not_found");
        CHECK(t.recorded.high_priority_wakeups() == 0);
        CHECK(test::audit_actions(t.trail).empty());
        t.recorded.succeed_appends();
        test::open_register(t.registers, "T1", 10000);

        t.recorded.fail_appends("cash_movement");
        CHECK(t.registers.move_cash(by("a"), "T1", cash(domain::CashDirection::in, 100, "float_top_up"))
                  .error()
                  .code == "storage_error");
        CHECK(t.registers.no_sale(by("a"), "T1", "why").error().code == "storage_error");
        auto x = t.registers.x_report("T1");
        REQUIRE(x.ok());
        CHECK(t.fixture.last_event("register.cash_moved").topic.empty());
        CHECK(t.fixture.last_event("register.no_sale").topic.empty());
        t.recorded.succeed_appends();

        // A close whose Z cannot be sent: the session stays open, Z 1 unused.
        t.recorded.fail_appends("z_report");
        auto failed = t.registers.close(by("bob"), "T1", {{5000, 2}}, "");
        REQUIRE_FALSE(failed.ok());
        CHECK(failed.error().code == "storage_error");
        CHECK(t.registers.current_session("T1").ok());
        CHECK(t.registers.z_report("T1", 1).error().code == "not_found");
        t.recorded.succeed_appends();
        auto closed = t.registers.close(by("bob"), "T1", {{5000, 2}}, "");
        REQUIRE(closed.ok());
        CHECK(closed.value()["z_report"]["z_number"].as_int() == 1);

        std::vector<std::string> types;
        for (const auto& c : t.recorded.committed()) types.push_back(c.type);
        CHECK(types == std::vector<std::string>{"register_session", "register_session", "z_report"});
        CHECK(t.recorded.refused_appends() == 4);
    }
}
