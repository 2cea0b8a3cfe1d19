// Queue numbers from the real plugin over real SQLite: 1, 2, 3, ... per
// business day, unique under 8 submitting threads, restarting at the
// configured local hour (test clock), wrapping after max_number, kept across
// a restart, listed by GET /api/v1/quickservice/queue.
#include <catch2/catch.hpp>

#include <mutex>
#include <set>
#include <thread>

#include "plugin_kernel.hpp"
#include "quickservice_test_support.hpp"

using namespace till;

namespace {

sdk::Value qs_config(int start_hour, int first = 1, int max = 999) {
    sdk::Value c = sdk::Value::map();
    c.set("day_starts_at_hour", start_hour);
    c.set("first_number", first);
    c.set("max_number", max);
    return c;
}

std::int64_t submit(sdk::OrderType& type, const sdk::Order& order) {
    auto r = type.on_submitted(order);
    INFO(r.status.message());
    REQUIRE(r.status.ok());
    REQUIRE(r.set_fields["queue_number"].is_int());
    return r.set_fields["queue_number"].as_int();
}

}  // namespace

TEST_CASE("submitted counter orders get 1, 2, 3 and keep their number", "[quickservice][queue]") {
    test::PluginKernel k;
    k.clock().set_utc_ms(test::local_ms(2026, 3, 10, 12, 0));
    REQUIRE(k.start("order_quickservice").ok());
    auto type = k.order_type("quickservice");
    REQUIRE(type);

    sdk::Value named = sdk::Value::map();
    named.set("customer_name", "Ana");
    named.set("eat_in", true);
    CHECK(submit(*type, test::counter_order("o-1", named)) == 1);
    CHECK(submit(*type, test::counter_order("o-2")) == 2);
    CHECK(submit(*type, test::counter_order("o-1")) == 1);  // submitted again: same number
    CHECK(submit(*type, test::counter_order("o-3")) == 3);

    auto ret = test::counter_order("r-1");
    ret.original_order_id = "o-2";
    auto returned = type->on_submitted(ret);
    CHECK(returned.status.ok());
    CHECK(returned.set_fields.is_null());  // returns are not queued

    auto reply = k.get("/api/v1/quickservice/queue");
    REQUIRE(reply.status == 200);
    auto body = sdk::Value::parse_json(reply.body);
    REQUIRE(body.ok());
    CHECK((*body)["business_day"].as_string() == "2026-03-10");
    const auto& items = (*body)["items"].as_list();
    REQUIRE(items.size() == 3);
    CHECK(items[0]["queue_number"].as_int() == 1);
    CHECK(items[0]["order_id"].as_string() == "o-1");
    CHECK(items[0]["customer_name"].as_string() == "Ana");
    CHECK(items[0]["eat_in"].as_bool() == true);
    CHECK(items[2]["queue_number"].as_int() == 3);

    CHECK(k.get("/api/v1/quickservice/queue", {{"day", "2026-03-09"}}).body.find("\"items\":[]") != std::string::npos);
    CHECK(k.get("/api/v1/quickservice/queue", {{"day", "yesterday"}}).status == 422);
}

TEST_CASE("queue numbers stay unique with 8 threads submitting at once", "[quickservice][queue][concurrency]") {
    test::PluginKernel k;
    k.clock().set_utc_ms(test::local_ms(2026, 3, 10, 12, 0));
    REQUIRE(k.start("order_quickservice").ok());
    auto type = k.order_type("quickservice");
    REQUIRE(type);

    constexpr int kThreads = 8;
    constexpr int kPerThread = 25;
    std::mutex mutex;
    std::vector<std::int64_t> numbers;
    std::vector<std::string> failures;
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < kPerThread; ++i) {
                auto r = type->on_submitted(test::counter_order("t" + std::to_string(t) + "-" + std::to_string(i)));
                std::lock_guard lock(mutex);
                if (r.status.ok())
                    numbers.push_back(r.set_fields["queue_number"].as_int());
                else
                    failures.push_back(r.status.message());
            }
        });
    }
    for (auto& th : threads) th.join();
    CHECK(failures.empty());
    REQUIRE(numbers.size() == kThreads * kPerThread);
    std::set<std::int64_t> unique(numbers.begin(), numbers.end());
    CHECK(unique.size() == numbers.size());
    CHECK(*unique.begin() == 1);
    CHECK(*unique.rbegin() == kThreads * kPerThread);
}

TEST_CASE("queue numbers restart at the configured local hour and survive a restart", "[quickservice][queue]") {
    test::PluginKernel k;
    REQUIRE(k.start("order_quickservice", qs_config(6)).ok());
    auto type = k.order_type("quickservice");
    REQUIRE(type);

    k.clock().set_utc_ms(test::local_ms(2026, 3, 10, 22, 0));
    CHECK(submit(*type, test::counter_order("evening-1")) == 1);
    CHECK(submit(*type, test::counter_order("evening-2")) == 2);
    k.clock().set_utc_ms(test::local_ms(2026, 3, 11, 5, 59));  // after midnight, before 06:00: same day
    CHECK(submit(*type, test::counter_order("late-1")) == 3);

    // A restart keeps the day's sequence.
    type.reset();
    k.stop();
    REQUIRE(k.start("order_quickservice", qs_config(6)).ok());
    type = k.order_type("quickservice");
    REQUIRE(type);
    CHECK(submit(*type, test::counter_order("late-2")) == 4);

    k.clock().set_utc_ms(test::local_ms(2026, 3, 11, 6, 0));  // the new business day
    CHECK(submit(*type, test::counter_order("morning-1")) == 1);
    CHECK(submit(*type, test::counter_order("morning-2")) == 2);
    CHECK(submit(*type, test::counter_order("late-1")) == 3);  // an order keeps its first number

    auto today = sdk::Value::parse_json(k.get("/api/v1/quickservice/queue").body);
    REQUIRE(today.ok());
    CHECK((*today)["business_day"].as_string() == "2026-03-11");
    CHECK((*today)["items"].size() == 2);
    auto before = sdk::Value::parse_json(k.get("/api/v1/quickservice/queue", {{"day", "2026-03-10"}}).body);
    CHECK((*before)["items"].size() == 4);
}

TEST_CASE("queue numbers start at first_number and wrap after max_number", "[quickservice][queue]") {
    test::PluginKernel k;
    k.clock().set_utc_ms(test::local_ms(2026, 3, 10, 12, 0));
    REQUIRE(k.start("order_quickservice", qs_config(4, 5, 7)).ok());
    auto type = k.order_type("quickservice");
    REQUIRE(type);
    std::vector<std::int64_t> got;
    for (int i = 0; i < 5; ++i) got.push_back(submit(*type, test::counter_order("w-" + std::to_string(i))));
    CHECK(got == std::vector<std::int64_t>{5, 6, 7, 5, 6});
}
