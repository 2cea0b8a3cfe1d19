// The catalog service over real storage (SQLite and PostgreSQL): changes are
// stored, survive a restart, keep the lookup index in step, are audited and
// published; bad references and duplicates are refused naming the field.
#include <catch2/catch.hpp>

#include "catalog_world.hpp"
#include "domain/catalog/catalog_json.hpp"

using namespace till;
using namespace till::domain::catalog;
using till::test::Backend;
using till::test::CatalogWorld;

TEST_CASE("products with variants, barcodes and modifier groups are stored and survive a restart") {
    CatalogWorld w(GENERATE(Backend::sqlite, Backend::postgresql));
    w.seed();
    auto made = w.catalog->create_product(w.latte(), w.manager);
    INFO((made ? "" : made.error().message));
    REQUIRE(made.ok());
    CHECK(domain::is_uuid_text(made->product_id));
    CHECK(made->department_id == w.catalog->departments()[0].department_id);  // code resolved to id
    REQUIRE(made->variants.size() == 3);
    CHECK(domain::is_uuid_text(made->variants[0].variant_id));

    auto tee = w.simple("MUG-1", "Mug", 900);
    tee.barcodes = {"5012345678900", "MUG1"};
    tee.weighed = false;
    tee.cost_minor = 300;
    REQUIRE(w.catalog->create_product(tee, w.manager).ok());

    auto before = w.catalog->product(made->product_id);
    w.restart();
    auto after = w.catalog->product(made->product_id);
    REQUIRE(after);
    CHECK(to_value(*after) == to_value(*before));

    auto item = w.catalog->find_item("LATTE-L");
    REQUIRE(item);
    CHECK(item->name == "Latte, large");
    CHECK(item->price_minor == 360);
    CHECK(item->cost_minor == 70);
    CHECK_FALSE(item->track_stock);
    REQUIRE(item->tax_rates.size() == 1);
    CHECK(item->tax_rates[0].rate_bp == 1000);
    REQUIRE(item->modifier_groups.size() == 1);
    CHECK(item->modifier_groups[0].max_choices == 2);
    REQUIRE(item->modifier_groups[0].modifiers.size() == 3);
    CHECK(item->modifier_groups[0].modifiers[1].price_delta_minor == 60);
    CHECK(item->tags == std::vector<std::string>{"hot"});

    auto by_barcode = w.catalog->find_item("2000000000017");
    REQUIRE(by_barcode);
    CHECK(by_barcode->sku == "LATTE-S");
    REQUIRE(w.catalog->find_item("MUG1"));
    CHECK(w.catalog->find_item("MUG1")->cost_minor == 300);
    CHECK_FALSE(w.catalog->find_item("LATTE"));  // sold through its variants
    auto why = w.catalog->lookup_item("LATTE");
    REQUIRE_FALSE(why.ok());
    CHECK(why.error().code == "not_found");
    CHECK_THAT(why.error().message, Catch::Contains("LATTE-S (small)"));
    CHECK(w.catalog->search("lat lar", 5).at(0).item.sku == "LATTE-L");
}

