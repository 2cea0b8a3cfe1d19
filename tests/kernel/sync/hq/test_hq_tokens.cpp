// Store tokens: issued once (only the SHA-256 kept), authenticate until
// revoked, a new token works again; bundle_key is the token's SHA-256.
#include "hq_rig.hpp"

#include "sync/hq/token_store.hpp"

using namespace till;
using namespace till::sync::hq;
using namespace till::sync::hq::testing;

TEST_CASE("hq tokens: issue, authenticate, revoke, issue again", "[sync][hq]") {
    for_each_backend("hq_tokens", [](Backend backend, const std::string& hint) {
        HqRig rig(fresh_place(backend, hint));
        auto token = rig.hub->tokens().issue("store-001");
        REQUIRE(token.ok());
        CHECK(token->size() == 64);
        CHECK(token->find_first_not_of("0123456789abcdef") == std::string::npos);
        // Only the hash is stored.
        CHECK(rig.count("sync_hq_tokens", "token_sha256 = '" + sha256_hex(*token) + "'") == 1);
        CHECK(rig.dump("SELECT token_sha256 FROM sync_hq_tokens").find(*token) == std::string::npos);
        // Issuing registers the store.
        CHECK(rig.count("sync_hq_stores", "store_id = 'store-001'") == 1);

        auto who = rig.hub->authenticate_store(*token);
        REQUIRE(who.ok());
        CHECK(*who == "store-001");
        auto key = rig.hub->bundle_key("store-001");
        REQUIRE(key.ok());
        CHECK(*key == sha256_hex(*token));

        auto wrong = rig.hub->authenticate_store(std::string(64, 'a'));
        REQUIRE_FALSE(wrong.ok());
        CHECK(wrong.error().code == "unauthorized");
        CHECK(rig.hub->authenticate_store("").error().code == "unauthorized");

        auto revoked = rig.hub->tokens().revoke("store-001");
        REQUIRE(revoked.ok());
        CHECK(*revoked == 1);
        CHECK(rig.hub->authenticate_store(*token).error().code == "unauthorized");
        CHECK(rig.hub->bundle_key("store-001").error().code == "unauthorized");

        rig.clock.advance_ms(1000);
        auto fresh = rig.hub->tokens().issue("store-001");
        REQUIRE(fresh.ok());
        CHECK(*fresh != *token);
        CHECK(*rig.hub->authenticate_store(*fresh) == "store-001");
        CHECK(rig.hub->authenticate_store(*token).error().code == "unauthorized");

        auto list = rig.hub->tokens().list();
        REQUIRE(list.ok());
        REQUIRE(list->size() == 2);
        CHECK((*list)[0].revoked_utc_ms.has_value());
        CHECK_FALSE((*list)[1].revoked_utc_ms.has_value());
    });
}

TEST_CASE("hq tokens: store ids are checked", "[sync][hq]") {
    HqRig rig(fresh_place(Backend::sqlite, "hq_token_ids"));
    for (const char* bad : {"", "a b", "store/1", "x'; DROP TABLE sync_hq_tokens; --"}) {
        auto r = rig.hub->tokens().issue(bad);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().code == "invalid_argument");
    }
    CHECK(rig.hub->tokens().issue(std::string(64, 's')).ok());
    CHECK_FALSE(rig.hub->tokens().issue(std::string(65, 's')).ok());
}
