#include <catch2/catch.hpp>
#include <sys/stat.h>

#include "people_test_support.hpp"
#include <atomic>
#include <fstream>
#include <thread>
#include <vector>

#include "domain/people/pin_hash.hpp"
#include "domain/people/token_codec.hpp"
#include "support/temp_dir.hpp"

using namespace till;
using till::test::Backend;
using till::test::PeopleDomain;

TEST_CASE("the first start creates admin with a PIN in a private file", "[people][login]") {
    PeopleDomain d;
    const std::string path = d.f.data_dir() + "/auth/initial-admin-pin";
    std::string pin = test::read_file(path);
    REQUIRE(pin.size() == 7);
    pin.pop_back();
    CHECK(domain::people::is_valid_pin(pin));
    struct stat st {};
    REQUIRE(::stat(path.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    CHECK(d.f.log().contains(path));
    CHECK_FALSE(d.f.log().contains(pin));

    auto admin = d.principal("admin", pin);
    CHECK(admin.role == "admin");
    CHECK(d.audit_count("user.created") == 4);  // admin + 3 demo users

    // A restart with users present makes no new admin and keeps the file.
    d.restart();
    CHECK(d.audit_count("user.created") == 4);
    CHECK(test::read_file(path) == pin + "\n");
}

TEST_CASE("login gives a token that authenticates the user at the terminal", "[people][login]") {
    PeopleDomain d;
    auto l = d.login("Alice", "1111", "T7");
    REQUIRE(l.ok());
    CHECK(l->user["name"].as_string() == "alice");
    CHECK(l->user.find("pin_hash") == nullptr);
    CHECK(l->expires_utc_ms == d.f.clock().now_utc_ms() + 900 * 1000);
    auto p = d.people->authenticate(PeopleDomain::bearer(l->token));
    REQUIRE(p.ok());
    CHECK(p->user_name == "alice");
    CHECK(p->role == "cashier");
    CHECK(p->terminal_id == "T7");
    CHECK(d.audit_count("auth.login") == 1);
    CHECK(d.f.last_event("auth.login").payload["user_name"].as_string() == "alice");

    // By id too.
    domain::people::LoginRequest by_id;
    by_id.user_id = p->user_id;
    by_id.pin = "1111";
    CHECK(d.people->login(by_id).ok());
}

TEST_CASE("wrong PINs and unknown users are refused and audited", "[people][login]") {
    PeopleDomain d;
    auto wrong = d.login("alice", "9999");
    REQUIRE_FALSE(wrong.ok());
    CHECK(wrong.error().code == "unauthorized");
    auto unknown = d.login("mallory", "1111");
    REQUIRE_FALSE(unknown.ok());
    CHECK(unknown.error().code == "unauthorized");
    CHECK(unknown.error().message == wrong.error().message);  // does not tell names apart
    CHECK(d.audit_count("auth.login_failed") == 2);
    CHECK(d.f.last_event("auth.login_failed").payload["user_name"].as_string() == "mallory");
    auto bad_pin = d.login("alice", "11a1");
    REQUIRE_FALSE(bad_pin.ok());
    CHECK(bad_pin.error().code == "invalid_argument");
}

TEST_CASE("missing, malformed and foreign tokens are 401", "[people][login]") {
    PeopleDomain d;
    sdk::HttpRequest none;
    auto a = d.people->authenticate(none);
    REQUIRE_FALSE(a.ok());
    CHECK(a.error().code == "unauthorized");
    sdk::HttpRequest basic;
    basic.headers["authorization"] = "Basic YWxpY2U6MTExMQ==";
    CHECK(d.people->authenticate(basic).error().code == "unauthorized");
    CHECK(d.people->authenticate(PeopleDomain::bearer("x.y.z")).error().code == "unauthorized");
}

TEST_CASE("lockout after repeated wrong PINs, expiring after lockout_s, kept across a restart",
          "[people][lockout]") {
    for (Backend backend : {Backend::sqlite, Backend::postgresql}) {
        INFO("backend " << (backend == Backend::sqlite ? "sqlite" : "postgresql"));
        PeopleDomain d(backend);
        const auto attempts = d.f.auth().lockout_attempts;  // 5
        for (std::int64_t i = 1; i < attempts; ++i) {
            auto r = d.login("alice", "0000");
            REQUIRE_FALSE(r.ok());
            CHECK(r.error().code == "unauthorized");
        }
        domain::people::LockInfo lock;
        domain::people::LoginRequest req;
        req.user_name = "alice";
        req.pin = "0000";
        auto last = d.people->login(req, &lock);
        REQUIRE_FALSE(last.ok());
        CHECK(last.error().code == "locked");
        CHECK(lock.retry_after_s == d.f.auth().lockout_s);
        CHECK(d.audit_count("auth.lockout") == 1);
        CHECK(d.f.last_event("auth.lockout").payload["user_name"].as_string() == "alice");

        // Right PIN while locked: still locked, also after a restart.
        auto right = d.login("alice", "1111");
        REQUIRE_FALSE(right.ok());
        CHECK(right.error().code == "locked");
        d.restart();
        CHECK(d.login("alice", "1111").error().code == "locked");
        // Other users are not affected.
        CHECK(d.login("bob", "2222").ok());

        d.f.clock().advance_ms(d.f.auth().lockout_s * 1000 - 1000);
        CHECK(d.login("alice", "1111").error().code == "locked");
        d.f.clock().advance_ms(1000);
        REQUIRE(d.login("alice", "1111").ok());

        // A success resets the count: attempts-1 wrong PINs do not lock.
        for (std::int64_t i = 1; i < attempts; ++i) CHECK(d.login("alice", "0000").error().code == "unauthorized");
        CHECK(d.login("alice", "1111").ok());
        CHECK(d.login("alice", "0000").error().code == "unauthorized");
    }
}

TEST_CASE("a token expires with the clock, and dies with its user", "[people][login]") {
    PeopleDomain d;
    auto l = d.login("alice", "1111");
    REQUIRE(l.ok());
    d.f.clock().advance_ms(d.f.auth().token_ttl_s * 1000 - 1);
    CHECK(d.people->authenticate(PeopleDomain::bearer(l->token)).ok());
    d.f.clock().advance_ms(1);
    auto expired = d.people->authenticate(PeopleDomain::bearer(l->token));
    REQUIRE_FALSE(expired.ok());
    CHECK(expired.error().code == "unauthorized");

    auto bob = d.login("bob", "2222");
    REQUIRE(bob.ok());
    auto carol = d.principal("carol", "3333");
    domain::people::UserChange off;
    off.active = false;
    REQUIRE(d.people->change_user(carol, bob->user["id"].as_string(), off).ok());
    CHECK(d.people->authenticate(PeopleDomain::bearer(bob->token)).error().code == "unauthorized");
    CHECK(d.login("bob", "2222").error().code == "unauthorized");
}

TEST_CASE("a token signed with another node's key is refused, the key survives restarts", "[people][login]") {
    PeopleDomain d;
    auto l = d.login("alice", "1111");
    REQUIRE(l.ok());
    d.restart();
    CHECK(d.people->authenticate(PeopleDomain::bearer(l->token)).ok());
    PeopleDomain other;
    CHECK(other.people->authenticate(PeopleDomain::bearer(l->token)).error().code == "unauthorized");
}

TEST_CASE("a configured jwt_secret signs the tokens", "[people][login]") {
    test::DomainFixture f;
    f.auth().jwt_secret = "configured-secret";
    domain::audit::AuditTrail audit(f.ctx());
    REQUIRE(audit.start().ok());
    domain::people::PeopleService people(f.ctx(), audit);
    REQUIRE(people.start().ok());
    REQUIRE(people.create_demo_users().ok());
    domain::people::LoginRequest r;
    r.user_name = "alice";
    r.pin = "1111";
    auto l = people.login(r);
    REQUIRE(l.ok());
    domain::people::TokenCodec codec("configured-secret");
    CHECK(codec.verify_access(l->token, f.clock().now_utc_ms()).ok());
    CHECK_FALSE(std::ifstream(f.data_dir() + "/auth/jwt.key").good());
}

TEST_CASE("authorize: the role's permissions decide, else an override is required", "[people][authorize]") {
    PeopleDomain d;
    auto alice = d.principal("alice", "1111");
    auto bob = d.principal("bob", "2222");
    sdk::HttpRequest plain;
    auto sale = d.people->authorize(alice, domain::action::order_create, plain);
    REQUIRE(sale.ok());
    CHECK(sale->principal.user_id == alice.user_id);
    CHECK(sale->override_user_id.empty());

    auto void_ = d.people->authorize(alice, domain::action::order_void, plain);
    REQUIRE_FALSE(void_.ok());
    CHECK(void_.error().code == "override_required");
    CHECK(void_.error().message.find("order.void") != std::string::npos);

    CHECK(d.people->authorize(bob, domain::action::order_void, plain).ok());
    CHECK(d.people->authorize(bob, domain::action::users_manage, plain).error().code == "override_required");
    CHECK(d.people->role_allows("admin", "audit.read"));
    CHECK_FALSE(d.people->role_allows("cashier", "audit.read"));
    CHECK_FALSE(d.people->role_allows("nobody", "order.create"));
}

// Review finding: wrong PINs sent at once all read the user as unlocked
// before any failure was counted, so many more than lockout_attempts guesses
// were verified per lockout. Now each guess sees the ones before it.
TEST_CASE("concurrent wrong PINs cannot verify more guesses than the lockout allows", "[people][lockout][review]") {
    for (Backend backend : {Backend::sqlite, Backend::postgresql}) {
        INFO("backend " << (backend == Backend::sqlite ? "sqlite" : "postgresql"));
        PeopleDomain d(backend);
        d.f.auth().lockout_attempts = 3;
        d.f.auth().pin_kdf_iterations = 20000;  // a slow check widens the race
        domain::Principal admin{"admin-id", "admin", "admin", "T1"};
        domain::people::NewUser dave;
        dave.name = "dave";
        dave.role = "cashier";
        dave.pin = "424242";
        REQUIRE(d.people->create_user(admin, dave).ok());

        std::vector<std::thread> threads;
        std::atomic<int> locked{0}, refused{0}, other{0};
        for (int t = 0; t < 10; ++t)
            threads.emplace_back([&, t] {
                auto r = d.login("dave", "10000" + std::to_string(t));
                if (r.ok()) ++other;
                else if (r.error().code == "locked") ++locked;
                else if (r.error().code == "unauthorized") ++refused;
                else ++other;
            });
        for (auto& th : threads) th.join();
        CHECK(other == 0);
        CHECK(refused + locked == 10);
        // Exactly lockout_attempts PINs were verified and counted as wrong;
        // the rest were refused as locked without a check.
        auto wrong = d.f.db().query(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'auth.login_failed' AND reason = 'wrong PIN'");
        REQUIRE(wrong.ok());
        CHECK(wrong->rows.at(0).at(0).as_int() == 3);
        CHECK(d.audit_count("auth.lockout") == 1);
        CHECK(d.login("dave", "424242").error().code == "locked");
    }
}
