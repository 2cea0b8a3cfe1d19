// Largest-remainder allocation: split an integer total in proportion to
// weights so that no unit appears or disappears.
#include <algorithm>
#include <numeric>

#include "domain/pricing/engine.hpp"

namespace till::domain::pricing::detail {

std::vector<Int128> allocate(Int128 total, const std::vector<Int128>& weights, const std::vector<Int128>* capacity) {
    const std::size_t n = weights.size();
    std::vector<Int128> shares(n, 0);
    const Int128 sum = std::accumulate(weights.begin(), weights.end(), Int128{0});
    if (n == 0 || sum <= 0 || total <= 0) return shares;

    std::vector<Int128> remainders(n, 0);
    Int128 left = total;
    for (std::size_t i = 0; i < n; ++i) {
        const Int128 exact = total * weights[i];  // both fit int64: no overflow
        shares[i] = exact / sum;
        remainders[i] = exact % sum;
        if (capacity != nullptr) shares[i] = std::min(shares[i], std::max<Int128>((*capacity)[i], 0));
        left -= shares[i];
    }
    if (left <= 0) return shares;

    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return remainders[a] > remainders[b]; });
    // Without capacities one pass suffices (fewer units are left than lines
    // with a remainder); with them, later passes place what a full line
    // could not take.
    while (left > 0) {
        Int128 placed = 0;
        for (std::size_t i : order) {
            if (left == 0) break;
            if (capacity != nullptr && shares[i] >= (*capacity)[i]) continue;
            if (capacity == nullptr && weights[i] == 0) continue;
            ++shares[i];
            --left;
            ++placed;
        }
        if (placed == 0) break;
    }
    return shares;
}

}  // namespace till::domain::pricing::detail
