#include "sync/backoff.hpp"

#include <algorithm>
#include <memory>
#include <mutex>
#include <random>

namespace till::sync {

std::int64_t backoff_cap_ms(const BackoffSettings& settings, std::int64_t failures) noexcept {
    if (failures <= 0) return 0;
    const std::int64_t max_ms = std::max<std::int64_t>(settings.max_ms, 0);
    std::int64_t cap = std::max<std::int64_t>(settings.initial_ms, 0);
    for (std::int64_t i = 1; i < failures && cap < max_ms; ++i) cap *= 2;  // stops before overflowing
    return std::min(cap, max_ms);
}

std::int64_t backoff_delay_ms(const BackoffSettings& settings, std::int64_t failures, const RandomSource& random) {
    const std::int64_t cap = backoff_cap_ms(settings, failures);
    if (cap <= 0) return 0;
    const std::uint64_t draw = random ? random() : 0;
    return static_cast<std::int64_t>(draw % (static_cast<std::uint64_t>(cap) + 1));
}

RandomSource default_random_source() {
    struct State {
        std::mutex mutex;
        std::mt19937_64 engine{std::random_device{}()};
    };
    auto state = std::make_shared<State>();
    return [state]() {
        std::lock_guard lock(state->mutex);
        return state->engine();
    };
}

}  // namespace till::sync
