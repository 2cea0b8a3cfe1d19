// Benchmark (b) of issue 5: many simulated stores pushing to one HQ at once.
//
//   build/tests/bench/sync/bench_sync_push_stores [stores=50] [rounds=10] [events=200]
//
// HQ is a real tilld (role hq, hq_sync on its own listener) on a PostgreSQL
// started here. A real store sells 8 sales through the API (5 lines each) and
// pushes them; their outbox events are the templates. Each simulated store
// has its own token (`tillctl hq token issue`) and one client thread with a
// keep-alive connection posting `rounds` gzip batches of `events` events
// (sale events with fresh ids, sequences 1, 2, ...) to POST /sync/v1/batches,
// all threads released together. Prints events/s over the whole run and
// p50/p99/max of the request round trip (HQ applies a batch in one
// transaction before it answers), then checks HQ holds every event once.
#include <zlib.h>

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <sstream>
#include <thread>

#include "bench_world.hpp"
#include "sale_template.hpp"
#include "support/test_postgres.hpp"

namespace {

using namespace till;
using namespace till::bench;

class WallClock final : public sdk::Clock {
public:
    std::int64_t now_utc_ms() const noexcept override {
        return std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::system_clock::now().time_since_epoch())
            .count();
    }
    std::int64_t monotonic_ms() const noexcept override {
        return std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::steady_clock::now().time_since_epoch())
            .count();
    }
};

std::string gzip(const std::string& text) {
    z_stream z{};
    require(deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) == Z_OK,
            "deflateInit2");
    std::string out(deflateBound(&z, static_cast<uLong>(text.size())) + 32, '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
    z.avail_in = static_cast<uInt>(text.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    const int rc = deflate(&z, Z_FINISH);
    out.resize(z.total_out);
    deflateEnd(&z);
    require(rc == Z_STREAM_END, "gzip failed");
    return out;
}

std::string hlc(std::int64_t wall_ms, const std::string& node) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%015lld-%05d-", static_cast<long long>(wall_ms), 0);
    return buf + node;
}

std::string quoted(const std::string& s) { return sdk::Value(s).to_json(); }

/// `rounds` gzip batches of `per_batch` sale events of `store`.
std::vector<std::string> make_batches(const std::string& store, const std::vector<SaleTemplate>& templates,
                                      domain::IdGenerator& ids, int rounds, int per_batch, std::int64_t& events,
                                      std::int64_t& raw_bytes, std::int64_t& gz_bytes) {
    std::vector<std::string> out;
    const std::int64_t base_ms = 1763770000000;
    std::int64_t sequence = 0;
    std::size_t next_template = 0;
    for (int r = 0; r < rounds; ++r) {
        std::string body = R"({"schema":1,"batch_id":")" + ids.next() + R"(","node_id":)" + quoted(store) +
                           R"(,"events":[)";
        int in_batch = 0;
        while (in_batch < per_batch) {
            for (const auto& e : templates[next_template++ % templates.size()].instance(ids)) {
                if (in_batch == per_batch) break;
                ++sequence;
                if (in_batch++) body += ',';
                body += R"({"event_id":")" + ids.next() + R"(","node_id":)" + quoted(store) +
                        R"(,"sequence":)" + std::to_string(sequence) + R"(,"hlc":")" +
                        hlc(base_ms + sequence, store) + R"(","type":)" + quoted(e.type) +
                        R"(,"entity_id":)" + quoted(e.entity_id) + R"(,"created_utc_ms":)" +
                        std::to_string(base_ms + sequence) + R"(,"payload":)" + e.payload_json + "}";
            }
        }
        body += "]}";
        events += in_batch;
        raw_bytes += static_cast<std::int64_t>(body.size());
        out.push_back(gzip(body));
        gz_bytes += static_cast<std::int64_t>(out.back().size());
    }
    return out;
}

struct StoreResult {
    std::vector<double> latency_ms;
    std::string error;
};

void push_all(int port, const std::string& token, const std::vector<std::string>& batches, int per_batch,
              StoreResult& result) {
    try {
        Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port));
        session.setTimeout(Poco::Timespan(300, 0));
        session.setKeepAlive(true);
        for (const auto& body : batches) {
            Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, "/sync/v1/batches",
                                           Poco::Net::HTTPMessage::HTTP_1_1);
            request.set("Authorization", "Bearer " + token);
            request.setContentType("application/json");
            request.set("Content-Encoding", "gzip");
            request.setContentLength(static_cast<std::streamsize>(body.size()));
            request.setKeepAlive(true);
            const auto start = Clock::now();
            session.sendRequest(request) << body;
            Poco::Net::HTTPResponse response;
            std::istream& in = session.receiveResponse(response);
            std::string answer;
            Poco::StreamCopier::copyToString(in, answer);
            result.latency_ms.push_back(seconds_since(start) * 1000.0);
            if (response.getStatus() != Poco::Net::HTTPResponse::HTTP_OK) {
                result.error = std::to_string(response.getStatus()) + " " + answer.substr(0, 300);
                return;
            }
            auto parsed = sdk::Value::parse_json(answer);
            if (!parsed || (*parsed)["acknowledged_event_ids"].as_list().size() != static_cast<std::size_t>(per_batch)) {
                result.error = "answer does not acknowledge every event: " + answer.substr(0, 300);
                return;
            }
        }
    } catch (const std::exception& e) {
        result.error = e.what();
    }
}

