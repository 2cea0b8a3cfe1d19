#include "domain/customers/hybrid_clock.hpp"

#include <utility>

namespace till::domain::customers {

HybridClock::HybridClock(const sdk::Clock& clock, std::string node_id)
    : clock_(clock), node_id_(std::move(node_id)) {}

FieldStamp HybridClock::next(const std::map<std::string, FieldStamp>& seen) {
    std::lock_guard lock(mutex_);
    // Receive: move the clock up to the latest stamp seen on the record.
    for (const auto& [field, stamp] : seen) {
        if (stamp.utc_ms > last_utc_ms_ || (stamp.utc_ms == last_utc_ms_ && stamp.counter > last_counter_)) {
            last_utc_ms_ = stamp.utc_ms;
            last_counter_ = stamp.counter;
        }
    }
    // Send: the wall time when it is ahead, else the same time, next counter.
    const std::int64_t now_ms = clock_.now_utc_ms();
    if (now_ms > last_utc_ms_) {
        last_utc_ms_ = now_ms;
        last_counter_ = 0;
    } else {
        ++last_counter_;
    }
    return FieldStamp{last_utc_ms_, last_counter_, node_id_};
}

}  // namespace till::domain::customers
