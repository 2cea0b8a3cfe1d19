// Till SDK — time. Plugins ask the Host's clock instead of the system so tests
// (and the sync engine's hybrid logical clock) can control it.
// Thread-safe.
#pragma once

#include <cstdint>

namespace till::sdk {

class Clock {
public:
    virtual ~Clock();
    /// Wall-clock time, UTC milliseconds since the Unix epoch.
    virtual std::int64_t now_utc_ms() const noexcept = 0;
    /// Monotonic milliseconds for measuring durations and timeouts.
    virtual std::int64_t monotonic_ms() const noexcept = 0;
};

}  // namespace till::sdk
