// sync_http: how long the notification WebSocket waits before reconnecting.
#pragma once

#include <cstdint>

namespace till::sync_http {

/// Wait before reconnection attempt `failures` (1 = first failure):
/// cap = min(max_ms, initial_ms * 2^(failures-1)); the wait is uniform in
/// [cap/2, cap] ("equal jitter"), picked by `random` (any 64-bit value), so
/// a thousand stores cut off together do not come back in step.
std::int64_t reconnect_delay_ms(std::int64_t failures, std::int64_t initial_ms, std::int64_t max_ms,
                                std::uint64_t random) noexcept;

}  // namespace till::sync_http
