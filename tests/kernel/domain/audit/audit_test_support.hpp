// An audit trail on a DomainFixture, and a way to append entries.
#pragma once

#include <catch2/catch.hpp>

#include <string>

#include "domain/audit/audit_trail.hpp"
#include "domain_fixture.hpp"

namespace till::test {

inline const char* backend_name(Backend b) { return b == Backend::sqlite ? "sqlite" : "postgresql"; }

struct AuditDomain {
    DomainFixture f;
    domain::audit::AuditTrail audit{f.ctx()};

    explicit AuditDomain(Backend backend = Backend::sqlite) : f(backend) { REQUIRE(audit.start().ok()); }

    /// Appends one entry in its own transaction.
    sdk::Status append(const std::string& action, const std::string& reason = "because",
                       const std::string& actor = "user-1") {
        sdk::Value details = sdk::Value::map();
        details.set("amount_minor", 1250);
        details.set("note", "ünïcode \"quoted\"");
        return f.db().transaction([&](sdk::SqlExecutor& tx) {
            return audit.append(tx, {actor, action, "order:42", reason, "", "T1", details});
        });
    }
    void append_n(int n) {
        for (int i = 0; i < n; ++i) REQUIRE(append("order.void", "reason " + std::to_string(i)).ok());
    }
    domain::audit::ChainReport verify() {
        auto r = audit.verify();
        INFO((r.ok() ? std::string() : r.error().message));
        REQUIRE(r.ok());
        return *r;
    }
};

}  // namespace till::test
