// The real clock (sdk::Clock) a node hands its plugins.
#pragma once

#include "till/sdk/clock.hpp"

namespace till::node {

/// `offset_ms` is added to the wall clock (never to the monotonic one): a
/// testing aid to run a node whose clock is wrong (TILL_CLOCK_OFFSET_MS).
class SystemClock final : public sdk::Clock {
public:
    void set_offset_ms(std::int64_t offset_ms) noexcept { offset_ms_ = offset_ms; }
    std::int64_t now_utc_ms() const noexcept override;
    std::int64_t monotonic_ms() const noexcept override;

private:
    std::int64_t offset_ms_ = 0;
};

}  // namespace till::node
