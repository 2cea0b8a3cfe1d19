// Small helpers shared by the sales benchmarks: latency percentiles, ids,
// the result of one run.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "sync_counter.hpp"

namespace till::bench {

using Clock = std::chrono::steady_clock;

inline double ms_since(Clock::time_point start) {
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

/// The p-th percentile (0..100) of `samples_ms` (nearest rank); 0 when empty.
inline double percentile(std::vector<double> samples_ms, double p) {
    if (samples_ms.empty()) return 0;
    std::sort(samples_ms.begin(), samples_ms.end());
    auto rank = static_cast<std::size_t>(p / 100.0 * static_cast<double>(samples_ms.size()));
    if (rank >= samples_ms.size()) rank = samples_ms.size() - 1;
    return samples_ms[rank];
}

/// A UUID-shaped random id (the sizes of the real rows).
inline std::string random_id(std::mt19937_64& random) {
    static const char* hex = "0123456789abcdef";
    std::string id(36, '-');
    for (std::size_t i = 0; i < id.size(); ++i)
        if (i != 8 && i != 13 && i != 18 && i != 23) id[i] = hex[random() % 16];
    return id;
}

struct SaleRun {
    int sales = 0;
    double seconds = 0;
    std::vector<double> commit_ms;  ///< the durable commit of each sale
    std::vector<double> sale_ms;    ///< the whole sale (cart + payment)
    SyncCounts syncs;               ///< during the timed sales
    SyncCounts cart_syncs;          ///< of which during cart edits (domain run only)
    double per_second() const { return seconds > 0 ? sales / seconds : 0; }
};

}  // namespace till::bench
