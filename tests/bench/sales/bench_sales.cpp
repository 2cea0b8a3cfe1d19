// Sales benchmarks (docs/performance.md): durable sale commits per second
// through the domain services against raw SQLite, with the WAL syncs each
// sale costs; API add-line latency under 8 concurrent terminals.
//
//   build/tests/bench/sales/bench_sales [sales=300] [add_lines_per_terminal=200]
//
// Prints figures, asserts nothing. Data goes to a temp dir under $TMPDIR
// (or /tmp): it must be a real disk for the fsync figures to mean anything.
#include <sys/statfs.h>
#include <sys/utsname.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <exception>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "api_latency.hpp"
#include "domain_sale.hpp"
#include "raw_sale.hpp"
#include "store_rig.hpp"
#include "support/temp_dir.hpp"

using namespace till::bench;

namespace {

std::string filesystem_of(const std::string& path) {
    struct statfs fs{};
    if (statfs(path.c_str(), &fs) != 0) return "unknown";
    switch (static_cast<unsigned long>(fs.f_type)) {
        case 0xEF53UL: return "ext4";
        case 0x01021994UL: return "tmpfs (fsync is free: figures are not durable ones)";
        case 0x58465342UL: return "xfs";
        case 0x9123683EUL: return "btrfs";
        case 0x794C7630UL: return "overlayfs";
        default: {
            char text[40];
            std::snprintf(text, sizeof text, "fs type 0x%lx", static_cast<unsigned long>(fs.f_type));
            return text;
        }
    }
}

void print_run(const char* name, const SaleRun& r, const char* commit_label) {
    std::printf("  %-14s %6d sales in %6.2f s = %8.1f sales/s | %s p50 %6.3f ms p99 %6.3f ms | whole sale p50 %6.3f ms "
                "p99 %6.3f ms\n",
                name, r.sales, r.seconds, r.per_second(), commit_label, percentile(r.commit_ms, 50),
                percentile(r.commit_ms, 99), percentile(r.sale_ms, 50), percentile(r.sale_ms, 99));
    const double n = r.sales > 0 ? r.sales : 1;
    std::printf("  %-14s syncs per sale: WAL %.2f, database file %.2f, other %.2f (total %.2f)\n", "", r.syncs.wal / n,
                r.syncs.db / n, r.syncs.other / n, r.syncs.total() / n);
}

}  // namespace

int main(int argc, char** argv) {
    const int sales = argc > 1 ? std::max(10, std::atoi(argv[1])) : 300;
    const int add_lines = argc > 2 ? std::max(10, std::atoi(argv[2])) : 200;
    const int warmup = std::max(5, sales / 10);
    try {
        auto syncs = SyncCounter::install();
        if (!syncs) {
            std::fprintf(stderr, "bench_sales: could not install the counting SQLite VFS\n");
            return 1;
        }
        till::test::TempDir dir("till-bench-sales");
        struct utsname host{};
        uname(&host);
        std::time_t now = std::time(nullptr);
        char date[32];
        std::strftime(date, sizeof date, "%Y-%m-%d %H:%M", std::localtime(&now));
        std::printf("bench_sales %s on %s %s, %u hardware threads; data in %s (%s)\n", date, host.sysname,
                    host.release, std::thread::hardware_concurrency(), dir.path().c_str(),
                    filesystem_of(dir.path()).c_str());

        // (i) durable sales: raw SQLite, then the domain services.
        std::printf("\n(i) durable sale commits: 5 lines + 1 cash payment per sale, SQLite WAL, synchronous=FULL, "
                    "%d sales after %d warm-up\n",
                    sales, warmup);
        std::filesystem::create_directories(dir.file("raw"));
        const SaleRun raw = run_raw_sales(dir.file("raw"), warmup, sales, *syncs);
        print_run("raw sqlite3", raw, "txn");

        SaleRun domain, submitted;
        {
            const std::string data = dir.file("domain");
            const std::string config = dir.write("domain.yaml", sales_node_config(data, TILL_BUILD_PLUGIN_DIR));
            auto rig = StoreRig::start(config);
            const PreparedStore store = prepare_store(rig->sender(), data);
            domain = run_domain_sales(rig->sender(), store, warmup, sales, *syncs, SubmitFirst::no);
            submitted = run_domain_sales(rig->sender(), store, warmup, sales, *syncs, SubmitFirst::yes);
        }
        auto report = [&](const char* name, const SaleRun& run, const char* cart) {
            print_run(name, run, "payment");
            const double n = run.sales > 0 ? run.sales : 1;
            std::printf("  %-14s WAL syncs per sale: %.2f in %s, %.2f in the payment\n", "", run.cart_syncs.wal / n,
                        cart, (run.syncs.wal - run.cart_syncs.wal) / n);
            std::printf("  %-14s ratio till/raw: %.3f (target >= 0.8) | commit p99 %.3f ms (target <= 2 ms) | "
                        "WAL syncs per sale %.2f (target 1)\n",
                        "", raw.per_second() > 0 ? run.per_second() / raw.per_second() : 0.0,
                        percentile(run.commit_ms, 99), run.syncs.wal / n);
        };
        report("till domain", domain, "open + 5 add-lines");
        report("  + submit", submitted, "open + 5 add-lines + submit");

        // (ii) API add-line latency, 8 terminals.
        {
            const std::string data = dir.file("api");
            const std::string config = dir.write("api.yaml", sales_node_config(data, TILL_BUILD_PLUGIN_DIR));
            const ApiLatencyRun api = run_api_add_line(config, data, 8, add_lines, 20);
            std::printf("\n(ii) API add-line, %d terminals x %d requests (own order each, 20 lines per order), HTTP "
                        "keep-alive on 127.0.0.1:\n",
                        api.terminals, add_lines);
            std::printf("  %d requests in %.2f s = %.1f req/s | p50 %.3f ms p90 %.3f ms p99 %.3f ms max %.3f ms\n",
                        api.requests, api.seconds, api.seconds > 0 ? api.requests / api.seconds : 0.0,
                        percentile(api.add_line_ms, 50), percentile(api.add_line_ms, 90),
                        percentile(api.add_line_ms, 99), percentile(api.add_line_ms, 100));
        }
        std::printf("\n(iii) catalog search on 50,000 SKUs: see build/tests/bench/catalog/bench_catalog\n");
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_sales: %s\n", e.what());
        return 1;
    }
    return 0;
}