TEST_CASE("an update keeps variant ids, moves barcodes and audits price changes") {
    CatalogWorld w(GENERATE(Backend::sqlite, Backend::postgresql));
    w.seed();
    auto made = w.catalog->create_product(w.latte(), w.manager);
    REQUIRE(made.ok());
    Product change = *made;
    change.department_id = "coffee";
    change.variants[1].variant_id.clear();   // matched again by SKU
    change.variants[1].price_minor = 330;    // 320 → 330
    change.variants[0].barcodes.clear();
    change.variants[2].barcodes = {"2000000000017"};  // the barcode moves to large
    change.name = "Caffè Latte";
    auto done = w.catalog->update_product(made->product_id, change, w.manager);
    INFO((done ? "" : done.error().message));
    REQUIRE(done.ok());
    CHECK(done->variants[1].variant_id == made->variants[1].variant_id);
    CHECK(w.catalog->find_item("2000000000017")->sku == "LATTE-L");
    CHECK(w.catalog->search("caff", 5).size() == 3);
    CHECK(w.catalog->search("latte", 5).size() == 3);
    CHECK(w.catalog->search("latte", 5).at(0).item.name.rfind("Caffè Latte, ", 0) == 0);

    auto entries = w.audit.list(0, 500);
    REQUIRE(entries.ok());
    int price_changes = 0;
    for (const auto& e : *entries) {
        if (e.action != "catalog.price_changed") continue;
        ++price_changes;
        CHECK(e.subject == "variant:" + made->variants[1].variant_id);
        CHECK(e.actor_user_id == "user-manager");
        auto details = sdk::Value::parse_json(e.details_json);
        REQUIRE(details.ok());
        CHECK((*details)["old_price_minor"].as_int() == 320);
        CHECK((*details)["new_price_minor"].as_int() == 330);
        CHECK((*details)["sku"].as_string() == "LATTE-M");
    }
    CHECK(price_changes == 1);
    auto verify = w.audit.verify();
    REQUIRE(verify.ok());

    auto ev = w.f.last_event("catalog.product_changed");
    CHECK(ev.payload["name"].as_string() == "Caffè Latte");
}

TEST_CASE("every change is published as catalog.<thing>_changed") {
    CatalogWorld w;
    w.seed();
    auto p = w.catalog->create_product(w.simple("X1", "Thing", 100), w.manager);
    REQUIRE(p.ok());
    REQUIRE(w.catalog->delete_product(p->product_id, w.manager).ok());
    auto topics = w.f.topics();
    auto count = [&](const std::string& t) { return std::count(topics.begin(), topics.end(), t); };
    CHECK(count("catalog.department_changed") == 2);
    CHECK(count("catalog.tax_class_changed") == 3);
    CHECK(count("catalog.modifier_group_changed") == 1);
    CHECK(count("catalog.product_changed") == 2);
    auto last = w.f.last_event("catalog.product_changed");
    CHECK(last.payload["deleted"].as_bool());
    CHECK(last.payload["sku"].as_string() == "X1");
    CHECK_FALSE(w.catalog->find_item("X1"));
    w.restart();
    CHECK_FALSE(w.catalog->find_item("X1"));
}

TEST_CASE("unknown references are refused naming the field") {
    CatalogWorld w(GENERATE(Backend::sqlite, Backend::postgresql));
    w.seed();
    auto p = w.simple("X1", "Thing", 100);
    p.department_id = "nope";
    auto r = w.catalog->create_product(p, w.manager);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "invalid_argument");
    CHECK(r.error().message == "$.department_id: unknown department 'nope'");

    p = w.simple("X1", "Thing", 100);
    p.tax_class_id = "vat99";
    r = w.catalog->create_product(p, w.manager);
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.error().message, Catch::StartsWith("$.tax_class_id: unknown tax class"));

    p = w.simple("X1", "Thing", 100);
    p.modifier_group_ids = {"milk", "sauce"};
    r = w.catalog->create_product(p, w.manager);
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.error().message, Catch::StartsWith("$.modifier_group_ids[1]: unknown modifier group"));
    CHECK(w.catalog->products("", 10).items.empty());
}

TEST_CASE("duplicate SKUs and barcodes are conflicts, across products and variants") {
    CatalogWorld w(GENERATE(Backend::sqlite, Backend::postgresql));
    w.seed();
    REQUIRE(w.catalog->create_product(w.latte(), w.manager).ok());
    auto mug = w.simple("MUG-1", "Mug", 900);
    mug.barcodes = {"5012345678900"};
    auto made = w.catalog->create_product(mug, w.manager);
    REQUIRE(made.ok());

    auto dup = w.simple("LATTE-M", "Other", 100);  // a variant's SKU
    auto r = w.catalog->create_product(dup, w.manager);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "conflict");
    CHECK_THAT(r.error().message, Catch::StartsWith("$.sku: SKU LATTE-M is already used by variant LATTE-M"));

    dup = w.simple("MUG-2", "Mug 2", 100);
    dup.barcodes = {"2000000000017"};
    r = w.catalog->create_product(dup, w.manager);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "conflict");
    CHECK_THAT(r.error().message, Catch::StartsWith("$.barcodes[0]: barcode 2000000000017 is already used"));

    auto twice = w.latte();
    twice.sku = "FLAT";
    twice.variants = {{"", "FLAT-S", "small", 1, 0, true, {}}, {"", "FLAT-S", "again", 1, 0, true, {}}};
    r = w.catalog->create_product(twice, w.manager);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "conflict");
    CHECK_THAT(r.error().message, Catch::StartsWith("$.variants[1].sku: SKU FLAT-S is used twice"));

    // Updating a product with its own SKU and barcode is no conflict.
    mug.name = "Big Mug";
    REQUIRE(w.catalog->update_product(made->product_id, mug, w.manager).ok());
}

