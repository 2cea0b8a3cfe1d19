// sync_file: the digests bundles are signed with.
#pragma once

#include <string>
#include <string_view>

namespace till::sync_file {

/// Lowercase hex SHA-256 of `data`. The bundle key of a store is
/// sha256_hex(token) — the same as SyncHub::bundle_key at HQ.
std::string sha256_hex(std::string_view data);

/// Lowercase hex HMAC-SHA256 with `key` (its bytes as given: for bundles the
/// 64 ASCII hex characters of the bundle key).
std::string hmac_sha256_hex(std::string_view key, std::string_view data);

/// Compares two strings in time independent of where they differ.
bool constant_time_equal(std::string_view a, std::string_view b) noexcept;

}  // namespace till::sync_file
