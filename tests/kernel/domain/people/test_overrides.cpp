#include <catch2/catch.hpp>

#include <atomic>
#include <thread>
#include <vector>

#include "people_test_support.hpp"

using namespace till;
using till::test::Backend;
using till::test::PeopleDomain;

namespace {

domain::people::OverrideRequest void_by_bob(const std::string& pin = "2222") {
    domain::people::OverrideRequest r;
    r.action = "order.void";
    r.supervisor_user_name = "bob";
    r.pin = pin;
    r.reason = "customer walked away";
    return r;
}

const char* name_of(Backend b) { return b == Backend::sqlite ? "sqlite" : "postgresql"; }

}  // namespace

TEST_CASE("a supervisor's override authorises one restricted action once", "[people][override]") {
    for (Backend backend : {Backend::sqlite, Backend::postgresql}) {
        INFO("backend " << name_of(backend));
        PeopleDomain d(backend);
        auto alice = d.principal("alice", "1111");
        auto l = d.login("alice", "1111");
        REQUIRE(l.ok());
        auto grant = d.people->grant_override(alice, void_by_bob());
        REQUIRE(grant.ok());
        CHECK(grant->action == "order.void");
        CHECK(grant->for_user_id == alice.user_id);
        CHECK(grant->expires_utc_ms == d.f.clock().now_utc_ms() + 120 * 1000);
        CHECK(d.f.last_event("auth.override").payload["stage"].as_string() == "granted");

        auto req = PeopleDomain::bearer(l->token, grant->token);
        auto used = d.people->authorize(alice, domain::action::order_void, req);
        REQUIRE(used.ok());
        CHECK(used->principal.user_id == alice.user_id);
        CHECK(used->override_user_id == grant->supervisor_user_id);
        CHECK(used->override_reason == "customer walked away");
        CHECK(d.audit_count("auth.override") == 2);  // granted + used

        auto again = d.people->authorize(alice, domain::action::order_void, req);
        REQUIRE_FALSE(again.ok());
        CHECK(again.error().code == "forbidden");
        CHECK(again.error().message.find("already been used") != std::string::npos);

        // Still used after a restart.
        d.restart();
        CHECK(d.people->authorize(alice, domain::action::order_void, req).error().code == "forbidden");
    }
}

TEST_CASE("an override is bound to its action and user, and expires", "[people][override]") {
    PeopleDomain d;
    auto alice = d.principal("alice", "1111");
    auto carol = d.principal("carol", "3333");
    auto grant = d.people->grant_override(alice, void_by_bob());
    REQUIRE(grant.ok());
    sdk::HttpRequest req;
    req.headers["x-till-override"] = grant->token;

    auto other_action = d.people->authorize(alice, domain::action::drawer_no_sale, req);
    REQUIRE_FALSE(other_action.ok());
    CHECK(other_action.error().code == "forbidden");
    CHECK(other_action.error().message.find("order.void") != std::string::npos);

    // Another cashier cannot use alice's override.
    domain::people::NewUser dave{"dave", "Dave", "cashier", "4444", true};
    REQUIRE(d.people->create_user(carol, dave).ok());
    auto dave_p = d.principal("dave", "4444");
    CHECK(d.people->authorize(dave_p, domain::action::order_void, req).error().code == "forbidden");

    // Garbage and access tokens are not overrides.
    sdk::HttpRequest junk;
    junk.headers["x-till-override"] = "junk";
    CHECK(d.people->authorize(alice, domain::action::order_void, junk).error().code == "forbidden");

    d.f.clock().advance_ms(120 * 1000);
    auto expired = d.people->authorize(alice, domain::action::order_void, req);
    REQUIRE_FALSE(expired.ok());
    CHECK(expired.error().code == "forbidden");
    CHECK(expired.error().message.find("expired") != std::string::npos);
}

TEST_CASE("only a role with the action can grant it, with the right PIN", "[people][override]") {
    PeopleDomain d;
    auto alice = d.principal("alice", "1111");
    domain::people::OverrideRequest by_alice = void_by_bob("1111");
    by_alice.supervisor_user_name = "alice";
    auto self = d.people->grant_override(alice, by_alice);
    REQUIRE_FALSE(self.ok());
    CHECK(self.error().code == "forbidden");
    CHECK(self.error().message.find("may not authorise order.void") != std::string::npos);

    auto users = void_by_bob();
    users.action = "users.manage";  // a supervisor lacks it
    CHECK(d.people->grant_override(alice, users).error().code == "forbidden");

    auto unknown_action = void_by_bob();
    unknown_action.action = "order.teleport";
    auto ua = d.people->grant_override(alice, unknown_action);
    REQUIRE_FALSE(ua.ok());
    CHECK(ua.error().code == "invalid_argument");
    CHECK(ua.error().message.rfind("$.action", 0) == 0);

    auto nobody = void_by_bob();
    nobody.supervisor_user_name = "zed";
    CHECK(d.people->grant_override(alice, nobody).error().code == "forbidden");

    // Wrong supervisor PINs count towards the supervisor's lockout.
    for (std::int64_t i = 1; i < d.f.auth().lockout_attempts; ++i)
        CHECK(d.people->grant_override(alice, void_by_bob("9999")).error().code == "forbidden");
    domain::people::LockInfo lock;
    CHECK(d.people->grant_override(alice, void_by_bob("9999"), &lock).error().code == "locked");
    CHECK(lock.retry_after_s > 0);
    CHECK(d.people->grant_override(alice, void_by_bob()).error().code == "locked");
    CHECK(d.login("bob", "2222").error().code == "locked");
}

TEST_CASE("two threads racing to use one override: exactly one wins", "[people][override][race]") {
    for (Backend backend : {Backend::sqlite, Backend::postgresql}) {
        INFO("backend " << name_of(backend));
        PeopleDomain d(backend);
        auto alice = d.principal("alice", "1111");
        for (int round = 0; round < 8; ++round) {
            auto grant = d.people->grant_override(alice, void_by_bob());
            REQUIRE(grant.ok());
            sdk::HttpRequest req;
            req.headers["x-till-override"] = grant->token;
            std::atomic<int> wins{0}, refusals{0}, other{0};
            std::atomic<bool> go{false};
            std::vector<std::thread> threads;
            for (int t = 0; t < 3; ++t)
                threads.emplace_back([&] {
                    while (!go.load()) std::this_thread::yield();
                    auto r = d.people->authorize(alice, domain::action::order_void, req);
                    if (r.ok()) ++wins;
                    else if (r.error().code == "forbidden") ++refusals;
                    else ++other;
                });
            go = true;
            for (auto& t : threads) t.join();
            CHECK(wins.load() == 1);
            CHECK(refusals.load() == 2);
            CHECK(other.load() == 0);
        }
        auto verify = d.audit.verify();
        REQUIRE(verify.ok());
        CHECK(verify->ok);
    }
}