TEST_CASE("departments, tax classes and modifier groups: codes unique, deletion refused while used") {
    CatalogWorld w(GENERATE(Backend::sqlite, Backend::postgresql));
    w.seed();
    auto dup = w.catalog->create_department({"", "coffee", "Again", 0}, w.manager);
    REQUIRE_FALSE(dup.ok());
    CHECK(dup.error().code == "conflict");
    CHECK_THAT(dup.error().message, Catch::StartsWith("$.code:"));

    REQUIRE(w.catalog->create_product(w.latte(), w.manager).ok());
    const auto coffee = w.catalog->departments()[0];
    auto del = w.catalog->delete_department(coffee.department_id, w.manager);
    REQUIRE_FALSE(del.ok());
    CHECK(del.error().code == "conflict");
    const auto shop = w.catalog->departments()[1];
    REQUIRE(w.catalog->delete_department(shop.department_id, w.manager).ok());
    CHECK(w.catalog->departments().size() == 1);

    // Tax rates: several, compound, order kept; kept ids stay.
    auto classes = w.catalog->tax_classes();
    TaxClass vat20;
    for (auto& t : classes)
        if (t.code == "vat20") vat20 = t;
    TaxClass change = vat20;
    change.rates.push_back({"", "Levy 1%", 100, true});
    auto updated = w.catalog->update_tax_class(vat20.tax_class_id, change, w.manager);
    REQUIRE(updated.ok());
    REQUIRE(updated->rates.size() == 2);
    CHECK(updated->rates[0].tax_rate_id == vat20.rates[0].tax_rate_id);
    CHECK(updated->rates[1].compound);
    change.rates[0].tax_rate_id = "not-a-rate";
    auto bad = w.catalog->update_tax_class(vat20.tax_class_id, change, w.manager);
    REQUIRE_FALSE(bad.ok());
    CHECK_THAT(bad.error().message, Catch::StartsWith("$.rates[0].tax_rate_id:"));
    w.restart();
    auto reloaded = w.catalog->tax_class(vat20.tax_class_id);
    REQUIRE(reloaded);
    REQUIRE(reloaded->rates.size() == 2);
    CHECK(reloaded->rates[1].name == "Levy 1%");
    CHECK(reloaded->rates[1].rate_bp == 100);

    auto groups = w.catalog->groups();
    REQUIRE(groups.size() == 1);
    CHECK(w.catalog->delete_group(groups[0].group_id, w.manager).error().code == "conflict");
    CHECK(w.catalog->update_group("missing", groups[0], w.manager).error().code == "not_found");
}

TEST_CASE("the product list pages in SKU order") {
    CatalogWorld w;
    w.seed();
    for (const char* sku : {"C", "A", "E", "B", "D"}) REQUIRE(w.catalog->create_product(w.simple(sku, sku, 1), w.manager).ok());
    auto page = w.catalog->products("", 2);
    REQUIRE(page.items.size() == 2);
    CHECK(page.items[0].sku == "A");
    CHECK(page.next == "B");
    page = w.catalog->products(page.next, 2);
    CHECK(page.items[0].sku == "C");
    page = w.catalog->products(page.next, 2);
    CHECK(page.items.size() == 1);
    CHECK(page.next.empty());
}
