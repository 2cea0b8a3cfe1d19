// CSV import and export: export → import changes nothing and re-exports the
// same bytes; upsert by SKU; every kind of bad row refuses the whole import
// naming row and column.
#include <catch2/catch.hpp>

#include "catalog_world.hpp"
#include "domain/catalog/catalog_json.hpp"

using namespace till;
using namespace till::domain::catalog;
using till::test::Backend;
using till::test::CatalogWorld;

namespace {

const std::string header =
    "sku,parent_sku,name,variant_name,department,price_minor,cost_minor,tax_class,barcodes,modifier_groups,active,"
    "weighed,track_stock,tags\n";

void fill(CatalogWorld& w) {
    w.seed();
    REQUIRE(w.catalog->create_product(w.latte(), w.manager).ok());
    Product shirt = w.simple("SHIRT", "Shirt \"Classic\", cotton", 2500);
    shirt.variants = {{"", "SHIRT-RM", "red M", 2500, 900, true, {"4006381333931", "SHRM"}},
                      {"", "SHIRT-BL", "blue L", 2700, 950, false, {}}};
    shirt.tags = {"clothes", "summer sale"};
    REQUIRE(w.catalog->create_product(shirt, w.manager).ok());
    Product apples = w.simple("APPLES", "Apples, loose (kg)", 349);
    apples.weighed = true;
    apples.tax_class_id = "exempt";
    apples.barcodes = {"2100001"};
    apples.active = false;
    REQUIRE(w.catalog->create_product(apples, w.manager).ok());
}

ImportResult import_ok(CatalogWorld& w, const std::string& csv) {
    auto r = w.catalog->import_csv(csv, w.manager);
    REQUIRE(r.ok());
    if (!r->plan.problems.empty()) {
        const auto& p = r->plan.problems[0];
        FAIL("row " << p.row << ", column " << p.column << ": " << p.message);
    }
    return std::move(*r);
}

}  // namespace

TEST_CASE("export then import changes nothing, and a fresh catalog re-exports the same bytes") {
    const Backend backend = GENERATE(Backend::sqlite, Backend::postgresql);
    CatalogWorld w(backend);
    fill(w);
    const std::string exported = w.catalog->export_csv();
    CHECK(exported.rfind(header, 0) == 0);
    CHECK_THAT(exported, Catch::Contains("LATTE-M,LATTE,,medium,,320,60,,,,true,,,\n"));
    CHECK_THAT(exported, Catch::Contains("\"Shirt \"\"Classic\"\", cotton\""));
    CHECK_THAT(exported, Catch::Contains("SHIRT-RM,SHIRT,,red M,,2500,900,,4006381333931|SHRM,,true,,,\n"));

    const auto events_before = w.f.topics().size();
    auto same = import_ok(w, exported);
    CHECK(same.created == 0);
    CHECK(same.updated == 0);
    CHECK(same.unchanged == 8);  // 3 product rows + 5 variant rows
    CHECK(same.plan.changed.empty());
    CHECK(w.f.topics().size() == events_before);
    CHECK(w.catalog->export_csv() == exported);

    CatalogWorld fresh(backend);
    fresh.seed();
    auto created = import_ok(fresh, exported);
    CHECK(created.created == 8);
    CHECK(fresh.catalog->export_csv() == exported);
    fresh.restart();
    CHECK(fresh.catalog->export_csv() == exported);
    auto item = fresh.catalog->find_item("SHRM");
    REQUIRE(item);
    CHECK(item->name == "Shirt \"Classic\", cotton, red M");
    CHECK(item->cost_minor == 900);
    CHECK(item->tags == std::vector<std::string>{"clothes", "summer sale"});
    CHECK_FALSE(fresh.catalog->find_item("SHIRT-BL")->active);
    CHECK(fresh.catalog->find_item("2100001")->weighed);
    CHECK(fresh.catalog->find_item("LATTE-L")->modifier_groups.size() == 1);
}

