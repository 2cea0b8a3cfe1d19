// Retry delays after failed pushes and pulls: exponential backoff with full
// jitter. The n-th consecutive failure (n >= 1) waits a uniformly random time
// in [0, cap], cap = min(backoff_max_ms, backoff_initial_ms * 2^(n-1)), so
// many stores coming back at once spread over the window instead of
// hammering HQ together.
#pragma once

#include <cstdint>
#include <functional>

namespace till::sync {

struct BackoffSettings {
    std::int64_t initial_ms = 1000;
    std::int64_t max_ms = 300000;
};

/// Upper bound of the wait after `failures` consecutive failures (0 → 0).
std::int64_t backoff_cap_ms(const BackoffSettings& settings, std::int64_t failures) noexcept;

/// Random 64-bit numbers (uniform). Injectable so tests can pin the jitter.
using RandomSource = std::function<std::uint64_t()>;

/// The wait after `failures` consecutive failures: uniform in [0, cap].
std::int64_t backoff_delay_ms(const BackoffSettings& settings, std::int64_t failures, const RandomSource& random);

/// A RandomSource seeded from std::random_device (thread-safe).
RandomSource default_random_source();

}  // namespace till::sync
