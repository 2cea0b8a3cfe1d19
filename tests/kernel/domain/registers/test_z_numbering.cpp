// Z reports: numbered 1, 2, 3, ... per register without gaps — across
// sessions, after a close that failed half-way, under concurrent closes —
// and immutable once written. SQLite and PostgreSQL.
#include <catch2/catch.hpp>

#include <Poco/DigestEngine.h>
#include <Poco/SHA2Engine.h>

#include <atomic>
#include <thread>

#include "registers_test_support.hpp"

using namespace till;
using till::test::by;

namespace {
std::string sha256_hex(const std::string& text) {
    Poco::SHA2Engine engine(Poco::SHA2Engine::SHA_256);
    engine.update(text);
    return Poco::DigestEngine::digestToHex(engine.digest());
}

std::vector<std::int64_t> z_numbers(domain::RegisterService& registers, const std::string& register_id) {
    auto list = registers.list_z_reports(register_id, 0, 500);
    REQUIRE(list.ok());
    std::vector<std::int64_t> out;
    for (const auto& item : list.value()["items"].as_list()) out.push_back(item["z_number"].as_int());
    return out;
}
}  // namespace

TEST_CASE("z numbers count 1, 2, 3 per register across sessions", "[registers][z]") {
    for (auto backend : test::register_backends()) {
        INFO("backend: " << test::backend_name(backend));
        test::RegistersUnderTest t(backend);
        for (int day = 0; day < 3; ++day) {
            for (const char* reg : {"T1", "T2"}) {
                test::open_register(t.registers, reg);
                auto closed = t.registers.close(by("bob", reg), reg, {{10000, 1}}, "");
                REQUIRE(closed.ok());
                CHECK(closed.value()["z_report"]["z_number"].as_int() == day + 1);
            }
        }
        CHECK(z_numbers(t.registers, "T1") == std::vector<std::int64_t>{1, 2, 3});
        CHECK(z_numbers(t.registers, "T2") == std::vector<std::int64_t>{1, 2, 3});

        // Paging: cursor is the last number of the page.
        auto page = t.registers.list_z_reports("T1", 0, 2);
        REQUIRE(page.ok());
        CHECK(page.value()["items"].size() == 2);
        CHECK(page.value()["next"].as_string() == "2");
        auto rest = t.registers.list_z_reports("T1", 2, 2);
        REQUIRE(rest.ok());
        CHECK(rest.value()["items"].size() == 1);
        CHECK(rest.value()["next"].is_null());
    }
}

TEST_CASE("a close that fails half-way leaves the session open and uses no number", "[registers][z]") {
    for (auto backend : test::register_backends()) {
        INFO("backend: " << test::backend_name(backend));
        test::RegistersUnderTest t(backend);
        test::open_register(t.registers, "T1");
        REQUIRE(t.registers.close(by("bob"), "T1", {}, "").ok());  // Z 1

        const std::string session = test::open_register(t.registers, "T1");
        // The last step of the close (its report.z audit entry) fails after
        // the number was taken and the report written.
        t.audit.fail_next("report.z");
        auto failed = t.registers.close(by("bob"), "T1", {{500, 2}}, "");
        REQUIRE_FALSE(failed.ok());
        CHECK(failed.error().code == "storage_error");

        auto current = t.registers.current_session("T1");
        REQUIRE(current.ok());
        CHECK(current.value()["session_id"].as_string() == session);
        CHECK(current.value()["state"].as_string() == "open");
        CHECK(z_numbers(t.registers, "T1") == std::vector<std::int64_t>{1});
        CHECK(t.registers.z_report("T1", 2).error().code == "not_found");
        CHECK(test::audit_actions(t.trail) ==
              std::vector<std::string>{"register.open", "register.close", "report.z", "register.open"});
        int closed_events = 0;
        for (const auto& topic : t.fixture.topics()) closed_events += topic == "register.closed";
        CHECK(closed_events == 1);  // the failed close published nothing

        // Refused closes use none either.
        CHECK(t.registers.close(by("bob"), "T1", {{0, 1}}, "").error().code == "invalid_argument");

        auto retried = t.registers.close(by("bob"), "T1", {{500, 2}}, "");
        REQUIRE(retried.ok());
        CHECK(retried.value()["z_report"]["z_number"].as_int() == 2);
        CHECK(retried.value()["z_report"]["session_id"].as_string() == session);
        CHECK(z_numbers(t.registers, "T1") == std::vector<std::int64_t>{1, 2});
    }
}

