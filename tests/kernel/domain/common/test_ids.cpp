// UUIDv7 ids: well-formed, version 7, variant 10, unique and in creation
// order even within one millisecond and when the clock steps back.
#include <catch2/catch.hpp>

#include <set>
#include <string>
#include <thread>
#include <vector>

#include "domain/common/ids.hpp"
#include "domain_fixture.hpp"

using till::domain::IdGenerator;
using till::domain::is_uuid_text;

TEST_CASE("ids are UUIDv7 text", "[domain][ids]") {
    till::test::ManualClock clock;
    IdGenerator ids(clock);
    const std::string id = ids.next();
    CHECK(is_uuid_text(id));
    CHECK(id[14] == '7');
    CHECK(std::string("89ab").find(id[19]) != std::string::npos);
    // The first 48 bits are the clock's milliseconds.
    const std::string hex = id.substr(0, 8) + id.substr(9, 4);
    CHECK(std::stoll(hex, nullptr, 16) == clock.now_utc_ms());
}

TEST_CASE("ids sort in creation order within one millisecond and across a clock step back", "[domain][ids]") {
    till::test::ManualClock clock;
    IdGenerator ids(clock);
    std::vector<std::string> made;
    for (int i = 0; i < 5000; ++i) made.push_back(ids.next());  // more than 4096 in one ms: borrows the next
    clock.advance_ms(-60000);
    for (int i = 0; i < 10; ++i) made.push_back(ids.next());
    clock.advance_ms(120000);
    made.push_back(ids.next());
    for (std::size_t i = 1; i < made.size(); ++i) {
        INFO(i << ": " << made[i - 1] << " then " << made[i]);
        CHECK(made[i - 1] < made[i]);
    }
}

TEST_CASE("ids made by several threads are unique", "[domain][ids]") {
    till::test::ManualClock clock;
    IdGenerator ids(clock);
    std::vector<std::vector<std::string>> per_thread(4);
    std::vector<std::thread> threads;
    for (auto& out : per_thread)
        threads.emplace_back([&ids, &out] {
            for (int i = 0; i < 2000; ++i) out.push_back(ids.next());
        });
    for (auto& t : threads) t.join();
    std::set<std::string> all;
    for (const auto& out : per_thread) all.insert(out.begin(), out.end());
    CHECK(all.size() == 8000);
}

TEST_CASE("is_uuid_text refuses near misses", "[domain][ids]") {
    CHECK(is_uuid_text("0190f5c2-7a3e-7c41-8b2d-5e8f1a2b3c4d"));
    CHECK(is_uuid_text("0190F5C2-7A3E-7C41-8B2D-5E8F1A2B3C4D"));
    CHECK_FALSE(is_uuid_text(""));
    CHECK_FALSE(is_uuid_text("0190f5c2-7a3e-7c41-8b2d-5e8f1a2b3c4"));
    CHECK_FALSE(is_uuid_text("0190f5c2x7a3e-7c41-8b2d-5e8f1a2b3c4d"));
    CHECK_FALSE(is_uuid_text("0190f5c2-7a3e-7c41-8b2d-5e8f1a2b3c4g"));
}
