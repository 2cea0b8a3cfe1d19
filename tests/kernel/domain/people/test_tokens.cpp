#include <catch2/catch.hpp>
#include <sys/stat.h>

#include <string>

#include "domain/people/token_codec.hpp"
#include "support/temp_dir.hpp"

using namespace till::domain::people;

namespace {

constexpr std::int64_t kNowMs = 1768471200000;  // 2026-01-15 10:00:00 UTC

AccessClaims alice_claims() {
    AccessClaims c;
    c.jti = "jti-1";
    c.user_id = "user-alice";
    c.user_name = "alice";
    c.role = "cashier";
    c.terminal_id = "T1";
    c.issued_s = kNowMs / 1000;
    c.expires_s = kNowMs / 1000 + 900;
    return c;
}

std::string base64url(const std::string& in) {
    static const char* abc = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string out;
    std::size_t i = 0;
    for (; i + 2 < in.size(); i += 3) {
        unsigned v = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8) |
                     static_cast<unsigned char>(in[i + 2]);
        out += abc[(v >> 18) & 63];
        out += abc[(v >> 12) & 63];
        out += abc[(v >> 6) & 63];
        out += abc[v & 63];
    }
    if (i + 1 == in.size()) {
        unsigned v = static_cast<unsigned char>(in[i]) << 16;
        out += abc[(v >> 18) & 63];
        out += abc[(v >> 12) & 63];
    } else if (i + 2 == in.size()) {
        unsigned v = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8);
        out += abc[(v >> 18) & 63];
        out += abc[(v >> 12) & 63];
        out += abc[(v >> 6) & 63];
    }
    return out;
}

std::string part(const std::string& token, int index) {
    std::size_t start = 0;
    for (int i = 0; i < index; ++i) start = token.find('.', start) + 1;
    auto end = token.find('.', start);
    return token.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

}  // namespace

TEST_CASE("an access token round-trips its claims", "[people][jwt]") {
    TokenCodec codec("secret-key");
    const std::string token = codec.sign_access(alice_claims());
    auto c = codec.verify_access(token, kNowMs + 1000);
    REQUIRE(c.ok());
    CHECK(c->user_id == "user-alice");
    CHECK(c->user_name == "alice");
    CHECK(c->role == "cashier");
    CHECK(c->terminal_id == "T1");
    CHECK(c->jti == "jti-1");
    CHECK(c->expires_s == kNowMs / 1000 + 900);
}

TEST_CASE("an expired access token is refused (exp checked by us, not Poco)", "[people][jwt]") {
    TokenCodec codec("secret-key");
    const std::string token = codec.sign_access(alice_claims());
    CHECK(codec.verify_access(token, kNowMs + 899 * 1000).ok());
    auto expired = codec.verify_access(token, kNowMs + 900 * 1000);
    REQUIRE_FALSE(expired.ok());
    CHECK(expired.error().code == "unauthorized");
    CHECK(expired.error().message.find("expired") != std::string::npos);
}

TEST_CASE("a tampered token, a token of another key and alg none are refused", "[people][jwt]") {
    TokenCodec codec("secret-key");
    const std::string token = codec.sign_access(alice_claims());

    // Payload changed to role admin, signature kept.
    const std::string forged_payload = base64url(
        R"({"exp":)" + std::to_string(kNowMs / 1000 + 900) +
        R"(,"iat":1,"jti":"jti-1","name":"alice","role":"admin","sub":"user-alice","terminal":"T1","typ":"access"})");
    const std::string tampered = part(token, 0) + "." + forged_payload + "." + part(token, 2);
    auto t = codec.verify_access(tampered, kNowMs);
    REQUIRE_FALSE(t.ok());
    CHECK(t.error().code == "unauthorized");

    TokenCodec other("another-key");
    CHECK_FALSE(other.verify_access(token, kNowMs).ok());

    const std::string none_header = base64url(R"({"alg":"none","typ":"JWT"})");
    CHECK_FALSE(codec.verify_access(none_header + "." + forged_payload + ".", kNowMs).ok());
    CHECK_FALSE(codec.verify_access(none_header + "." + forged_payload, kNowMs).ok());
    // HS512 header with our key is refused too: HS256 only.
    const std::string hs512 = base64url(R"({"alg":"HS512","typ":"JWT"})");
    CHECK_FALSE(codec.verify_access(hs512 + "." + forged_payload + "." + part(token, 2), kNowMs).ok());

    CHECK_FALSE(codec.verify_access("", kNowMs).ok());
    CHECK_FALSE(codec.verify_access("not.a.jwt", kNowMs).ok());
    CHECK_FALSE(codec.verify_access("garbage", kNowMs).ok());
}

TEST_CASE("override and access tokens are not interchangeable", "[people][jwt]") {
    TokenCodec codec("k");
    OverrideClaims o;
    o.jti = "o-1";
    o.action = "order.void";
    o.for_user_id = "user-alice";
    o.supervisor_user_id = "user-bob";
    o.reason = "customer changed mind";
    o.issued_s = kNowMs / 1000;
    o.expires_s = kNowMs / 1000 + 120;
    const std::string override_token = codec.sign_override(o);
    const std::string access_token = codec.sign_access(alice_claims());

    auto ok = codec.verify_override(override_token, kNowMs);
    REQUIRE(ok.ok());
    CHECK(ok->action == "order.void");
    CHECK(ok->for_user_id == "user-alice");
    CHECK(ok->supervisor_user_id == "user-bob");
    CHECK(ok->reason == "customer changed mind");

    CHECK_FALSE(codec.verify_access(override_token, kNowMs).ok());
    auto wrong = codec.verify_override(access_token, kNowMs);
    REQUIRE_FALSE(wrong.ok());
    CHECK(wrong.error().code == "forbidden");
    CHECK_FALSE(codec.verify_override(override_token, kNowMs + 120 * 1000).ok());
}

TEST_CASE("the token key is made once, owner-only, and kept", "[people][jwt]") {
    till::test::TempDir dir("till-people-key");
    auto first = load_or_create_jwt_key(dir.path());
    REQUIRE(first.ok());
    CHECK(first->size() == 32);
    struct stat st {};
    REQUIRE(::stat(dir.file("auth/jwt.key").c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    auto second = load_or_create_jwt_key(dir.path());
    REQUIRE(second.ok());
    CHECK(*second == *first);

    till::test::TempDir bad("till-people-key");
    bad.write("auth/jwt.key", "short\n");
    auto refused = load_or_create_jwt_key(bad.path());
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().message.find("jwt.key") != std::string::npos);
}
