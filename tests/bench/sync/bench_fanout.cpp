// Benchmark (c) of issue 5: a price change at HQ reaching 1,000 connected
// stores. The HQ side (hq_sync's SyncServer over a MemoryHub, see
// tests/plugins/hq_sync/memory_hub.hpp) runs in a child process so its
// threads and memory can be read from /proc/<pid>/status without the
// clients'. The parent holds N raw notify WebSockets in one thread and, for
// each revision, measures the time until every store was notified and until
// every store had pulled the change (GET /sync/v1/changes from 8 puller
// threads, started as each notification arrives).
//
//   build/tests/bench/sync/bench_sync_fanout [stores=1000] [rounds=5]
//
// Prints figures; asserts nothing. Not run by ctest.
#include <poll.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <fstream>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "memory_hub.hpp"
#include "raw_store_socket.hpp"
#include "sync_server.hpp"

namespace {

using Clock = std::chrono::steady_clock;

std::string token_for(int i) { return "bench-token-" + std::to_string(i); }
std::string store_for(int i) { return "store-" + std::to_string(i); }

[[noreturn]] void run_hq(int stores, int port_fd, int cmd_fd) {
    till::test::MemoryHub hub;
    for (int i = 0; i < stores; ++i) hub.add_token(token_for(i), store_for(i));
    till::hq_sync::Settings settings;
    settings.host = "127.0.0.1";
    settings.port = 0;
    settings.max_notify_connections = stores + 16;
    till::hq_sync::SyncServer server(settings, hub, nullptr);
    if (auto st = server.start(); !st) {
        std::fprintf(stderr, "hq: %s\n", st.message().c_str());
        std::_Exit(2);
    }
    hub.set_revision_handler("hq_sync", [&](std::int64_t r) { server.announce_revision(r); });
    const int port = server.port();
    [[maybe_unused]] auto w = ::write(port_fd, &port, sizeof port);
    char cmd = 0;
    int price = 100;
    while (::read(cmd_fd, &cmd, 1) == 1 && cmd != 'q') {
        till::sdk::Value p = till::sdk::Value::map();
        p.set("id", "p1");
        p.set("price_minor", ++price);
        hub.add_change("product", "p1", p);
    }
    hub.set_revision_handler("hq_sync", {});
    server.stop();
    std::_Exit(0);
}

struct ProcStatus {
    long threads = 0;
    long rss_kib = 0;
};

ProcStatus read_status(pid_t pid) {
    ProcStatus s;
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind("Threads:", 0) == 0) s.threads = std::atol(line.c_str() + 8);
        if (line.rfind("VmRSS:", 0) == 0) s.rss_kib = std::atol(line.c_str() + 6);
    }
    return s;
}

bool pull(Poco::Net::HTTPClientSession& session, const std::string& token) {
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, "/sync/v1/changes?since=0&limit=1000",
                                   Poco::Net::HTTPMessage::HTTP_1_1);
    request.set("Authorization", "Bearer " + token);
    request.setKeepAlive(true);
    session.sendRequest(request);
    Poco::Net::HTTPResponse response;
    std::ostringstream body;
    Poco::StreamCopier::copyStream(session.receiveResponse(response), body);
    return response.getStatus() == Poco::Net::HTTPResponse::HTTP_OK;
}

double ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

}  // namespace

