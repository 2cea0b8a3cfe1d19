// Catalog search benchmark: builds a 50,000-SKU catalog in memory (generated
// names: 40,000 plain products and 2,000 products with 5 variants each, one
// barcode per item) in the same index the CatalogService searches, then
// times searches by name prefix, by several words, by exact SKU and by exact
// barcode (limit 20); then what one committed change holds the index's
// exclusive lock for (the search order is rebuilt outside it), and searches
// while the order is stale. Prints p50/p99 in microseconds. Asserts nothing.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "domain/catalog/catalog_index.hpp"

using namespace till::domain::catalog;

namespace {

const std::vector<std::string> adjectives = {
    "Organic", "Fresh", "Classic", "Smoked", "Spicy", "Sweet", "Golden", "Crispy", "Creamy", "Wild",
    "Roasted", "Dark", "Light", "Sparkling", "Whole", "Mini", "Large", "Vintage", "Premium", "Rustic",
    "Salted", "Frozen", "Tropical", "Herbal", "Nordic", "Italian", "Alpine", "Mild", "Extra", "Double"};
const std::vector<std::string> nouns = {
    "Apple", "Banana", "Cheddar", "Coffee", "Tea", "Yogurt", "Bread", "Butter", "Honey", "Salmon",
    "Pasta", "Rice", "Olive", "Tomato", "Chocolate", "Biscuit", "Juice", "Water", "Granola", "Almond",
    "Walnut", "Mango", "Pepper", "Garlic", "Onion", "Lemon", "Cookie", "Muffin", "Croissant", "Bagel",
    "Shirt", "Sock", "Scarf", "Mug", "Candle", "Notebook", "Pencil", "Soap", "Towel", "Basket"};
const std::vector<std::string> extras = {"Jar", "Pack", "Box", "Bottle", "Bag", "Tin", "Tray", "Pouch", "Set", "Roll"};
const std::vector<std::string> sizes = {"XS", "S", "M", "L", "XL"};

struct Timing {
    std::vector<double> us;
    void report(const char* what, std::size_t hits) {
        std::sort(us.begin(), us.end());
        auto at = [&](double q) { return us[static_cast<std::size_t>(q * static_cast<double>(us.size() - 1))]; };
        std::printf("%-28s n=%-6zu p50=%8.2f us  p99=%8.2f us  max=%8.2f us  (avg hits %.1f)\n", what, us.size(),
                    at(0.50), at(0.99), us.back(), static_cast<double>(hits) / static_cast<double>(us.size()));
    }
};

template <class Fn>
Timing time_queries(const std::vector<std::string>& queries, Fn&& fn, std::size_t& hits) {
    Timing t;
    hits = 0;
    for (const auto& q : queries) {
        auto start = std::chrono::steady_clock::now();
        hits += fn(q);
        auto end = std::chrono::steady_clock::now();
        t.us.push_back(std::chrono::duration<double, std::micro>(end - start).count());
    }
    return t;
}

}  // namespace

