// Durable sales through the domain services in-process: open an order, add
// five lines, take one cash payment that settles it — the route handlers
// called directly (StoreRig), real plugins, SQLite on disk.
#pragma once

#include "bench_stats.hpp"
#include "sales_fixture.hpp"

namespace till::bench {

enum class SubmitFirst { no, yes };

/// `commit_ms` is the payment request (the durable settlement of the sale);
/// `cart_syncs` the syncs spent on the cart (open, 5 lines, and the submit
/// when `submit` is yes). Throws std::runtime_error when a step is refused.
SaleRun run_domain_sales(const Send& send, const PreparedStore& store, int warmup, int sales,
                         const SyncCounter& syncs, SubmitFirst submit);

}  // namespace till::bench
