// Several terminals editing one customer at once: one change per version
// wins, the others get a conflict, and retried changes are never lost. Two
// terminals adding the same email at once make one customer.
#include <catch2/catch.hpp>

#include <atomic>
#include <mutex>
#include <thread>

#include "customers_world.hpp"

using namespace till;
using namespace till::domain::customers;
using till::test::Backend;
using till::test::CustomersWorld;

TEST_CASE("of concurrent changes to one version exactly one wins") {
    CustomersWorld w(GENERATE(Backend::sqlite, Backend::postgresql));
    const Customer ann = w.add("Ann", "Lee");
    constexpr int kThreads = 8;
    std::atomic<int> won{0};
    std::atomic<int> conflicts{0};
    std::atomic<int> other{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < kThreads; ++i) {
        threads.emplace_back([&, i] {
            CustomerPatch p;
            p.expected_version = 1;
            p.note = "terminal " + std::to_string(i);
            ConflictInfo conflict;
            auto r = w.customers->update(CustomersWorld::cashier(), ann.id, p, &conflict);
            if (r.ok()) ++won;
            else if (r.error().code == "conflict" && conflict.current_version == 2) ++conflicts;
            else ++other;
        });
    }
    for (auto& t : threads) t.join();
    CHECK(won == 1);
    CHECK(conflicts == kThreads - 1);
    CHECK(other == 0);
    auto now = *w.customers->get(ann.id);
    CHECK(now->version == 2);
    CHECK(w.count_topic("customer.changed") == 1);
}

TEST_CASE("changes retried after a conflict are never lost") {
    CustomersWorld w(GENERATE(Backend::sqlite, Backend::postgresql));
    const Customer ann = w.add("Ann", "Lee");
    constexpr int kThreads = 4;
    constexpr int kChangesEach = 5;
    std::atomic<int> failures{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < kThreads; ++i) {
        threads.emplace_back([&, i] {
            for (int k = 0; k < kChangesEach; ++k) {
                // Reload and reapply until the change lands (bounded).
                bool landed = false;
                for (int attempt = 0; attempt < 200 && !landed; ++attempt) {
                    auto current = w.customers->get(ann.id);
                    if (!current.ok() || !*current) break;
                    CustomerPatch p;
                    p.expected_version = (*current)->version;
                    p.note = (*current)->note + "[" + std::to_string(i) + "." + std::to_string(k) + "]";
                    auto r = w.customers->update(CustomersWorld::cashier(), ann.id, p);
                    if (r.ok()) landed = true;
                    else if (r.error().code != "conflict") break;
                }
                if (!landed) ++failures;
            }
        });
    }
    for (auto& t : threads) t.join();
    CHECK(failures == 0);
    auto now = *w.customers->get(ann.id);
    CHECK(now->version == 1 + kThreads * kChangesEach);
    for (int i = 0; i < kThreads; ++i)
        for (int k = 0; k < kChangesEach; ++k) {
            const std::string mark = "[" + std::to_string(i) + "." + std::to_string(k) + "]";
            INFO(mark);
            CHECK(now->note.find(mark) != std::string::npos);
        }
    CHECK(w.count_topic("customer.changed") == kThreads * kChangesEach);
}

TEST_CASE("two terminals adding the same email at once make one customer") {
    CustomersWorld w(GENERATE(Backend::sqlite, Backend::postgresql));
    constexpr int kThreads = 6;
    std::mutex mutex;
    std::vector<std::string> made;
    std::vector<std::string> named_existing;
    std::atomic<int> other{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < kThreads; ++i) {
        threads.emplace_back([&, i] {
            NewCustomer n;
            n.given_name = "Ann " + std::to_string(i);
            n.email = i % 2 ? "ann@example.com" : "ANN@EXAMPLE.COM";
            ConflictInfo conflict;
            auto r = w.customers->create(CustomersWorld::cashier(), n, &conflict);
            std::lock_guard lock(mutex);
            if (r.ok()) made.push_back(r->id);
            else if (r.error().code == "conflict") named_existing.push_back(conflict.existing_customer_id);
            else ++other;
        });
    }
    for (auto& t : threads) t.join();
    REQUIRE(made.size() == 1);
    CHECK(other == 0);
    CHECK(named_existing.size() == kThreads - 1);
    for (const auto& id : named_existing) CHECK(id == made[0]);
    CHECK(w.find("ann").size() == 1);
}
