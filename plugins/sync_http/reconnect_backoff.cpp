#include "reconnect_backoff.hpp"

#include <algorithm>

namespace till::sync_http {

std::int64_t reconnect_delay_ms(std::int64_t failures, std::int64_t initial_ms, std::int64_t max_ms,
                                std::uint64_t random) noexcept {
    initial_ms = std::max<std::int64_t>(initial_ms, 1);
    max_ms = std::max(max_ms, initial_ms);
    std::int64_t cap = initial_ms;
    for (std::int64_t i = 1; i < failures && cap < max_ms; ++i) cap = std::min(max_ms, cap * 2);
    const std::int64_t half = cap / 2;
    const auto span = static_cast<std::uint64_t>(cap - half + 1);
    return half + static_cast<std::int64_t>(random % span);
}

}  // namespace till::sync_http