int main() {
    std::mt19937 rng(42);
    auto pick = [&](const std::vector<std::string>& from) { return from[rng() % from.size()]; };
    CatalogIndex index;
    index.put_department({"d1", "grocery", "Grocery", 0});
    index.put_tax_class({"t1", "vat20", "VAT 20%", {{"r1", "VAT 20%", 2000, false}}, 0});
    std::vector<std::string> skus, barcodes, names;
    auto start_build = std::chrono::steady_clock::now();
    long long barcode = 4000000000000LL;
    for (int i = 0; i < 40000; ++i) {
        Product p;
        p.product_id = "p" + std::to_string(i);
        p.sku = "SKU-" + std::to_string(100000 + i);
        p.name = pick(adjectives) + " " + pick(nouns) + " " + pick(extras) + " " + std::to_string(50 + rng() % 950) + "g";
        p.department_id = "d1";
        p.tax_class_id = "t1";
        p.price_minor = 50 + static_cast<long long>(rng() % 5000);
        p.barcodes = {std::to_string(barcode++)};
        skus.push_back(p.sku);
        barcodes.push_back(p.barcodes[0]);
        names.push_back(p.name);
        index.put_product(std::move(p));
    }
    for (int i = 0; i < 2000; ++i) {
        Product p;
        p.product_id = "v" + std::to_string(i);
        p.sku = "STY-" + std::to_string(10000 + i);
        p.name = pick(adjectives) + " " + pick(nouns);
        p.department_id = "d1";
        p.tax_class_id = "t1";
        p.price_minor = 1999;
        for (const auto& size : sizes) {
            Variant v;
            v.variant_id = p.sku + "-" + size;
            v.sku = p.sku + "-" + size;
            v.name = size;
            v.price_minor = 1999;
            v.barcodes = {std::to_string(barcode++)};
            skus.push_back(v.sku);
            barcodes.push_back(v.barcodes[0]);
            p.variants.push_back(std::move(v));
        }
        names.push_back(p.name);
        index.put_product(std::move(p));
    }
    auto build_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start_build).count();
    auto start_refresh = std::chrono::steady_clock::now();
    index.refresh();  // what the service does after every committed change
    auto refresh_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start_refresh).count();
    std::printf("catalog: %zu sellable SKUs (%zu products), built in %.0f ms, search order refreshed in %.1f ms\n",
                skus.size(), index.product_count(), build_ms, refresh_ms);

    const int n = 5000;
    std::vector<std::string> prefix_q, words_q, sku_q, barcode_q;
    for (int i = 0; i < n; ++i) {
        const std::string& name = names[rng() % names.size()];
        const std::size_t len = 2 + rng() % 4;  // 2..5 characters of the first word
        prefix_q.push_back(name.substr(0, std::min(len, name.find(' '))));
        // Two words' prefixes, in the other order: "choc org".
        std::string second = name.substr(name.find(' ') + 1);
        second = second.substr(0, std::min<std::size_t>(4, second.find(' ')));
        words_q.push_back(second + " " + name.substr(0, 3));
        sku_q.push_back(skus[rng() % skus.size()]);
        barcode_q.push_back(barcodes[rng() % barcodes.size()]);
    }
    const std::size_t limit = 20;
    auto search = [&](const std::string& q) { return index.search(q, limit, false).size(); };
    std::size_t hits = 0;
    // Warm up once.
    time_queries(prefix_q, search, hits);
    time_queries(prefix_q, search, hits).report("name prefix (2-5 chars)", hits);
    time_queries(words_q, search, hits).report("two word prefixes", hits);
    time_queries(sku_q, search, hits).report("exact SKU", hits);
    time_queries(barcode_q, search, hits).report("exact barcode", hits);
    time_queries(barcode_q, [&](const std::string& q) { return index.item(q) ? std::size_t{1} : 0; }, hits)
        .report("find_item by barcode", hits);

    // A committed change, as the CatalogService applies it: the put runs
    // under the exclusive lock (lookups wait for it); the search order is
    // rebuilt outside the lock and swapped in (lookups do not wait).
    Timing locked, outside;
    for (int i = 0; i < 20; ++i) {
        Product p = *index.product("p" + std::to_string(i));
        p.name += " renamed";
        auto t0 = std::chrono::steady_clock::now();
        index.put_product(std::move(p));
        auto t1 = std::chrono::steady_clock::now();
        auto order = index.build_search_order();
        auto t2 = std::chrono::steady_clock::now();
        auto old = index.install_search_order(std::move(order));
        auto t3 = std::chrono::steady_clock::now();
        old.reset();  // the service frees it after the lock
        locked.us.push_back(std::chrono::duration<double, std::micro>((t1 - t0) + (t3 - t2)).count());
        outside.us.push_back(std::chrono::duration<double, std::micro>(t2 - t1).count());
    }
    locked.report("change: under the lock", 0);
    outside.report("change: rebuild outside", 0);
    // While the order is stale (between the put and the swap), searches take
    // the sorting path.
    index.put_product(*index.product("p0"));
    time_queries(prefix_q, search, hits).report("name prefix, order stale", hits);
    return 0;
}
