// A people + audit domain under test: DomainFixture, AuditTrail and a started
// PeopleService, plus the demo users and a request carrying headers.
#pragma once

#include <catch2/catch.hpp>

#include <memory>
#include <string>

#include "domain/audit/audit_trail.hpp"
#include "domain/people/people_service.hpp"
#include "domain_fixture.hpp"

namespace till::test {

struct PeopleDomain {
    DomainFixture f;
    domain::audit::AuditTrail audit{f.ctx()};
    std::unique_ptr<domain::people::PeopleService> people;

    explicit PeopleDomain(Backend backend = Backend::sqlite) : f(backend) {
        REQUIRE(audit.start().ok());
        restart();
        REQUIRE(people->create_demo_users().ok());
    }
    /// A new service on the same database, as after a node restart.
    void restart() {
        people = std::make_unique<domain::people::PeopleService>(f.ctx(), audit);
        auto s = people->start();
        INFO((s.ok() ? std::string() : s.error().message));
        REQUIRE(s.ok());
    }
    sdk::Result<domain::people::LoginResult> login(const std::string& name, const std::string& pin,
                                                   const std::string& terminal = "T1") {
        domain::people::LoginRequest r;
        r.user_name = name;
        r.pin = pin;
        r.terminal_id = terminal;
        return people->login(r);
    }
    /// Logs in (must succeed) and authenticates the token.
    domain::Principal principal(const std::string& name, const std::string& pin) {
        auto l = login(name, pin);
        INFO((l.ok() ? std::string() : l.error().message));
        REQUIRE(l.ok());
        auto p = people->authenticate(bearer(l->token));
        REQUIRE(p.ok());
        return *p;
    }
    static sdk::HttpRequest bearer(const std::string& token, const std::string& override_token = {}) {
        sdk::HttpRequest r;
        r.headers["authorization"] = "Bearer " + token;
        if (!override_token.empty()) r.headers["x-till-override"] = override_token;
        return r;
    }
    /// Number of audit entries with `action`.
    std::int64_t audit_count(const std::string& action) {
        auto rows = f.db().query("SELECT COUNT(*) FROM audit_log WHERE action = ?", {action});
        REQUIRE(rows.ok());
        return rows->rows.at(0).at(0).as_int();
    }
};

}  // namespace till::test
