#include "domain/people/token_codec.hpp"

#include <Poco/Dynamic/Var.h>
#include <Poco/Exception.h>
#include <Poco/JSON/Object.h>
#include <Poco/JWT/Signer.h>
#include <Poco/JWT/Token.h>


#include "domain/people/pin_hash.hpp"
#include "domain/people/private_files.hpp"

namespace till::domain::people {

namespace {

constexpr const char* kAccess = "access";
constexpr const char* kOverride = "override";

std::string text_claim(const Poco::JSON::Object& payload, const std::string& name) {
    if (!payload.has(name)) return {};
    const Poco::Dynamic::Var v = payload.get(name);
    return v.isString() ? v.extract<std::string>() : std::string();
}

/// -1 when absent or not an integer.
std::int64_t int_claim(const Poco::JSON::Object& payload, const std::string& name) {
    if (!payload.has(name)) return -1;
    const Poco::Dynamic::Var v = payload.get(name);
    if (!v.isInteger()) return -1;
    return v.convert<Poco::Int64>();
}

std::string sign(const std::string& key, Poco::JWT::Token& token) {
    token.setType("JWT");
    Poco::JWT::Signer signer(key);
    return signer.sign(token, Poco::JWT::Signer::ALGO_HS256);
}

/// The verified token's payload, or a reason it is refused.
sdk::Result<Poco::JSON::Object> verified_payload(const std::string& key, std::string_view text,
                                                 const char* expected_type, std::int64_t now_utc_ms,
                                                 const char* error_code) {
    auto refuse = [&](const std::string& why) { return sdk::Error{error_code, why}; };
    if (text.empty()) return refuse("empty token");
    try {
        Poco::JWT::Signer signer(key);  // allows HS256 only
        Poco::JWT::Token token;
        if (!signer.tryVerify(std::string(text), token)) return refuse("token signature is not valid");
        if (token.getAlgorithm() != Poco::JWT::Signer::ALGO_HS256) return refuse("token algorithm is not HS256");
        const Poco::JSON::Object& payload = token.payload();
        if (text_claim(payload, "typ") != expected_type)
            return refuse(std::string("not a") + (expected_type == kAccess ? "n access" : "n override") + " token");
        const std::int64_t exp = int_claim(payload, "exp");
        if (exp < 0) return refuse("token has no valid exp claim");
        if (now_utc_ms >= exp * 1000) return refuse("token expired");
        if (payload.has("nbf")) {
            const std::int64_t nbf = int_claim(payload, "nbf");
            if (nbf < 0) return refuse("token has a malformed nbf claim");
            if (now_utc_ms < nbf * 1000) return refuse("token is not valid yet");
        }
        if (text_claim(payload, "jti").empty() || text_claim(payload, "sub").empty())
            return refuse("token lacks jti or sub");
        return Poco::JSON::Object(payload);
    } catch (const Poco::Exception& e) {
        return refuse("malformed token: " + e.displayText());
    } catch (const std::exception& e) {
        return refuse(std::string("malformed token: ") + e.what());
    }
}

}  // namespace

TokenCodec::TokenCodec(std::string key) : key_(std::move(key)) {}

std::string TokenCodec::sign_access(const AccessClaims& c) const {
    Poco::JWT::Token token;
    auto& p = token.payload();
    p.set("typ", std::string(kAccess));
    p.set("jti", c.jti);
    p.set("sub", c.user_id);
    p.set("name", c.user_name);
    p.set("role", c.role);
    p.set("terminal", c.terminal_id);
    p.set("iat", static_cast<Poco::Int64>(c.issued_s));
    p.set("exp", static_cast<Poco::Int64>(c.expires_s));
    return sign(key_, token);
}

std::string TokenCodec::sign_override(const OverrideClaims& c) const {
    Poco::JWT::Token token;
    auto& p = token.payload();
    p.set("typ", std::string(kOverride));
    p.set("jti", c.jti);
    p.set("sub", c.for_user_id);
    p.set("by", c.supervisor_user_id);
    p.set("action", c.action);
    p.set("reason", c.reason);
    p.set("iat", static_cast<Poco::Int64>(c.issued_s));
    p.set("exp", static_cast<Poco::Int64>(c.expires_s));
    return sign(key_, token);
}

sdk::Result<AccessClaims> TokenCodec::verify_access(std::string_view token, std::int64_t now_utc_ms) const {
    auto payload = verified_payload(key_, token, kAccess, now_utc_ms, "unauthorized");
    if (!payload) return payload.error();
    AccessClaims c;
    c.jti = text_claim(*payload, "jti");
    c.user_id = text_claim(*payload, "sub");
    c.user_name = text_claim(*payload, "name");
    c.role = text_claim(*payload, "role");
    c.terminal_id = text_claim(*payload, "terminal");
    c.issued_s = int_claim(*payload, "iat");
    c.expires_s = int_claim(*payload, "exp");
    return c;
}

sdk::Result<OverrideClaims> TokenCodec::verify_override(std::string_view token, std::int64_t now_utc_ms) const {
    auto payload = verified_payload(key_, token, kOverride, now_utc_ms, "forbidden");
    if (!payload) return payload.error();
    OverrideClaims c;
    c.jti = text_claim(*payload, "jti");
    c.for_user_id = text_claim(*payload, "sub");
    c.supervisor_user_id = text_claim(*payload, "by");
    c.action = text_claim(*payload, "action");
    c.reason = text_claim(*payload, "reason");
    c.issued_s = int_claim(*payload, "iat");
    c.expires_s = int_claim(*payload, "exp");
    if (c.action.empty() || c.supervisor_user_id.empty())
        return sdk::Error{"forbidden", "override token lacks action or by"};
    return c;
}

sdk::Result<std::string> load_or_create_jwt_key(const std::string& data_dir) {
    const std::string dir = data_dir + "/auth";
    const std::string path = dir + "/jwt.key";
    auto parse = [&](const std::string& text) -> sdk::Result<std::string> {
        std::string hex = text;
        while (!hex.empty() && (hex.back() == '\n' || hex.back() == '\r' || hex.back() == ' ')) hex.pop_back();
        std::string key;
        if (hex.size() != 64 || !from_hex(hex, key))
            return sdk::Error{"io_error", path + ": expected 64 hex digits (a 32-byte key); delete the file to "
                                                "make a new key (every issued token becomes invalid)"};
        return key;
    };
    if (auto existing = read_small_file(path); existing) return parse(*existing);

    if (auto made = make_private_dir(dir); !made.ok()) return made.error();
    const std::string hex = to_hex(random_bytes(32)) + "\n";
    auto written = create_private_file(path, hex);
    if (!written.ok()) {
        // Someone else made it first: use theirs.
        if (auto existing = read_small_file(path); existing) return parse(*existing);
        return written.error();
    }
    return parse(hex);
}

}  // namespace till::domain::people
