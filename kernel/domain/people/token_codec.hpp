// Signed tokens of the people module: JWTs (HS256, Poco::JWT) for logins
// ("typ" claim "access") and for a supervisor's override ("typ" "override").
// verify_*() check the signature (HS256 only: "alg": "none" and every other
// algorithm are refused), the token type, and `exp`/`nbf` against the given
// time themselves (Poco's verify() does not). Thread-safe (no mutable state).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "till/sdk/status.hpp"

namespace till::domain::people {

struct AccessClaims {
    std::string jti;
    std::string user_id;      ///< "sub"
    std::string user_name;    ///< "name"
    std::string role;         ///< "role"
    std::string terminal_id;  ///< "terminal"
    std::int64_t issued_s = 0;   ///< "iat", Unix seconds
    std::int64_t expires_s = 0;  ///< "exp", Unix seconds
};

struct OverrideClaims {
    std::string jti;
    std::string action;              ///< "action"
    std::string for_user_id;         ///< "sub": the user the override is for
    std::string supervisor_user_id;  ///< "by"
    std::string reason;              ///< "reason"
    std::int64_t issued_s = 0;
    std::int64_t expires_s = 0;
};

class TokenCodec {
public:
    /// `key`: the HMAC key (raw bytes or the configured secret text).
    explicit TokenCodec(std::string key);

    std::string sign_access(const AccessClaims& claims) const;
    std::string sign_override(const OverrideClaims& claims) const;

    /// Error code "unauthorized" with a short reason when the token is
    /// malformed, badly signed, of another type, not yet valid or expired at
    /// `now_utc_ms`.
    sdk::Result<AccessClaims> verify_access(std::string_view token, std::int64_t now_utc_ms) const;
    /// Same checks; error code "forbidden".
    sdk::Result<OverrideClaims> verify_override(std::string_view token, std::int64_t now_utc_ms) const;

private:
    std::string key_;
};

/// The node's token key: <data_dir>/auth/jwt.key (64 hex digits = 32 random
/// bytes), made once with mode 0600 when missing. Returns the raw key bytes.
/// Errors (code "io_error") name the file.
sdk::Result<std::string> load_or_create_jwt_key(const std::string& data_dir);

}  // namespace till::domain::people
