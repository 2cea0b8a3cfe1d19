#include "node/system_clock.hpp"

#include <chrono>

namespace till::node {

std::int64_t SystemClock::now_utc_ms() const noexcept {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count() + offset_ms_;
}

std::int64_t SystemClock::monotonic_ms() const noexcept {
    using namespace std::chrono;
    return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

}  // namespace till::node
