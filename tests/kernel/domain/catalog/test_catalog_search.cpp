// Search over the in-memory index: words, prefixes, case, ranking, exact SKU
// and barcode first, inactive items, limit, and staying in step with changes.
#include <catch2/catch.hpp>

#include "domain/catalog/catalog_index.hpp"
#include "domain/catalog/search_index.hpp"

using namespace till::domain::catalog;

namespace {

Product product(const std::string& id, const std::string& sku, const std::string& name) {
    Product p;
    p.product_id = id;
    p.sku = sku;
    p.name = name;
    p.department_id = "d";
    p.tax_class_id = "t";
    p.price_minor = 100;
    return p;
}

std::vector<std::string> skus(const std::vector<SearchHit>& hits) {
    std::vector<std::string> out;
    for (const auto& h : hits) out.push_back(h.item.sku);
    return out;
}

CatalogIndex sample(bool refreshed) {
    CatalogIndex idx;
    idx.put_tax_class({"t", "vat20", "VAT", {{"r1", "VAT 20%", 2000, false}}, 0});
    idx.put_product(product("p1", "APL-1", "Apple Pie"));
    idx.put_product(product("p2", "APL-2", "Green Apple"));
    idx.put_product(product("p3", "BAN-1", "Banana Bread"));
    idx.put_product(product("p4", "TS-1", "T-Shirt Apple Logo"));
    Product inactive = product("p5", "OLD-1", "Apple Crumble");
    inactive.active = false;
    idx.put_product(inactive);
    Product tee = product("p6", "TEE", "Tee");
    tee.variants = {{"v1", "TEE-RM", "red M", 1500, 0, true, {"4006381333931"}},
                    {"v2", "TEE-BL", "blue L", 1500, 0, true, {}}};
    idx.put_product(tee);
    if (refreshed) idx.refresh();
    return idx;
}

}  // namespace

TEST_CASE("search words split at punctuation and ignore ASCII case") {
    CHECK(search_words("T-Shirt, RED  m") == std::vector<std::string>{"t", "shirt", "red", "m"});
    CHECK(search_words("Café Crème").size() == 2);
    CHECK(search_words("  ").empty());
}

TEST_CASE("a name prefix finds every item with a word starting with it, best first") {
    CatalogIndex idx = sample(GENERATE(false, true));
    // "Apple Pie" starts with "app": ranked before names that only contain it.
    CHECK(skus(idx.search("app", 10, false)) == std::vector<std::string>{"APL-1", "APL-2", "TS-1"});
    CHECK(skus(idx.search("APPLE", 10, false)) == std::vector<std::string>{"APL-1", "APL-2", "TS-1"});
}

TEST_CASE("every query word must prefix-match some word of the name, in any order") {
    CatalogIndex idx = sample(GENERATE(false, true));
    CHECK(skus(idx.search("pie app", 10, false)) == std::vector<std::string>{"APL-1"});
    CHECK(skus(idx.search("gr ap", 10, false)) == std::vector<std::string>{"APL-2"});
    CHECK(skus(idx.search("apple bread", 10, false)).empty());
    CHECK(skus(idx.search("ple", 10, false)).empty());  // not a prefix of a word
}

TEST_CASE("variants are found by the product's and the variant's words") {
    CatalogIndex idx = sample(GENERATE(false, true));
    CHECK(skus(idx.search("tee red", 10, false)) == std::vector<std::string>{"TEE-RM"});
    CHECK(skus(idx.search("tee", 10, false)) == std::vector<std::string>{"TEE-BL", "TEE-RM"});
    auto hits = idx.search("tee red", 10, false);
    REQUIRE(hits.size() == 1);
    CHECK(hits[0].item.name == "Tee, red M");
    CHECK(hits[0].item.variant_id == "v1");
}

