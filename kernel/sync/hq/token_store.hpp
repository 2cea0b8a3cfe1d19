// Per-store sync tokens of an HQ node (table sync_hq_tokens).
//
// A token is 32 random bytes from /dev/urandom as 64 lowercase hex digits,
// shown once when issued; HQ keeps only its SHA-256 (hex), which is also the
// key that signs the store's file bundles (SyncHub::bundle_key). A store may
// hold several live tokens (rotation: issue the new one, then revoke the
// old ones); revoke() revokes all of a store's live tokens at once.
//
// Issuing a token registers the store (a row in sync_hq_stores).
// Thread-safe: each call is one statement or one transaction on the storage.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "till/sdk/clock.hpp"
#include "till/sdk/status.hpp"
#include "till/sdk/storage.hpp"

namespace till::sync::hq {

struct TokenInfo {
    std::string token_sha256;  ///< hex; identifies the token without revealing it
    std::string store_id;
    std::int64_t issued_utc_ms = 0;
    std::optional<std::int64_t> revoked_utc_ms;
};

/// Lowercase hex SHA-256 of `text`.
std::string sha256_hex(std::string_view text);

/// True for a valid store id: 1..64 characters of letters, digits, '-', '_', '.'.
bool is_valid_store_id(std::string_view store_id) noexcept;

class TokenStore {
public:
    /// `storage` and `clock` must outlive the store; "sync.hq" migrations applied.
    TokenStore(sdk::Storage& storage, const sdk::Clock& clock);

    /// A new token for `store_id` (error "invalid_argument" for a bad id).
    sdk::Result<std::string> issue(const std::string& store_id);
    /// Revokes every live token of `store_id`; returns how many.
    sdk::Result<std::int64_t> revoke(const std::string& store_id);
    /// The store of a live token; error "unauthorized" when the token is
    /// unknown or revoked (the message never repeats the token).
    sdk::Result<std::string> authenticate(std::string_view token);
    /// The SHA-256 of the store's newest live token; "unauthorized" when none.
    sdk::Result<std::string> bundle_key(const std::string& store_id);
    /// Every token ever issued, by store then issue time.
    sdk::Result<std::vector<TokenInfo>> list();

private:
    sdk::Storage& storage_;
    const sdk::Clock& clock_;
};

}  // namespace till::sync::hq
