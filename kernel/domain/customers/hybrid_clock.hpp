// A hybrid logical clock for field stamps: stamps this node writes never go
// backwards, even when the wall clock does, and always come after every
// stamp the node has seen on the record being changed (which may have been
// written elsewhere and arrived by sync). Thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>

#include "domain/customers/customer_model.hpp"
#include "till/sdk/clock.hpp"

namespace till::domain::customers {

class HybridClock {
public:
    /// `clock` must outlive this object.
    HybridClock(const sdk::Clock& clock, std::string node_id);

    /// A stamp later than every stamp made before by this clock and than
    /// every stamp in `seen` (the record's current stamps).
    FieldStamp next(const std::map<std::string, FieldStamp>& seen = {});

private:
    const sdk::Clock& clock_;
    const std::string node_id_;
    std::mutex mutex_;
    std::int64_t last_utc_ms_ = 0;
    std::int64_t last_counter_ = 0;
};

}  // namespace till::domain::customers
