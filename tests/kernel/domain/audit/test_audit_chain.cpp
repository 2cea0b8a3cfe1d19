#include <catch2/catch.hpp>

#include <atomic>
#include <thread>
#include <vector>

#include "audit_test_support.hpp"

using namespace till;
using till::test::AuditDomain;
using till::test::Backend;

TEST_CASE("appended entries form a gapless, verifiable chain", "[audit]") {
    for (Backend backend : {Backend::sqlite, Backend::postgresql}) {
        INFO("backend " << test::backend_name(backend));
        AuditDomain d(backend);
        auto empty = d.verify();
        CHECK(empty.ok);
        CHECK(empty.count == 0);

        d.append_n(3);
        d.f.clock().advance_ms(1500);
        REQUIRE(d.append("auth.login_failed", "wrong PIN", "").ok());
        auto report = d.verify();
        CHECK(report.ok);
        CHECK(report.count == 4);

        auto entries = d.audit.list(0, 10);
        REQUIRE(entries.ok());
        REQUIRE(entries->size() == 4);
        const auto& e = *entries;
        CHECK(e[0].seq == 1);
        CHECK(e[0].prev_hash == domain::audit::kGenesisHash);
        for (std::size_t i = 1; i < e.size(); ++i) {
            CHECK(e[i].seq == static_cast<std::int64_t>(i) + 1);
            CHECK(e[i].prev_hash == e[i - 1].hash);
        }
        CHECK(e[3].time_utc_ms == e[0].time_utc_ms + 1500);
        CHECK(e[3].actor_user_id.empty());
        CHECK(e[3].action == "auth.login_failed");
        auto v = domain::audit::entry_to_value(e[0]);
        CHECK(v["details"]["amount_minor"].as_int() == 1250);
        CHECK(v["details"]["note"].as_string() == "ünïcode \"quoted\"");
        CHECK(v["terminal_id"].as_string() == "T1");

        auto after = d.audit.list(2, 10);
        REQUIRE(after.ok());
        REQUIRE(after->size() == 2);
        CHECK(after->front().seq == 3);
    }
}

TEST_CASE("a rolled-back transaction takes its entry with it: no gap", "[audit]") {
    for (Backend backend : {Backend::sqlite, Backend::postgresql}) {
        INFO("backend " << test::backend_name(backend));
        AuditDomain d(backend);
        d.append_n(2);
        auto failed = d.f.db().transaction([&](sdk::SqlExecutor& tx) -> sdk::Status {
            if (auto s = d.audit.append(tx, {"u", "order.void", "order:1", "r", "", "T1", {}}); !s.ok()) return s;
            return sdk::Status::failure("invalid_state", "the change failed after its entry");
        });
        CHECK_FALSE(failed.ok());
        d.append_n(1);
        auto report = d.verify();
        CHECK(report.ok);
        CHECK(report.count == 3);
        auto entries = d.audit.list(0, 10);
        REQUIRE(entries.ok());
        CHECK(entries->back().seq == 3);
        CHECK(entries->front().details_json.find("amount_minor") != std::string::npos);
    }
}

TEST_CASE("concurrent appends from several threads keep one valid chain", "[audit][concurrency]") {
    for (Backend backend : {Backend::sqlite, Backend::postgresql}) {
        INFO("backend " << test::backend_name(backend));
        AuditDomain d(backend);
        constexpr int kThreads = 4;
        constexpr int kEach = 25;
        std::vector<std::thread> threads;
        std::atomic<int> failures{0};
        for (int t = 0; t < kThreads; ++t)
            threads.emplace_back([&, t] {
                for (int i = 0; i < kEach; ++i)
                    if (!d.append("order.void", "t" + std::to_string(t) + " #" + std::to_string(i)).ok()) ++failures;
            });
        for (auto& t : threads) t.join();
        CHECK(failures.load() == 0);
        auto report = d.verify();
        CHECK(report.ok);
        CHECK(report.count == kThreads * kEach);
        auto rows = d.f.db().query("SELECT COUNT(*), MIN(seq), MAX(seq) FROM audit_log");
        REQUIRE(rows.ok());
        CHECK(rows->rows[0][0].as_int() == kThreads * kEach);
        CHECK(rows->rows[0][1].as_int() == 1);
        CHECK(rows->rows[0][2].as_int() == kThreads * kEach);
    }
}

TEST_CASE("the canonical text separates fields unambiguously", "[audit]") {
    domain::audit::StoredEntry a;
    a.seq = 1;
    a.action = "ab";
    a.subject = "c";
    domain::audit::StoredEntry b = a;
    b.action = "a";
    b.subject = "bc";
    CHECK(domain::audit::canonical_text(a) != domain::audit::canonical_text(b));
    CHECK(domain::audit::compute_hash(a) != domain::audit::compute_hash(b));
    CHECK(domain::audit::compute_hash(a).size() == 64);
}
