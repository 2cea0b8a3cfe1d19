// The search order is rebuilt outside the index lock: while a change (one
// product, or a bulk CSV import) has its search order rebuilt, lookups and
// searches from other threads go on. Checked by behaviour, not time: the
// service's rebuild hook runs on the writing thread during the rebuild and
// asks another thread for a lookup; were the rebuild under the write lock,
// that lookup could not finish until the hook returned.
#include <catch2/catch.hpp>

#include <chrono>
#include <future>
#include <string>

#include "catalog_world.hpp"

using namespace till;

namespace {

/// Runs `fn` on another thread; true when it finished within a generous bound.
template <class Fn>
bool finishes_meanwhile(Fn fn) {
    auto done = std::async(std::launch::async, std::move(fn));
    return done.wait_for(std::chrono::seconds(20)) == std::future_status::ready;
}

std::string import_csv(int first, int count) {
    std::string csv = "sku,name,department,price_minor,tax_class,barcodes\n";
    for (int i = first; i < first + count; ++i)
        csv += "BULK-" + std::to_string(i) + ",Bulk tea " + std::to_string(i) + ",shop," + std::to_string(100 + i) +
               ",vat20,9" + std::to_string(100000000000 + i) + "\n";
    return csv;
}

}  // namespace

TEST_CASE("a lookup during a single product change is not held up by the search rebuild") {
    test::CatalogWorld w;
    w.seed();
    REQUIRE(w.catalog->create_product(w.simple("MUG", "Blue mug", 500), w.manager).ok());

    int hooks = 0;
    bool lookup_done = false;
    bool found_mug = false;
    bool found_in_search = false;
    w.catalog->on_index_rebuild([&] {
        ++hooks;
        lookup_done = finishes_meanwhile([&] {
            found_mug = w.catalog->find_item("MUG").has_value();
            // The new product is already visible (the slower search path).
            auto hits = w.catalog->search("candle", 10);
            found_in_search = hits.size() == 1 && hits[0].item.sku == "CANDLE";
        });
    });
    REQUIRE(w.catalog->create_product(w.simple("CANDLE", "Red candle", 700), w.manager).ok());
    CHECK(hooks == 1);
    CHECK(lookup_done);
    CHECK(found_mug);
    CHECK(found_in_search);
    // After the swap, the fast path gives the same answer.
    auto hits = w.catalog->search("red can", 10);
    REQUIRE(hits.size() == 1);
    CHECK(hits[0].item.sku == "CANDLE");
}

TEST_CASE("a lookup during a bulk import is not held up, the import is seen whole once done") {
    test::CatalogWorld w;
    w.seed();
    REQUIRE(w.catalog->create_product(w.simple("MUG", "Blue mug", 500), w.manager).ok());

    bool lookup_done = false;
    bool found_mug = false;
    bool saw_partial = false;
    w.catalog->on_index_rebuild([&] {
        lookup_done = finishes_meanwhile([&] {
            found_mug = w.catalog->find_item("MUG").has_value();
            // Either none or all of the import, never a part of it.
            const bool first = w.catalog->find_item("BULK-0").has_value();
            const bool last = w.catalog->find_item("BULK-1999").has_value();
            saw_partial = first != last;
        });
    });
    auto result = w.catalog->import_csv(import_csv(0, 2000), w.manager);
    REQUIRE(result.ok());
    INFO((result->plan.problems.empty() ? "" : result->plan.problems[0].message));
    REQUIRE(result->plan.problems.empty());
    CHECK(result->created == 2000);
    CHECK(lookup_done);
    CHECK(found_mug);
    CHECK_FALSE(saw_partial);

    CHECK(w.catalog->find_item("BULK-1999")->price_minor == 2099);
    CHECK(w.catalog->find_item("9100000001999")->sku == "BULK-1999");
    CHECK(w.catalog->search("bulk tea", 500).size() == 500);
    auto hits = w.catalog->search("tea 1234", 5);
    REQUIRE_FALSE(hits.empty());
    CHECK(hits[0].item.sku == "BULK-1234");
    // A restart loads the same catalog.
    w.restart();
    CHECK(w.catalog->find_item("BULK-1999")->price_minor == 2099);
}

TEST_CASE("an import that moves a barcode to a product listed before its old owner keeps it findable") {
    // Found in review: writing product B (which takes the barcode) before
    // product A (which gives it up) hit the barcode's unique key (a 500),
    // and applying them in that order to the index dropped the barcode.
    test::CatalogWorld w;
    w.seed();
    auto a = w.simple("AAA", "Old owner", 100);
    a.barcodes = {"4006381333931"};
    REQUIRE(w.catalog->create_product(a, w.manager).ok());
    REQUIRE(w.catalog->create_product(w.simple("BBB", "New owner", 200), w.manager).ok());

    auto result = w.catalog->import_csv("sku,barcodes\nBBB,4006381333931\nAAA,\n", w.manager);
    REQUIRE(result.ok());
    REQUIRE(result->plan.problems.empty());
    auto item = w.catalog->find_item("4006381333931");
    REQUIRE(item);
    CHECK(item->sku == "BBB");
    w.restart();
    REQUIRE(w.catalog->find_item("4006381333931"));
    CHECK(w.catalog->find_item("4006381333931")->sku == "BBB");
}