TEST_CASE("import upserts by SKU, keeps what a file leaves out and audits price changes") {
    CatalogWorld w;
    fill(w);
    const auto latte_m_id = w.catalog->find_item("LATTE-M")->variant_id;
    auto r = import_ok(w,
                       "sku,parent_sku,variant_name,price_minor\n"
                       "LATTE-M,LATTE,,340\n"
                       "LATTE-XL,LATTE,extra large,400\n"
                       "APPLES,,,349\n");
    REQUIRE(r.plan.rows.size() == 3);
    CHECK(r.plan.rows[0].outcome == "updated");
    CHECK(r.plan.rows[1].outcome == "created");
    CHECK(r.plan.rows[2].outcome == "unchanged");
    auto m = w.catalog->find_item("LATTE-M");
    CHECK(m->price_minor == 340);
    CHECK(m->variant_id == latte_m_id);
    CHECK(m->name == "Latte, medium");
    auto entries = w.audit.list(0, 500);
    REQUIRE(entries.ok());
    bool audited = false;
    for (const auto& e : *entries)
        if (e.action == "catalog.price_changed" && e.subject == "variant:" + latte_m_id) audited = true;
    CHECK(audited);
}

TEST_CASE("every kind of bad row refuses the whole import, naming row and column") {
    struct Case {
        const char* what;
        std::string csv;
        int row;
        const char* column;
        const char* message;
    };
    const std::string h = header;
    const std::vector<Case> cases = {
        {"empty file", "", 1, "", "the file is empty"},
        {"header only", h, 1, "", "header but no rows"},
        {"unknown column", "sku,price,name\nX,1,Y\n", 1, "price", "unknown column"},
        {"column twice", "sku,name,name\nX,Y,Z\n", 1, "name", "column appears twice"},
        {"no sku column", "name,price_minor\nY,1\n", 1, "sku", "no sku column"},
        {"unterminated quote", h + "NEW,,\"Open,,shop,1,,vat20,,,,,,\n", 2, "field 3", "unterminated quoted field"},
        {"stray quote", h + "NEW,,Op\"en,,shop,1,,vat20,,,,,,\n", 2, "field 3", "quote inside an unquoted field"},
        {"text after closing quote", h + "NEW,,\"Open\"x,,shop,1,,vat20,,,,,,\n", 2, "field 3", "after a closing quote"},
        {"wrong field count", h + "NEW,,Thing,shop,1\n", 2, "", "has 5 fields, the header has 14"},
        {"empty sku", h + ",,Thing,,shop,1,,vat20,,,,,,\n", 2, "sku", "must not be empty"},
        {"sku with space", h + "NE W,,Thing,,shop,1,,vat20,,,,,,\n", 2, "sku", "must not contain spaces"},
        {"missing name", h + "NEW,,,,shop,1,,vat20,,,,,,\n", 2, "name", "required for a new product"},
        {"missing department", h + "NEW,,Thing,,,1,,vat20,,,,,,\n", 2, "department", "required for a new product"},
        {"missing tax class", h + "NEW,,Thing,,shop,1,,,,,,,,\n", 2, "tax_class", "required for a new product"},
        {"missing price", h + "NEW,,Thing,,shop,,,vat20,,,,,,\n", 2, "price_minor", "required for a new product"},
        {"price not an integer", h + "NEW,,Thing,,shop,1.50,,vat20,,,,,,\n", 2, "price_minor", "expected an integer amount"},
        {"negative price", h + "NEW,,Thing,,shop,-5,,vat20,,,,,,\n", 2, "price_minor", "must be at least 0"},
        {"bad cost", h + "NEW,,Thing,,shop,1,abc,vat20,,,,,,\n", 2, "cost_minor", "expected an integer amount"},
        {"unknown department", h + "NEW,,Thing,,bakery,1,,vat20,,,,,,\n", 2, "department", "unknown department 'bakery'"},
        {"unknown tax class", h + "NEW,,Thing,,shop,1,,vat99,,,,,,\n", 2, "tax_class", "unknown tax class 'vat99'"},
        {"unknown modifier group", h + "NEW,,Thing,,shop,1,,vat20,,milk|sauce,,,,\n", 2, "modifier_groups", "unknown modifier group 'sauce'"},
        {"modifier group twice", h + "NEW,,Thing,,shop,1,,vat20,,milk|milk,,,,\n", 2, "modifier_groups", "listed twice"},
        {"bad boolean", h + "NEW,,Thing,,shop,1,,vat20,,,yes,,,\n", 2, "active", "expected true or false"},
        {"bad barcode", h + "NEW,,Thing,,shop,1,,vat20,12 34,,,,,\n", 2, "barcodes", "must not contain spaces"},
        {"empty tag", h + "NEW,,Thing,,shop,1,,vat20,,,,,,a||b\n", 2, "tags", "must not be empty"},
        {"variant name on a product row", h + "NEW,,Thing,large,shop,1,,vat20,,,,,,\n", 2, "variant_name", "a product row has no variant_name"},
        {"product field on a variant row", h + "LATTE-XL,LATTE,Latte,xl,,400,,,,,,,,\n", 2, "name", "leave it empty on a variant row"},
        {"unknown parent", h + "X-S,NOPE,,small,,1,,,,,,,,\n", 2, "parent_sku", "unknown parent_sku 'NOPE'"},
        {"parent is a variant", h + "X-S,LATTE-S,,small,,1,,,,,,,,\n", 2, "parent_sku", "is a variant, not a product"},
        {"new variant without name", h + "LATTE-XL,LATTE,,,,400,,,,,,,,\n", 2, "variant_name", "required for a new variant"},
        {"new variant without price", h + "LATTE-XL,LATTE,,xl,,,,,,,,,,\n", 2, "price_minor", "required for a new variant"},
        {"product row twice", h + "NEW,,Thing,,shop,1,,vat20,,,,,,\nNEW,,Thing,,shop,1,,vat20,,,,,,\n", 3, "sku", "appears twice (first at row 2)"},
        {"variant row twice", h + "LATTE-XL,LATTE,,xl,,400,,,,,,,,\nLATTE-XL,LATTE,,xl,,400,,,,,,,,\n", 3, "sku", "appears twice"},
        {"sku used by a variant", h + "LATTE-M,,Thing,,shop,1,,vat20,,,,,,\n", 2, "sku", "already used by variant LATTE-M"},
        {"sku twice across product and variant", h + "NEW,,Thing,,shop,1,,vat20,,,,,,\nNEW-S,NEW,,s,,1,,,,,,,,\nNEW2,,Other,,shop,1,,vat20,,,,,,\nNEW-S,NEW2,,s,,1,,,,,,,,\n", 5, "sku", "used twice"},
        {"barcode already used", h + "NEW,,Thing,,shop,1,,vat20,2000000000017,,,,,\n", 2, "barcodes", "already used by variant LATTE-S"},
        {"barcode twice in the file", h + "NEW,,Thing,,shop,1,,vat20,111,,,,,\nNEW2,,Thing,,shop,1,,vat20,222|111,,,,,\n", 3, "barcodes", "used twice (also at row 2)"},
        {"barcodes on a product with variants", h + "LATTE,,,,,,,,999,,,,,\n", 2, "barcodes", "has variants"},
    };
    for (const auto& c : cases) {
        CatalogWorld w;
        w.seed();
        REQUIRE(w.catalog->create_product(w.latte(), w.manager).ok());
        const std::string before = w.catalog->export_csv();
        INFO(c.what);
        auto r = w.catalog->import_csv(c.csv, w.manager);
        REQUIRE(r.ok());
        REQUIRE_FALSE(r->plan.problems.empty());
        const auto& p = r->plan.problems[0];
        INFO("got row " << p.row << ", column " << p.column << ": " << p.message);
        CHECK(p.row == c.row);
        CHECK(p.column == c.column);
        CHECK_THAT(p.message, Catch::Contains(c.message));
        CHECK(w.catalog->export_csv() == before);
    }
}

TEST_CASE("one bad row among good ones: nothing is applied and every bad row is listed") {
    CatalogWorld w;
    w.seed();
    auto r = w.catalog->import_csv(header +
                                       "GOOD,,Good,,shop,100,,vat20,,,,,,\n"
                                       "BAD1,,Bad,,shop,x,,vat20,,,,,,\n"
                                       "GOOD2,,Good 2,,shop,100,,vat20,,,,,,\n"
                                       "BAD2,,Bad,,nowhere,1,,vat20,,,,,,\n",
                                   w.manager);
    REQUIRE(r.ok());
    REQUIRE(r->plan.problems.size() == 2);
    CHECK(r->plan.problems[0].row == 3);
    CHECK(r->plan.problems[1].row == 5);
    CHECK_FALSE(w.catalog->find_item("GOOD"));
    CHECK(w.catalog->products("", 10).items.empty());
}
