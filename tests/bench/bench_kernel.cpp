// Kernel benchmarks: node start-up with the bundled plugins, HTTP request
// throughput and latency on loopback, and JSON encode/decode of the SDK
// Value. Every loop is bounded in count; traffic goes to 127.0.0.1 only.
//
//   build/tests/bench/bench_kernel [requests_per_client=20000] [clients=2]
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "node/node.hpp"
#include "support/temp_dir.hpp"
#include "till/sdk/value.hpp"

namespace {

using Clock = std::chrono::steady_clock;

double elapsed_us(Clock::time_point since) {
    return std::chrono::duration<double, std::micro>(Clock::now() - since).count();
}

std::string write_config(const till::test::TempDir& dir) {
    return dir.write("bench.yaml",
                     "node:\n  id: bench\n  role: store\n  data_dir: data\n  listen: 127.0.0.1:0\n"
                     "logging:\n  level: warn\n  file: node.log\n"
                     "http:\n  threads: 8\n"
                     "plugins:\n  dirs: [" TILL_BUILD_PLUGIN_DIR "]\n");
}

void bench_startup() {
    constexpr int kRuns = 5;
    std::vector<double> ms;
    for (int i = 0; i < kRuns; ++i) {
        till::test::TempDir dir("till-bench");
        till::node::NodeOptions options{write_config(dir), {}};
        auto start = Clock::now();
        auto node = till::node::Node::start(options);
        double t = elapsed_us(start) / 1000.0;
        if (!node) {
            std::printf("startup: failed: %s\n", node.error().message.c_str());
            return;
        }
        ms.push_back(t);
        (*node)->stop();
    }
    std::sort(ms.begin(), ms.end());
    std::printf("node start (fresh SQLite, bundled plugins): median %.1f ms, min %.1f ms over %d runs\n",
                ms[ms.size() / 2], ms.front(), kRuns);
}

void bench_http(int requests_per_client, int clients) {
    till::test::TempDir dir("till-bench");
    till::node::NodeOptions options{write_config(dir), {}};
    auto node = till::node::Node::start(options);
    if (!node) {
        std::printf("http: failed to start: %s\n", node.error().message.c_str());
        return;
    }
    const int port = (*node)->port();
    for (const char* path : {"/healthz", "/api/v1/node"}) {
        std::vector<std::vector<double>> latencies(static_cast<std::size_t>(clients));
        auto start = Clock::now();
        std::vector<std::thread> threads;
        for (int c = 0; c < clients; ++c) {
            threads.emplace_back([&, c] {
                Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port));
                session.setKeepAlive(true);
                auto& mine = latencies[static_cast<std::size_t>(c)];
                mine.reserve(static_cast<std::size_t>(requests_per_client));
                std::string body;
                for (int i = 0; i < requests_per_client; ++i) {
                    auto t0 = Clock::now();
                    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, path,
                                                   Poco::Net::HTTPMessage::HTTP_1_1);
                    request.setKeepAlive(true);
                    session.sendRequest(request);
                    Poco::Net::HTTPResponse response;
                    std::istream& in = session.receiveResponse(response);
                    body.clear();
                    Poco::StreamCopier::copyToString(in, body);
                    mine.push_back(elapsed_us(t0));
                }
            });
        }
        for (auto& t : threads) t.join();
        double total_s = elapsed_us(start) / 1e6;
        std::vector<double> all;
        for (auto& l : latencies) all.insert(all.end(), l.begin(), l.end());
        std::sort(all.begin(), all.end());
        std::printf("GET %-13s %d clients x %d keep-alive requests: %.0f req/s, p50 %.0f us, p99 %.0f us\n", path,
                    clients, requests_per_client, static_cast<double>(all.size()) / total_s, all[all.size() / 2],
                    all[all.size() * 99 / 100]);
    }
    (*node)->stop();
}

std::size_t parsed_size(const std::string& text) {
    auto parsed = till::sdk::Value::parse_json(text);
    return parsed ? parsed->size() : 0;
}

void bench_json() {
    till::sdk::Value order = till::sdk::Value::map();
    order.set("order_id", "0190f1e2-7a3b-7c00-8000-000000000001");
    till::sdk::Value lines = till::sdk::Value::list();
    for (int i = 0; i < 30; ++i) {
        till::sdk::Value line = till::sdk::Value::map();
        line.set("sku", "SKU-" + std::to_string(1000 + i));
        line.set("name", "Item number " + std::to_string(i) + " \"quoted\"");
        line.set("qty_milli", 1000 + i);
        line.set("unit_price_minor", 250 + i);
        lines.push_back(std::move(line));
    }
    order.set("lines", std::move(lines));
    constexpr int kRounds = 20000;
    std::string text = order.to_json();
    auto start = Clock::now();
    std::size_t bytes = 0;
    for (int i = 0; i < kRounds; ++i) bytes += order.to_json().size();
    double encode_us = elapsed_us(start) / kRounds;
    start = Clock::now();
    std::size_t members = 0;
    for (int i = 0; i < kRounds; ++i) members += parsed_size(text);
    double decode_us = elapsed_us(start) / kRounds;
    std::printf("JSON, a 30-line order (%zu bytes): encode %.2f us, decode %.2f us (checksum %zu/%zu)\n", text.size(),
                encode_us, decode_us, bytes, members);
}

}  // namespace

int main(int argc, char** argv) {
    int requests = argc > 1 ? std::max(1, std::atoi(argv[1])) : 20000;
    int clients = argc > 2 ? std::clamp(std::atoi(argv[2]), 1, 64) : 2;
    bench_startup();
    bench_http(requests, clients);
    bench_json();
    return 0;
}
