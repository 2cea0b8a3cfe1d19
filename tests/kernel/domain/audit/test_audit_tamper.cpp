// Tampering with the stored chain, as someone with database access would,
// is found by verify() and named by the first broken entry's seq.
#include <catch2/catch.hpp>

#include "audit_test_support.hpp"

using namespace till;
using till::test::AuditDomain;
using till::test::Backend;

namespace {

void sql(AuditDomain& d, const std::string& statement, const std::vector<sdk::Value>& params = {}) {
    auto r = d.f.db().execute(statement, params);
    INFO(statement << (r.ok() ? std::string() : ": " + r.error().message));
    REQUIRE(r.ok());
}

domain::audit::StoredEntry entry(AuditDomain& d, std::int64_t seq) {
    auto e = d.audit.list(seq - 1, 1);
    REQUIRE(e.ok());
    REQUIRE(e->size() == 1);
    return e->front();
}

}  // namespace

TEST_CASE("tampering is detected and names the first broken entry", "[audit][tamper]") {
    for (Backend backend : {Backend::sqlite, Backend::postgresql}) {
        INFO("backend " << test::backend_name(backend));

        SECTION("an edited reason") {
            AuditDomain d(backend);
            d.append_n(5);
            sql(d, "UPDATE audit_log SET reason = 'nothing happened' WHERE seq = 3");
            auto r = d.verify();
            CHECK_FALSE(r.ok);
            CHECK(r.broken_seq == 3);
            CHECK(r.count == 2);
            CHECK(r.problem.find("changed") != std::string::npos);
        }
        SECTION("an edited detail or time") {
            AuditDomain d(backend);
            d.append_n(5);
            sql(d, "UPDATE audit_log SET details = '{\"amount_minor\":1}' WHERE seq = 4");
            CHECK(d.verify().broken_seq == 4);
            AuditDomain d2(backend);
            d2.append_n(5);
            sql(d2, "UPDATE audit_log SET time_utc_ms = time_utc_ms + 1 WHERE seq = 2");
            CHECK(d2.verify().broken_seq == 2);
        }
        SECTION("a deleted row in the middle") {
            AuditDomain d(backend);
            d.append_n(5);
            sql(d, "DELETE FROM audit_log WHERE seq = 2");
            auto r = d.verify();
            CHECK_FALSE(r.ok);
            CHECK(r.broken_seq == 2);
            CHECK(r.problem.find("missing") != std::string::npos);
        }
        SECTION("the first or the last row deleted") {
            AuditDomain d(backend);
            d.append_n(5);
            sql(d, "DELETE FROM audit_log WHERE seq = 1");
            CHECK(d.verify().broken_seq == 1);
            AuditDomain d2(backend);
            d2.append_n(5);
            sql(d2, "DELETE FROM audit_log WHERE seq = 5");
            auto r = d2.verify();
            CHECK_FALSE(r.ok);
            CHECK(r.broken_seq == 5);
        }
        SECTION("an edited entry re-hashed by the tamperer breaks the next link") {
            AuditDomain d(backend);
            d.append_n(5);
            auto e = entry(d, 3);
            e.reason = "rewritten";
            e.hash = domain::audit::compute_hash(e);
            sql(d, "UPDATE audit_log SET reason = ?, hash = ? WHERE seq = 3", {e.reason, e.hash});
            auto r = d.verify();
            CHECK_FALSE(r.ok);
            CHECK(r.broken_seq == 4);
            CHECK(r.problem.find("chain") != std::string::npos);
        }
        SECTION("two entries swapped") {
            AuditDomain d(backend);
            d.append_n(5);
            sql(d, "UPDATE audit_log SET seq = 100 WHERE seq = 2");
            sql(d, "UPDATE audit_log SET seq = 2 WHERE seq = 3");
            sql(d, "UPDATE audit_log SET seq = 3 WHERE seq = 100");
            auto r = d.verify();
            CHECK_FALSE(r.ok);
            CHECK(r.broken_seq == 2);
        }
        SECTION("a forged genesis") {
            AuditDomain d(backend);
            d.append_n(2);
            auto e = entry(d, 1);
            e.prev_hash = std::string(64, 'f');
            e.hash = domain::audit::compute_hash(e);
            sql(d, "UPDATE audit_log SET prev_hash = ?, hash = ? WHERE seq = 1", {e.prev_hash, e.hash});
            auto r = d.verify();
            CHECK_FALSE(r.ok);
            CHECK(r.broken_seq == 1);
            CHECK(r.problem.find("genesis") != std::string::npos);
        }
        SECTION("appending after an untouched chain still verifies") {
            AuditDomain d(backend);
            d.append_n(3);
            CHECK(d.verify().ok);
        }
    }
}

// Review: verify() walks the log in batches (bounded memory); a log longer
// than one batch verifies, and tampering in a later batch is still found.
TEST_CASE("a log longer than one verify batch verifies, and tampering past the first batch is found",
          "[audit][tamper][review]") {
    for (Backend backend : {Backend::sqlite, Backend::postgresql}) {
        INFO("backend " << test::backend_name(backend));
        AuditDomain d(backend);
        REQUIRE(d.f.db()
                    .transaction([&](sdk::SqlExecutor& tx) -> sdk::Status {
                        for (int i = 0; i < 2345; ++i) {
                            sdk::Value details = sdk::Value::map();
                            details.set("i", i);
                            if (auto s = d.audit.append(tx, {"u", "order.void", "order:1", "r", "", "T1", details});
                                !s.ok())
                                return s;
                        }
                        return {};
                    })
                    .ok());
        auto report = d.verify();
        CHECK(report.ok);
        CHECK(report.count == 2345);
        REQUIRE(d.f.db().execute("UPDATE audit_log SET reason = 'x' WHERE seq = 1700").ok());
        auto broken = d.verify();
        CHECK_FALSE(broken.ok);
        CHECK(broken.broken_seq == 1700);
        CHECK(broken.count == 1699);
    }
}