int main(int argc, char** argv) {
    const int stores = argc > 1 ? std::atoi(argv[1]) : 1000;
    const int rounds = argc > 2 ? std::atoi(argv[2]) : 5;
    rlimit lim{};
    ::getrlimit(RLIMIT_NOFILE, &lim);
    lim.rlim_cur = lim.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &lim);

    int port_pipe[2], cmd_pipe[2];
    if (::pipe(port_pipe) != 0 || ::pipe(cmd_pipe) != 0) return 1;
    const pid_t hq = ::fork();  // before any thread exists
    if (hq == 0) {
        ::close(port_pipe[0]);
        ::close(cmd_pipe[1]);
        run_hq(stores, port_pipe[1], cmd_pipe[0]);
    }
    ::close(port_pipe[1]);
    ::close(cmd_pipe[0]);
    int port = 0;
    if (::read(port_pipe[0], &port, sizeof port) != sizeof port) {
        std::fprintf(stderr, "HQ did not start\n");
        return 1;
    }
    const ProcStatus idle = read_status(hq);

    std::vector<std::unique_ptr<till::bench::RawStoreSocket>> sockets;
    const auto connect_start = Clock::now();
    for (int i = 0; i < stores; ++i) {
        auto s = std::make_unique<till::bench::RawStoreSocket>();
        if (auto err = s->open(port, token_for(i), 10000); !err.empty()) {
            std::fprintf(stderr, "store %d: %s\n", i, err.c_str());
            return 1;
        }
        sockets.push_back(std::move(s));
    }
    const double connect_ms = ms(Clock::now() - connect_start);
    // Let the server's pool settle; the figures are for idle connections.
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    const ProcStatus held = read_status(hq);

    std::printf("hq_sync fan-out: %d stores on one HQ node (loopback, %u cores)\n", stores,
                std::thread::hardware_concurrency());
    std::printf("  connect+upgrade %d stores:   %.0f ms (%.2f ms each)\n", stores, connect_ms, connect_ms / stores);
    std::printf("  HQ threads idle / with %d:  %ld / %ld\n", stores, idle.threads, held.threads);
    std::printf("  HQ RSS idle / with %d:      %ld / %ld KiB  (%.1f KiB per idle connection)\n", stores, idle.rss_kib,
                held.rss_kib, double(held.rss_kib - idle.rss_kib) / stores);

    // Puller threads: GET /sync/v1/changes for each store as it is notified.
    std::mutex mutex;
    std::condition_variable cv;
    std::deque<int> queue;
    bool done = false;
    std::atomic<int> pulled{0};
    std::atomic<int> pull_errors{0};
    std::vector<std::thread> pullers;
    for (int t = 0; t < 8; ++t)
        pullers.emplace_back([&] {
            Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port));
            session.setKeepAlive(true);
            while (true) {
                int i;
                {
                    std::unique_lock lock(mutex);
                    cv.wait(lock, [&] { return done || !queue.empty(); });
                    if (queue.empty()) return;
                    i = queue.front();
                    queue.pop_front();
                }
                try {
                    if (!pull(session, token_for(i))) pull_errors.fetch_add(1);
                } catch (...) {
                    pull_errors.fetch_add(1);
                    session.reset();
                }
                pulled.fetch_add(1);
            }
        });

    std::vector<double> notify_all_ms, pulled_all_ms, notify_p50_ms;
    std::vector<pollfd> fds(sockets.size());
    for (int round = 1; round <= rounds; ++round) {
        pulled = 0;
        std::vector<bool> got(sockets.size(), false);
        std::vector<double> arrival;
        arrival.reserve(sockets.size());
        std::size_t remaining = sockets.size();
        const auto t0 = Clock::now();
        [[maybe_unused]] auto w = ::write(cmd_pipe[1], "r", 1);
        const auto deadline = t0 + std::chrono::seconds(60);
        while (remaining > 0 && Clock::now() < deadline) {
            for (std::size_t i = 0; i < sockets.size(); ++i) fds[i] = pollfd{sockets[i]->fd(), POLLIN, 0};
            if (::poll(fds.data(), fds.size(), 1000) <= 0) continue;
            for (std::size_t i = 0; i < sockets.size(); ++i) {
                if (!(fds[i].revents & POLLIN) || got[i]) continue;
                if (sockets[i]->read_available() >= round) {
                    got[i] = true;
                    --remaining;
                    arrival.push_back(ms(Clock::now() - t0));
                    {
                        std::lock_guard lock(mutex);
                        queue.push_back(static_cast<int>(i));
                    }
                    cv.notify_one();
                }
            }
        }
        const double all_notified = ms(Clock::now() - t0);
        while (pulled.load() < stores - static_cast<int>(remaining) && Clock::now() < deadline)
            std::this_thread::sleep_for(std::chrono::microseconds(200));
        const double all_pulled = ms(Clock::now() - t0);
        std::sort(arrival.begin(), arrival.end());
        notify_all_ms.push_back(all_notified);
        pulled_all_ms.push_back(all_pulled);
        notify_p50_ms.push_back(arrival.empty() ? 0 : arrival[arrival.size() / 2]);
        std::printf("  round %d: notified %zu/%d — p50 %.1f ms, all %.1f ms; all pulled the change %.1f ms%s\n", round,
                    sockets.size() - remaining, stores, notify_p50_ms.back(), all_notified, all_pulled,
                    remaining ? "  (SOME MISSED)" : "");
    }
    {
        std::lock_guard lock(mutex);
        done = true;
    }
    cv.notify_all();
    for (auto& t : pullers) t.join();
    const ProcStatus after = read_status(hq);
    auto median = [](std::vector<double> v) {
        std::sort(v.begin(), v.end());
        return v.empty() ? 0.0 : v[v.size() / 2];
    };
    std::printf("  median over %d rounds: all notified %.1f ms, all pulled %.1f ms; pull errors %d\n", rounds,
                median(notify_all_ms), median(pulled_all_ms), pull_errors.load());
    std::printf("  HQ threads after the rounds: %ld (8 workers max + acceptor + notify thread + main)\n",
                after.threads);

    sockets.clear();
    [[maybe_unused]] auto w = ::write(cmd_pipe[1], "q", 1);
    int status = 0;
    ::waitpid(hq, &status, 0);
    return 0;
}