TEST_CASE("concurrent closes of one session: one wins, one number", "[registers][z][concurrency]") {
    for (auto backend : test::register_backends()) {
        INFO("backend: " << test::backend_name(backend));
        test::RegistersUnderTest t(backend);
        for (int round = 1; round <= 3; ++round) {
            test::open_register(t.registers, "T1");
            constexpr int kThreads = 4;
            std::atomic<int> won{0}, refused{0}, other{0};
            std::vector<std::thread> threads;
            for (int i = 0; i < kThreads; ++i) {
                threads.emplace_back([&, i] {
                    auto r = t.registers.close(by("u" + std::to_string(i)), "T1", {{100, i}}, "");
                    if (r.ok())
                        ++won;
                    else if (r.error().code == "invalid_state")
                        ++refused;
                    else
                        ++other;
                });
            }
            for (auto& th : threads) th.join();
            CHECK(won == 1);
            CHECK(refused == kThreads - 1);
            CHECK(other == 0);
        }
        CHECK(z_numbers(t.registers, "T1") == std::vector<std::int64_t>{1, 2, 3});
        int closes = 0;
        for (const auto& a : test::audit_actions(t.trail)) closes += a == "report.z";
        CHECK(closes == 3);
    }
}

TEST_CASE("concurrent closes of different registers number each register on its own", "[registers][z][concurrency]") {
    for (auto backend : test::register_backends()) {
        INFO("backend: " << test::backend_name(backend));
        test::RegistersUnderTest t(backend);
        const std::vector<std::string> regs = {"T1", "T2", "T3"};
        for (int round = 0; round < 3; ++round) {
            for (const auto& r : regs) test::open_register(t.registers, r);
            std::vector<std::thread> threads;
            std::atomic<int> failures{0};
            for (const auto& r : regs)
                threads.emplace_back([&, r] {
                    if (!t.registers.close(by("bob", r), r, {}, "").ok()) ++failures;
                });
            for (auto& th : threads) th.join();
            CHECK(failures == 0);
        }
        for (const auto& r : regs) CHECK(z_numbers(t.registers, r) == std::vector<std::int64_t>{1, 2, 3});
    }
}

TEST_CASE("a z report is stored with the SHA-256 of its text and cannot be changed", "[registers][z]") {
    for (auto backend : test::register_backends()) {
        INFO("backend: " << test::backend_name(backend));
        test::RegistersUnderTest t(backend);
        test::open_register(t.registers, "T1", 5000);
        auto closed = t.registers.close(by("bob"), "T1", {{2000, 2}, {500, 3}}, "short a note?");
        REQUIRE(closed.ok());
        const sdk::Value& envelope = closed.value()["z_report"];

        auto stored = t.registers.z_report("T1", 1);
        REQUIRE(stored.ok());
        CHECK(stored.value() == envelope);
        CHECK(envelope["sha256"].as_string().size() == 64);
        CHECK(sha256_hex(envelope["report"].to_json()) == envelope["sha256"].as_string());
        const sdk::Value& report = envelope["report"];
        CHECK(report["z_number"].as_int() == 1);
        CHECK(report["counted_minor"].as_int() == 5500);
        CHECK(report["expected_cash_minor"].as_int() == 5000);
        CHECK(report["variance_minor"].as_int() == 500);
        CHECK(report["counted"].size() == 2);
        CHECK(report["close_note"].as_string() == "short a note?");

        // The database refuses to change or drop it.
        auto update = t.fixture.db().execute(
            "UPDATE register_z_reports SET report_json = '{}' WHERE register_id = 'T1' AND z_number = 1");
        REQUIRE_FALSE(update.ok());
        CHECK(update.error().message.find("immutable") != std::string::npos);
        auto del = t.fixture.db().execute("DELETE FROM register_z_reports WHERE register_id = 'T1'");
        REQUIRE_FALSE(del.ok());
        CHECK(t.registers.z_report("T1", 1).value() == envelope);

        // Restarting the service (migrations again) keeps it as it was.
        REQUIRE(t.registers.start().ok());
        CHECK(t.registers.z_report("T1", 1).value() == envelope);
    }
}
