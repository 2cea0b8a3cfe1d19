// Opening and closing: one open session per register, what needs a session,
// the session's view, events and audit entries — on SQLite and PostgreSQL.
#include <catch2/catch.hpp>

#include <atomic>
#include <thread>

#include "registers_test_support.hpp"

using namespace till;
using till::test::by;

TEST_CASE("a register opens with a float, once, and opens again after its close", "[registers][sessions]") {
    for (auto backend : test::register_backends()) {
        INFO("backend: " << test::backend_name(backend));
        test::RegistersUnderTest t(backend);
        auto opened = t.registers.open(by("alice", "T1"), "T1", 15000, "morning");
        REQUIRE(opened.ok());
        CHECK(opened.value()["state"].as_string() == "open");
        CHECK(opened.value()["opening_float_minor"].as_int() == 15000);
        CHECK(opened.value()["opened_by"]["user_id"].as_string() == "alice");
        CHECK(opened.value()["currency"].as_string() == "EUR");
        const std::string session_id = opened.value()["session_id"].as_string();

        auto again = t.registers.open(by("bob", "T1"), "T1", 500, "");
        REQUIRE_FALSE(again.ok());
        CHECK(again.error().code == "conflict");
        CHECK(again.error().message.find(session_id) != std::string::npos);

        // Another register is independent.
        REQUIRE(t.registers.open(by("carol", "T2"), "T2", 0, "").ok());

        auto current = t.registers.current_session("T1");
        REQUIRE(current.ok());
        CHECK(current.value()["session_id"].as_string() == session_id);

        // The lookup other modules use, inside their transaction.
        std::optional<std::string> looked_up;
        REQUIRE(t.fixture.db()
                    .transaction([&](sdk::SqlExecutor& tx) -> sdk::Status {
                        auto r = t.registers.open_session(tx, "T1");
                        if (!r) return r.status();
                        looked_up = r.value();
                        return {};
                    })
                    .ok());
        CHECK(looked_up == session_id);

        auto closed = t.registers.close(by("alice", "T1"), "T1", {{5000, 3}}, "end of day");
        REQUIRE(closed.ok());
        CHECK(closed.value()["session"]["state"].as_string() == "closed");
        CHECK(closed.value()["session"]["z_number"].as_int() == 1);

        CHECK(t.registers.current_session("T1").error().code == "not_found");
        REQUIRE(t.fixture.db()
                    .transaction([&](sdk::SqlExecutor& tx) -> sdk::Status {
                        auto r = t.registers.open_session(tx, "T1");
                        if (!r) return r.status();
                        looked_up = r.value();
                        return {};
                    })
                    .ok());
        CHECK_FALSE(looked_up.has_value());

        auto reopened = t.registers.open(by("alice", "T1"), "T1", 10000, "");
        REQUIRE(reopened.ok());
        CHECK(reopened.value()["session_id"].as_string() != session_id);

        auto list = t.registers.list_registers();
        REQUIRE(list.ok());
        REQUIRE(list.value()["items"].size() == 2);
        const auto& t1 = list.value()["items"].as_list()[0];
        CHECK(t1["register_id"].as_string() == "T1");
        CHECK(t1["state"].as_string() == "open");
        CHECK(t1["last_z_number"].as_int() == 1);
        CHECK(t1["current_session"]["session_id"].as_string() == reopened.value()["session_id"].as_string());
    }
}

TEST_CASE("a register that was never opened has nothing to close, move or report", "[registers][sessions]") {
    for (auto backend : test::register_backends()) {
        INFO("backend: " << test::backend_name(backend));
        test::RegistersUnderTest t(backend);
        auto close = t.registers.close(by("bob"), "T9", {}, "");
        REQUIRE_FALSE(close.ok());
        CHECK(close.error().code == "invalid_state");
        CHECK(close.error().message == "register T9 has no open session; open it first");

        domain::CashMovementRequest in{domain::CashDirection::in, 100, "float_top_up", ""};
        CHECK(t.registers.move_cash(by("bob"), "T9", in).error().code == "invalid_state");
        CHECK(t.registers.x_report("T9").error().code == "invalid_state");
        CHECK(t.registers.current_session("T9").error().code == "not_found");
        CHECK(t.registers.z_report("T9", 1).error().code == "not_found");

        // After a close, the same holds until it is opened again.
        test::open_register(t.registers, "T9");
        REQUIRE(t.registers.close(by("bob"), "T9", {}, "").ok());
        CHECK(t.registers.close(by("bob"), "T9", {}, "").error().code == "invalid_state");
        CHECK(t.registers.move_cash(by("bob"), "T9", in).error().code == "invalid_state");
    }
}

