// The baseline: the rows of a sale (order, 5 lines, payment, 5 stock
// movements, an audit row) inserted with the sqlite3 C API in one
// transaction per sale, WAL + synchronous=FULL, prepared statements.
#pragma once

#include <string>

#include "bench_stats.hpp"

namespace till::bench {

/// Runs `warmup` then `sales` sales on a new database in `dir`.
SaleRun run_raw_sales(const std::string& dir, int warmup, int sales, const SyncCounter& syncs);

}  // namespace till::bench
