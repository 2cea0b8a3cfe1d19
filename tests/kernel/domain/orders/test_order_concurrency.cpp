// Several terminals add lines to one order at the same time over real HTTP,
// each retrying when its expected_version was stale (409 conflict): no line
// is lost, and the order's version counts every change exactly once.
#include <catch2/catch.hpp>

#include <atomic>
#include <set>
#include <thread>

#include "orders_world.hpp"

using namespace till;
using sdk::Value;

namespace {

void eight_terminals_one_order(test::Backend backend) {
    test::DomainFixture f(backend);
    test::SalesWorld w(f);
    w.seed_catalog();
    w.serve();
    constexpr int kTerminals = 8;
    constexpr int kLinesEach = 6;
    std::vector<std::string> tokens;
    for (int t = 0; t < kTerminals; ++t) tokens.push_back(w.token("alice", "1111", "T" + std::to_string(t + 1)));

    Value open = Value::map();
    open.set("order_type", "retail");
    auto created = test::call(w.port(), "POST", "/api/v1/orders", tokens[0], open);
    REQUIRE(created.status == 201);
    const std::string path = "/api/v1/orders/" + created.json["order_id"].as_string();

    std::atomic<int> added{0};
    std::atomic<int> conflicts{0};
    std::atomic<int> unexpected{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kTerminals; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < kLinesEach; ++i) {
                // Bounded retries: a terminal that never gets through fails the test.
                bool done = false;
                for (int attempt = 0; attempt < 200 && !done; ++attempt) {
                    auto current = test::call(w.port(), "GET", path, tokens[t]);
                    if (current.status != 200) {
                        ++unexpected;
                        return;
                    }
                    Value body = Value::map();
                    body.set("expected_version", current.json["version"]);
                    body.set("sku", "SHIRT");
                    body.set("note", "terminal " + std::to_string(t) + " line " + std::to_string(i));
                    auto r = test::call(w.port(), "POST", path + "/lines", tokens[t], body);
                    if (r.status == 201) {
                        ++added;
                        done = true;
                    } else if (r.status == 409 && r.json["code"].as_string() == "conflict") {
                        ++conflicts;
                    } else {
                        ++unexpected;
                        return;
                    }
                }
                if (!done) {
                    ++unexpected;
                    return;
                }
            }
        });
    }
    for (auto& th : threads) th.join();

    CHECK(unexpected == 0);
    CHECK(added == kTerminals * kLinesEach);
    auto final_order = test::call(w.port(), "GET", path, tokens[0]);
    REQUIRE(final_order.status == 200);
    const auto& lines = final_order.json["lines"].as_list();
    CHECK(lines.size() == static_cast<std::size_t>(kTerminals * kLinesEach));
    // Opening is change 1; every line added is one more.
    CHECK(final_order.json["version"].as_int() == 1 + added);
    std::set<std::string> notes;
    for (const auto& l : lines) notes.insert(l["note"].as_string());
    CHECK(notes.size() == lines.size());  // every terminal's every line, once
    CHECK(final_order.json["totals"]["total_minor"].as_int() == 2000LL * kTerminals * kLinesEach);
    INFO("conflicts retried: " << conflicts.load());
}

}  // namespace

TEST_CASE("8 terminals adding lines to one order never lose a line (SQLite)", "[orders][concurrency]") {
    eight_terminals_one_order(test::Backend::sqlite);
}

TEST_CASE("8 terminals adding lines to one order never lose a line (PostgreSQL)",
          "[orders][concurrency][postgresql]") {
    eight_terminals_one_order(test::Backend::postgresql);
}
