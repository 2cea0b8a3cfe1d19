// Scan latency, printed as p50/p99 in µs (asserts nothing; not run by ctest):
//   1. device: a line written to scanner_serial's TCP loopback source →
//      ScanData at the scan handler (the real built plugin .so);
//   2. to the order: the same scan → the kernel ScanService (check digit,
//      catalog lookup, the terminal's open order, real SQLite) →
//      `order.line_added` on the event bus.
// Run: build/tests/bench/scanning/bench_scan [scans]
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>
#include <vector>

#include "domain/scanning/scan_service.hpp"
#include "log/log_manager.hpp"
#include "orders_world.hpp"
#include "plugin_host/discovery.hpp"
#include "plugin_host/plugin_host.hpp"

using namespace till;
using Clock = std::chrono::steady_clock;

namespace {

struct Counter {
    std::mutex mutex;
    std::condition_variable changed;
    std::size_t count = 0;
    void bump() {
        std::lock_guard lock(mutex);
        ++count;
        changed.notify_all();
    }
    bool wait_for(std::size_t n, int timeout_ms) {
        std::unique_lock lock(mutex);
        return changed.wait_for(lock, std::chrono::milliseconds(timeout_ms), [&] { return count >= n; });
    }
};

int connect_loopback(int port) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    if (fd < 0 || ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        std::fprintf(stderr, "cannot connect to the loopback scanner on port %d\n", port);
        std::exit(1);
    }
    return fd;
}

void print(const char* what, std::vector<double> us) {
    std::sort(us.begin(), us.end());
    auto at = [&](double q) { return us[static_cast<std::size_t>(q * static_cast<double>(us.size() - 1))]; };
    std::printf("%-44s n=%zu  p50 %8.1f us  p99 %8.1f us  max %8.1f us\n", what, us.size(), at(0.5), at(0.99),
                us.back());
}

/// Sends `n` scans one at a time, each after the previous one arrived.
std::vector<double> measure(int fd, Counter& counter, std::size_t n) {
    std::vector<double> us;
    const std::string line = "4006381333931\r\n";
    for (std::size_t i = 0; i < n; ++i) {
        const std::size_t before = counter.count;
        const auto t0 = Clock::now();
        if (::send(fd, line.data(), line.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(line.size())) std::exit(1);
        if (!counter.wait_for(before + 1, 5000)) {
            std::fprintf(stderr, "scan %zu did not arrive within 5 s\n", i);
            std::exit(1);
        }
        us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
    }
    return us;
}

}  // namespace

int main(int argc, char** argv) {
    const std::size_t n = argc > 1 ? static_cast<std::size_t>(std::atoi(argv[1])) : 300;

    test::DomainFixture f;
    test::SalesWorld w(f);
    w.seed_catalog();

    // The real scanner_serial plugin, loopback source on a free port.
    log::LogSettings log_settings;
    log_settings.level = sdk::LogLevel::warn;
    auto logs = log::LogManager::create(log_settings);
    if (!logs) return 1;
    api::Router router;
    plugin_host::PluginHost host(plugin_host::HostServices{
        sdk::NodeInfo{"bench", sdk::NodeRole::store, f.data_dir(), "bench"}, **logs, f.clock(), f.db(), f.bus(), router});
    host.adopt(plugin_host::discover_plugins({TILL_BENCH_PLUGIN_DIR}));
    plugin_host::PluginSelection selection;
    selection.enabled_given = true;
    selection.enabled = {"scanner_serial"};
    sdk::Value config = sdk::Value::map();
    config.set("device_id", "scanner-1");
    config.set("source", "tcp");
    if (auto s = host.start({{"scanner_serial", config}}, selection); !s.ok()) {
        std::fprintf(stderr, "scanner_serial: %s\n", s.message().c_str());
        return 1;
    }
    auto scanner = std::dynamic_pointer_cast<sdk::Scanner>(host.registry().device("scanner-1"));
    if (!scanner) {
        std::fprintf(stderr, "scanner_serial did not start (built? %s)\n", TILL_BENCH_PLUGIN_DIR);
        return 1;
    }

    // 1. Loopback → handler.
    Counter at_handler;
    scanner->set_scan_handler([&](const sdk::ScanData&) { at_handler.bump(); });
    if (!scanner->open().ok() || !scanner->claim(1000).ok() || !scanner->enable().ok()) return 1;
    const int port = static_cast<int>(scanner->statistics().extra["tcp_port"]);
    int fd = connect_loopback(port);
    measure(fd, at_handler, 20);  // warm-up
    print("loopback TCP -> ScanData at handler", measure(fd, at_handler, n));
    ::close(fd);
    scanner->close();

    // 2. Loopback → ScanService → order.line_added (the scanner is handed to
    // the kernel's registry as the node does when plugins start).
    plugin_host::StagedCapabilities staged;
    staged.devices["scanner-1"] = scanner;
    f.registry().add("scanner_serial", staged);
    domain::scanning::ScanSettings settings;
    settings.terminal_of["scanner-1"] = "T1";
    domain::scanning::ScanService scans(f.ctx(), w.people, w.orders, w.catalog, settings);
    Counter lines;
    auto sub = f.bus().subscribe("order.line_added", [&](const sdk::Event&) { lines.bump(); });
    if (!w.orders.open_order(w.as("alice", "T1"), {"retail", "", sdk::Value::map()})) return 1;
    if (scans.attach_scanners() != 1) {
        std::fprintf(stderr, "the scan service did not attach the scanner\n");
        return 1;
    }
    fd = connect_loopback(static_cast<int>(scanner->statistics().extra["tcp_port"]));
    measure(fd, lines, 20);
    // A fresh order every 10 scans (the newest open order is the active
    // one), so the figure is a scan into a basket of 1-10 lines, not 300.
    std::vector<double> into_order;
    while (into_order.size() < n) {
        if (!w.orders.open_order(w.as("alice", "T1"), {"retail", "", sdk::Value::map()})) return 1;
        for (double us : measure(fd, lines, 10)) into_order.push_back(us);
    }
    print("loopback TCP -> order.line_added (SQLite)", into_order);
    ::close(fd);

    scans.stop();
    f.bus().unsubscribe(sub);
    f.registry().remove_owner("scanner_serial");
    scanner.reset();
    host.stop();
    return 0;
}
