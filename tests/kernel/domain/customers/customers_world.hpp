// A customer directory under test: DomainFixture (SQLite or PostgreSQL),
// the real audit trail and people service (demo users alice/cashier 1111,
// bob/supervisor 2222, carol/manager 3333), and a started CustomerService.
// CustomersNode adds the routes on a real HTTP server (port 0).
#pragma once

#include <catch2/catch.hpp>

#include <map>
#include <memory>
#include <string>

#include "api/http_server.hpp"
#include "api/router.hpp"
#include "domain/audit/audit_trail.hpp"
#include "domain/customers/customer_service.hpp"
#include "domain/people/people_service.hpp"
#include "domain_fixture.hpp"
#include "support/http_client.hpp"

namespace till::test {

struct CustomersWorld {
    DomainFixture f;
    domain::audit::AuditTrail audit{f.ctx()};
    domain::people::PeopleService people{f.ctx(), audit};
    std::unique_ptr<domain::customers::CustomerService> customers;

    explicit CustomersWorld(Backend backend = Backend::sqlite) : f(backend) {
        REQUIRE(audit.start().ok());
        REQUIRE(people.start().ok());
        REQUIRE(people.create_demo_users().ok());
        restart();
    }
    /// A new service on the same database, as after a node restart.
    void restart() {
        customers = std::make_unique<domain::customers::CustomerService>(f.ctx(), people, audit);
        auto s = customers->start();
        INFO((s.ok() ? std::string() : s.error().message));
        REQUIRE(s.ok());
    }
    static domain::customers::Actor cashier() { return {"user-alice", "T1", "", ""}; }

    /// Creates a customer (must succeed).
    domain::customers::Customer add(domain::customers::NewCustomer input) {
        auto made = customers->create(cashier(), input);
        INFO((made.ok() ? std::string() : made.error().message));
        REQUIRE(made.ok());
        return *made;
    }
    domain::customers::Customer add(const std::string& given, const std::string& family,
                                    const std::string& email = {}, const std::string& phone = {}) {
        domain::customers::NewCustomer n;
        n.given_name = given;
        n.family_name = family;
        n.email = email;
        n.phone = phone;
        return add(n);
    }
    /// Display names found by `q` (first page of up to `limit`).
    std::vector<std::string> find(const std::string& q, std::int64_t limit = 50, bool include_inactive = false) {
        domain::customers::SearchQuery query;
        query.q = q;
        query.limit = limit;
        query.include_inactive = include_inactive;
        auto page = customers->search(query);
        INFO((page.ok() ? std::string() : page.error().message));
        REQUIRE(page.ok());
        std::vector<std::string> names;
        for (const auto& c : page->items) names.push_back(c.display_name);
        return names;
    }
    std::int64_t audit_count(const std::string& action) {
        auto rows = f.db().query("SELECT COUNT(*) FROM audit_log WHERE action = ?", {action});
        REQUIRE(rows.ok());
        return rows->rows.at(0).at(0).as_int();
    }
    /// Topics published by the customer directory, in order.
    std::vector<std::string> customer_topics() const {
        std::vector<std::string> out;
        for (const auto& t : f.topics())
            if (t.rfind("customer.", 0) == 0) out.push_back(t);
        return out;
    }
    std::int64_t count_topic(const std::string& topic) const {
        std::int64_t n = 0;
        for (const auto& t : f.topics()) n += t == topic ? 1 : 0;
        return n;
    }
};

/// CustomersWorld with the people and customer routes on a real HTTP server.
struct CustomersNode : CustomersWorld {
    api::Router router;
    std::unique_ptr<api::HttpServer> server;

    explicit CustomersNode(Backend backend = Backend::sqlite) : CustomersWorld(backend) {
        REQUIRE(people.add_routes(router).ok());
        REQUIRE(customers->add_routes(router).ok());
        server = std::make_unique<api::HttpServer>(api::ServerSettings{}, router, f.bus(), f.ctx().logger);
        REQUIRE(server->start().ok());
    }
    ~CustomersNode() {
        if (server) server->stop();
    }
    int port() const { return server->port(); }

    HttpReply call(const std::string& method, const std::string& path, const std::string& body = {},
                   const std::string& token = {}, const std::string& override_token = {}) {
        std::map<std::string, std::string> headers;
        if (!token.empty()) headers["Authorization"] = "Bearer " + token;
        if (!override_token.empty()) headers["X-Till-Override"] = override_token;
        return http_call(port(), method, path, body, headers);
    }
    /// Logs in through POST /api/v1/auth/login; the token.
    std::string login(const std::string& name, const std::string& pin) {
        auto r = call("POST", "/api/v1/auth/login",
                      R"({"user_name":")" + name + R"(","pin":")" + pin + R"(","terminal_id":"T1"})");
        INFO(r.body);
        REQUIRE(r.status == 200);
        return json(r)["token"].as_string();
    }
    /// A supervisor's (bob's) override of `action` for the holder of `token`.
    std::string override_token(const std::string& token, const std::string& action, const std::string& reason) {
        auto r = call("POST", "/api/v1/auth/overrides",
                      R"({"action":")" + action + R"(","supervisor_user_name":"bob","pin":"2222","reason":")" +
                          reason + R"("})",
                      token);
        INFO(r.body);
        REQUIRE(r.status == 201);
        return json(r)["override_token"].as_string();
    }
    static sdk::Value json(const HttpReply& r) {
        auto v = sdk::Value::parse_json(r.body);
        return v ? *v : sdk::Value();
    }
    /// The JSON path a problem+json answer names ("" when none).
    static std::string error_path(const HttpReply& r) {
        const sdk::Value body = json(r);
        const auto& errors = body["errors"].as_list();
        return errors.empty() ? std::string() : errors[0]["path"].as_string();
    }
};

}  // namespace till::test