TEST_CASE("exact SKU and barcode come first, then name matches") {
    CatalogIndex idx = sample(GENERATE(false, true));
    auto hits = idx.search("TS-1", 10, false);
    REQUIRE(!hits.empty());
    CHECK(hits[0].item.sku == "TS-1");
    CHECK(hits[0].match == "sku");
    // "TS-1" as words ("ts", "1") matches no name, so only the SKU hit.
    CHECK(hits.size() == 1);

    hits = idx.search("4006381333931", 10, false);
    REQUIRE(hits.size() == 1);
    CHECK(hits[0].item.sku == "TEE-RM");
    CHECK(hits[0].match == "barcode");

    // A parent SKU lists its variants.
    CHECK(skus(idx.search("TEE", 10, false)) == std::vector<std::string>{"TEE-RM", "TEE-BL"});
}

TEST_CASE("inactive items are left out unless asked for") {
    CatalogIndex idx = sample(GENERATE(false, true));
    CHECK(skus(idx.search("crumble", 10, false)).empty());
    CHECK(skus(idx.search("crumble", 10, true)) == std::vector<std::string>{"OLD-1"});
    CHECK(skus(idx.search("OLD-1", 10, false)).empty());
}

TEST_CASE("the limit caps the results") {
    CatalogIndex idx = sample(GENERATE(false, true));
    CHECK(idx.search("app", 2, false).size() == 2);
    CHECK(idx.search("app", 1, false)[0].item.sku == "APL-1");
    CHECK(idx.search("", 10, false).empty());
}

TEST_CASE("the index follows renames, new SKUs and removals") {
    CatalogIndex idx = sample(GENERATE(false, true));
    const bool refresh_after = GENERATE(false, true);
    Product renamed = product("p1", "APL-9", "Cherry Pie");
    idx.put_product(renamed);
    if (refresh_after) idx.refresh();
    CHECK(skus(idx.search("apple", 10, false)) == std::vector<std::string>{"APL-2", "TS-1"});
    CHECK(skus(idx.search("cher", 10, false)) == std::vector<std::string>{"APL-9"});
    CHECK_FALSE(idx.item("APL-1").has_value());
    CHECK(idx.item("APL-9").has_value());
    idx.erase_product("p1");
    if (refresh_after) idx.refresh();
    CHECK(skus(idx.search("pie", 10, false)).empty());
    CHECK_FALSE(idx.barcode_owner("nothing").has_value());
    idx.erase_product("p6");
    if (refresh_after) idx.refresh();
    CHECK_FALSE(idx.item("4006381333931").has_value());
    CHECK(skus(idx.search("tee", 10, false)).empty());
}

TEST_CASE("items carry the tax class's rates in order and the product's SKU of a variant product is not an item") {
    CatalogIndex idx = sample(GENERATE(false, true));
    auto item = idx.item("APL-1");
    REQUIRE(item);
    REQUIRE(item->tax_rates.size() == 1);
    CHECK(item->tax_rates[0].rate_bp == 2000);
    CHECK_FALSE(idx.item("TEE").has_value());
    auto by_barcode = idx.item("4006381333931");
    REQUIRE(by_barcode);
    CHECK(by_barcode->sku == "TEE-RM");
    CHECK(by_barcode->price_minor == 1500);
}

TEST_CASE("the fast and the sorting search paths give the same answers") {
    CatalogIndex plain = sample(false);
    CatalogIndex fresh = sample(true);
    for (int i = 0; i < 200; ++i) {
        Product p = product("g" + std::to_string(i), "G-" + std::to_string(i),
                            std::string(i % 2 ? "Apple " : "Green ") + (i % 3 ? "Tart " : "Pie ") + std::to_string(i % 7));
        p.active = i % 11 != 0;
        plain.put_product(p);
        fresh.put_product(p);
    }
    fresh.refresh();
    for (const char* q : {"a", "ap", "apple", "apple t", "tart apple", "g", "green pie 3", "pie", "p", "1", "x", "t-shirt"})
        for (std::size_t limit : {1, 5, 20, 500})
            for (bool inactive : {false, true}) {
                INFO(q << " limit " << limit << " inactive " << inactive);
                CHECK(skus(plain.search(q, limit, inactive)) == skus(fresh.search(q, limit, inactive)));
            }
}
