// The real clock (sdk::Clock) a node hands its plugins.
#pragma once

#include "till/sdk/clock.hpp"

namespace till::node {

class SystemClock final : public sdk::Clock {
public:
    std::int64_t now_utc_ms() const noexcept override;
    std::int64_t monotonic_ms() const noexcept override;
};

}  // namespace till::node