TEST_CASE("bad register ids and floats are refused before anything is written", "[registers][sessions]") {
    test::RegistersUnderTest t(test::Backend::sqlite);
    auto negative = t.registers.open(by("alice"), "T1", -1, "");
    REQUIRE_FALSE(negative.ok());
    CHECK(negative.error().code == "invalid_argument");
    CHECK(negative.error().message.rfind("$.opening_float_minor: ", 0) == 0);
    CHECK(t.registers.open(by("alice"), "", 0, "").error().code == "invalid_argument");
    CHECK(t.registers.open(by("alice"), "T 1", 0, "").error().code == "invalid_argument");
    CHECK(t.registers.open(by("alice"), std::string(65, 'x'), 0, "").error().code == "invalid_argument");
    auto list = t.registers.list_registers();
    REQUIRE(list.ok());
    CHECK(list.value()["items"].size() == 0);
    CHECK(test::audit_actions(t.trail).empty());
}

TEST_CASE("open and close are audited and published after the commit", "[registers][sessions]") {
    for (auto backend : test::register_backends()) {
        INFO("backend: " << test::backend_name(backend));
        test::RegistersUnderTest t(backend);
        auto opening = by("alice", "T1", "cashier");
        REQUIRE(t.registers.open(opening, "T1", 2000, "first shift").ok());
        auto closing = by("bob", "T1", "supervisor");
        REQUIRE(t.registers.close(closing, "T1", {{1000, 2}}, "").ok());

        CHECK(test::audit_actions(t.trail) == std::vector<std::string>{"register.open", "register.close", "report.z"});
        auto entries = t.trail.list(0, 10);
        REQUIRE(entries.ok());
        CHECK(entries.value()[0].actor_user_id == "alice");
        CHECK(entries.value()[0].subject == "register:T1");
        CHECK(entries.value()[0].reason == "first shift");
        CHECK(entries.value()[1].actor_user_id == "bob");
        auto details = sdk::Value::parse_json(entries.value()[1].details_json);
        REQUIRE(details.ok());
        CHECK(details.value()["counted_minor"].as_int() == 2000);
        CHECK(details.value()["expected_cash_minor"].as_int() == 2000);
        CHECK(details.value()["variance_minor"].as_int() == 0);
        CHECK(details.value()["z_number"].as_int() == 1);

        CHECK(t.fixture.topics() ==
              std::vector<std::string>{"register.opened", "register.closed", "report.z_created"});
        auto z = t.fixture.last_event("report.z_created");
        CHECK(z.payload["z_number"].as_int() == 1);
        CHECK(z.payload["report"]["kind"].as_string() == "z");
        CHECK(t.fixture.last_event("register.closed").payload["state"].as_string() == "closed");
    }
}

TEST_CASE("two terminals opening the same register at once: one session", "[registers][sessions][concurrency]") {
    for (auto backend : test::register_backends()) {
        INFO("backend: " << test::backend_name(backend));
        test::RegistersUnderTest t(backend);
        constexpr int kThreads = 4;
        std::vector<std::thread> threads;
        std::atomic<int> opened{0}, conflicts{0}, other{0};
        for (int i = 0; i < kThreads; ++i) {
            threads.emplace_back([&, i] {
                auto r = t.registers.open(by("u" + std::to_string(i)), "T1", 100 * i, "");
                if (r.ok())
                    ++opened;
                else if (r.error().code == "conflict")
                    ++conflicts;
                else
                    ++other;
            });
        }
        for (auto& th : threads) th.join();
        CHECK(opened == 1);
        CHECK(conflicts == kThreads - 1);
        CHECK(other == 0);
        auto rows = t.fixture.db().query("SELECT COUNT(*) FROM register_sessions WHERE register_id = 'T1'");
        REQUIRE(rows.ok());
        CHECK(rows->rows[0][0].as_int() == 1);
    }
}
