// PINs: what a valid PIN is, how it is stored (PBKDF2-HMAC-SHA256 with a
// random 16-byte salt, as "pbkdf2-sha256$<iterations>$<salt hex>$<hash hex>")
// and how it is checked (recomputed with the stored iterations, compared in
// constant time). Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace till::domain::people {

/// 4 to 12 ASCII digits.
bool is_valid_pin(std::string_view pin) noexcept;

/// A new stored hash of `pin` with a fresh random salt.
std::string hash_pin(std::string_view pin, std::int64_t iterations);
/// Same with a given salt (raw bytes): for tests and known-answer checks.
std::string hash_pin_with_salt(std::string_view pin, std::int64_t iterations, const std::string& salt);

/// True when `pin` matches `stored`. A malformed `stored` never matches.
bool verify_pin(std::string_view pin, std::string_view stored);

/// Compares without an early exit (time depends only on the lengths).
bool constant_time_equal(std::string_view a, std::string_view b) noexcept;

/// `count` bytes from the system's secure random source (/dev/urandom).
std::string random_bytes(std::size_t count);
/// Lower-case hex of raw bytes, and back ("" with ok=false on bad input).
std::string to_hex(std::string_view bytes);
bool from_hex(std::string_view hex, std::string& bytes_out);

/// A uniformly random string of `digits` decimal digits (e.g. a first PIN).
std::string random_digits(std::size_t digits);

}  // namespace till::domain::people