double percentile(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    const auto at = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
    return v[std::min(at, v.size() - 1)];
}

int run(int stores, int rounds, int per_batch) {
    std::printf("sync push benchmark: %d stores x %d rounds x %d events per batch\n", stores, rounds, per_batch);
    Hq hq;
    hq.start();
    hq.seed_catalog();
    {
        Store real(hq, "store-template", hq.issue_token("store-template"));
        real.start();
        sell_template_sales(real, 8);
        real.stop();
        const auto templates = sale_templates(read_outbox(real.db_path()));
        require(templates.size() == 8, "expected 8 sale templates");

        WallClock clock;
        domain::IdGenerator ids(clock);
        std::vector<std::string> tokens;
        std::vector<std::vector<std::string>> batches;
        std::int64_t events = 0, raw = 0, gz = 0;
        const auto prep = Clock::now();
        for (int s = 0; s < stores; ++s) {
            char name[32];
            std::snprintf(name, sizeof name, "sim-%03d", s + 1);
            tokens.push_back(hq.issue_token(name));
            batches.push_back(make_batches(name, templates, ids, rounds, per_batch, events, raw, gz));
        }
        std::printf("prepared %d tokens and %lld events (%.1f MB JSON, %.1f MB gzip, %.1f KB gzip per batch) "
                    "in %.1f s\n",
                    stores, static_cast<long long>(events), raw / 1e6, gz / 1e6,
                    gz / 1e3 / (static_cast<double>(stores) * rounds), seconds_since(prep));
        const std::int64_t held_before = hq.sql_int("SELECT count(*) FROM sync_hq_events");

        std::vector<StoreResult> results(static_cast<std::size_t>(stores));
        std::vector<std::thread> threads;
        std::mutex mutex;
        std::condition_variable go_cv;
        bool go = false;
        for (int s = 0; s < stores; ++s)
            threads.emplace_back([&, s] {
                {
                    std::unique_lock lock(mutex);
                    go_cv.wait(lock, [&] { return go; });
                }
                push_all(hq.sync_port(), tokens[static_cast<std::size_t>(s)], batches[static_cast<std::size_t>(s)],
                         per_batch, results[static_cast<std::size_t>(s)]);
            });
        const auto start = Clock::now();
        {
            std::lock_guard lock(mutex);
            go = true;
        }
        go_cv.notify_all();
        for (auto& t : threads) t.join();
        const double wall_s = seconds_since(start);

        std::vector<double> all;
        for (const auto& r : results) {
            require(r.error.empty(), "a store failed: " + r.error);
            all.insert(all.end(), r.latency_ms.begin(), r.latency_ms.end());
        }
        const std::int64_t held = hq.sql_int("SELECT count(*) FROM sync_hq_events") - held_before;
        const std::int64_t stores_held =
            hq.sql_int("SELECT count(*) FROM sync_hq_stores WHERE store_id LIKE 'sim-%' AND acknowledged_sequence = " +
                       std::to_string(static_cast<std::int64_t>(rounds) * per_batch));
        std::printf("pushed %lld events in %zu batches in %.1f s = %.0f events/s (%.1f batches/s)\n",
                    static_cast<long long>(events), all.size(), wall_s, static_cast<double>(events) / wall_s,
                    static_cast<double>(all.size()) / wall_s);
        std::printf("apply latency (POST round trip, %d events): p50 %.0f ms, p99 %.0f ms, max %.0f ms\n", per_batch,
                    percentile(all, 0.50), percentile(all, 0.99), percentile(all, 1.0));
        std::printf("HQ holds %lld new events (expected %lld); %lld of %d stores fully acknowledged\n",
                    static_cast<long long>(held), static_cast<long long>(events), static_cast<long long>(stores_held),
                    stores);
        require(held == events && stores_held == stores, "HQ does not hold every event once");
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    std::setvbuf(stdout, nullptr, _IOLBF, 0);  // progress visible when redirected
    try {
        const int stores = argc > 1 ? std::stoi(argv[1]) : 50;
        const int rounds = argc > 2 ? std::stoi(argv[2]) : 10;
        const int events = argc > 3 ? std::stoi(argv[3]) : 200;
        if (stores < 1 || stores > 500 || rounds < 1 || events < 1)
            throw std::runtime_error("usage: bench_sync_push_stores [stores 1..500] [rounds>0] [events>0]");
        return run(stores, rounds, events);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_sync_push_stores: %s\n", e.what());
        return 1;
    }
}
