#include "api_latency.hpp"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

#include <atomic>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "bench_stats.hpp"
#include "node/node.hpp"
#include "sales_fixture.hpp"

namespace till::bench {
namespace {

/// A Send over one keep-alive HTTP connection (one thread at a time).
Send http_sender(Poco::Net::HTTPClientSession& session) {
    return [&session](const std::string& method, const std::string& path, const std::string& body,
                      const std::string& token) {
        Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
        request.setKeepAlive(true);
        if (!token.empty()) request.set("Authorization", "Bearer " + token);
        if (!body.empty() || method == "POST") {
            request.setContentType("application/json");
            request.setContentLength(static_cast<std::streamsize>(body.size()));
        }
        session.sendRequest(request) << body;
        Poco::Net::HTTPResponse response;
        std::istream& in = session.receiveResponse(response);
        ApiReply reply;
        reply.status = static_cast<int>(response.getStatus());
        Poco::StreamCopier::copyToString(in, reply.body);
        if (auto parsed = sdk::Value::parse_json(reply.body)) reply.json = std::move(*parsed);
        return reply;
    };
}

}  // namespace

ApiLatencyRun run_api_add_line(const std::string& config_path, const std::string& data_dir, int terminals,
                               int requests_per_terminal, int lines_per_order) {
    auto started = node::Node::start(node::NodeOptions{config_path, config::process_env()});
    if (!started) throw std::runtime_error("node did not start: " + started.error().message);
    std::unique_ptr<node::Node> node = std::move(*started);
    const auto port = static_cast<Poco::UInt16>(node->port());

    Poco::Net::HTTPClientSession setup_session("127.0.0.1", port);
    const PreparedStore store = prepare_store(http_sender(setup_session), data_dir);
    std::vector<std::string> tokens;
    for (int t = 1; t <= terminals; ++t)
        tokens.push_back(login(http_sender(setup_session), "alice", "1111", "T" + std::to_string(t)));

    ApiLatencyRun run;
    run.terminals = terminals;
    std::mutex mutex;
    std::string failure;
    std::atomic<int> ready{0};
    std::atomic<bool> go{false};
    std::vector<std::thread> threads;
    for (int t = 0; t < terminals; ++t) {
        threads.emplace_back([&, t] {
            std::vector<double> mine;
            try {
                Poco::Net::HTTPClientSession session("127.0.0.1", port);
                Send send = http_sender(session);
                const std::string& token = tokens[static_cast<std::size_t>(t)];
                ++ready;
                while (!go) std::this_thread::yield();
                std::string path;
                std::int64_t version = 0;
                for (int i = 0; i < requests_per_terminal; ++i) {
                    if (i % lines_per_order == 0) {
                        auto order = expect(send("POST", "/api/v1/orders", R"({"order_type":"retail"})", token), 201,
                                            "open order");
                        path = "/api/v1/orders/" + order.json["order_id"].as_string() + "/lines";
                        version = order.json["version"].as_int();
                    }
                    const std::string& sku = store.skus[static_cast<std::size_t>(i) % store.skus.size()];
                    const auto start = Clock::now();
                    auto line = send("POST", path,
                                     R"({"expected_version":)" + std::to_string(version) + R"(,"sku":")" + sku + "\"}",
                                     token);
                    mine.push_back(ms_since(start));
                    expect(line, 201, "add line");
                    version = line.json["version"].as_int();
                }
            } catch (const std::exception& e) {
                std::lock_guard<std::mutex> lock(mutex);
                failure = e.what();
                ++ready;
            }
            std::lock_guard<std::mutex> lock(mutex);
            run.add_line_ms.insert(run.add_line_ms.end(), mine.begin(), mine.end());
        });
    }
    while (ready < terminals) std::this_thread::yield();
    const auto start = Clock::now();
    go = true;
    for (auto& th : threads) th.join();
    run.seconds = ms_since(start) / 1000.0;
    run.requests = static_cast<int>(run.add_line_ms.size());
    node->stop();
    if (!failure.empty()) throw std::runtime_error(failure);
    return run;
}

}  // namespace till::bench
