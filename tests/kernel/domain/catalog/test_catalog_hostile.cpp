// Hostile and careless input to the catalog (review findings, one test per
// behaviour): codes a scan could not tell apart, text PostgreSQL would refuse,
// CSV files from spreadsheets, search abuse and bodies that are not JSON.
#include <catch2/catch.hpp>

#include "api/http_server.hpp"
#include "api/router.hpp"
#include "catalog_world.hpp"
#include "support/http_client.hpp"

using namespace till;
using namespace till::domain::catalog;
using till::test::Backend;
using till::test::CatalogWorld;
using till::test::http_call;
using till::test::HttpReply;

namespace {

struct Api {
    CatalogWorld w;
    api::Router router;
    std::unique_ptr<api::HttpServer> server;
    std::string token;

    explicit Api(Backend backend = Backend::sqlite) : w(backend) {
        w.seed();
        REQUIRE(w.people.create_demo_users().ok());
        REQUIRE(w.people.add_routes(router).ok());
        REQUIRE(w.catalog->add_routes(router).ok());
        server = std::make_unique<api::HttpServer>(api::ServerSettings{}, router, w.f.bus(), w.f.ctx().logger);
        REQUIRE(server->start().ok());
        auto r = http_call(server->port(), "POST", "/api/v1/auth/login",
                           R"({"user_name":"carol","pin":"3333","terminal_id":"T1"})", {});
        REQUIRE(r.status == 200);
        token = sdk::Value::parse_json(r.body)->find("token")->as_string();
    }
    HttpReply call(const std::string& method, const std::string& path, const std::string& body = {},
                   const std::string& content_type = "application/json") {
        return http_call(server->port(), method, path, body,
                         {{"Authorization", "Bearer " + token}, {"Content-Type", content_type}});
    }
};

std::string product_json(const std::string& sku, const std::string& name, const std::string& extra = {}) {
    return R"({"sku":")" + sku + R"(","name":")" + name +
           R"(","department_id":"shop","tax_class_id":"vat20","price_minor":100)" + extra + "}";
}

const ImportPlan& planned(const sdk::Result<ImportResult>& r) {
    REQUIRE(r.ok());
    return r->plan;
}

}  // namespace

TEST_CASE("a barcode that is another item's SKU, or a SKU that is another item's barcode, is refused") {
    // A scan looks codes up as SKUs first: such a barcode could never be sold by scanning.
    CatalogWorld w;
    w.seed();
    REQUIRE(w.catalog->create_product(w.simple("12345", "Numbered", 100), w.manager).ok());
    auto shadowed = w.simple("MUG", "Mug", 500);
    shadowed.barcodes = {"12345"};
    auto r = w.catalog->create_product(shadowed, w.manager);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "conflict");
    CHECK_THAT(r.error().message, Catch::StartsWith("$.barcodes[0]: barcode 12345 is the SKU of product 12345"));

    auto with_barcode = w.simple("CUP", "Cup", 300);
    with_barcode.barcodes = {"4006381333931"};
    REQUIRE(w.catalog->create_product(with_barcode, w.manager).ok());
    auto r2 = w.catalog->create_product(w.simple("4006381333931", "Clash", 100), w.manager);
    REQUIRE_FALSE(r2.ok());
    CHECK_THAT(r2.error().message, Catch::Contains("already a barcode of product CUP"));

    // An item's own SKU may double as its barcode (shops that use the EAN as SKU).
    auto own = w.simple("4000000000001", "Own code", 100);
    own.barcodes = {"4000000000001"};
    CHECK(w.catalog->create_product(own, w.manager).ok());
    // A variant's barcode may not be its parent's SKU (the parent SKU is no item).
    auto latte = w.latte();
    latte.variants[1].barcodes = {"LATTE"};
    auto r3 = w.catalog->create_product(latte, w.manager);
    REQUIRE_FALSE(r3.ok());
    CHECK_THAT(r3.error().message, Catch::StartsWith("$.variants[1].barcodes[0]"));

    // The same inside one CSV file, named by row.
    auto plan = planned(w.catalog->import_csv(
        "sku,name,department,price_minor,tax_class,barcodes\nAAA,A,shop,1,vat20,BBB\nBBB,B,shop,1,vat20,\n",
        w.manager));
    REQUIRE(plan.problems.size() == 1);
    CHECK(plan.problems[0].row == 3);
    CHECK(plan.problems[0].column == "sku");
    CHECK_THAT(plan.problems[0].message, Catch::Contains("also a barcode"));
    CHECK_FALSE(w.catalog->find_item("AAA"));
}

TEST_CASE("CSV from spreadsheets: BOM, CRLF, quotes, commas and line breaks inside quotes") {
    CatalogWorld w;
    w.seed();
    const std::string csv =
        "\xEF\xBB\xBFsku,name,department,price_minor,tax_class,tags\r\n"
        "TEA,\"Tea, \"\"Earl Grey\"\"\",shop,450,vat20,\"hot|loose\"\"leaf\"\r\n"
        "CAKE,Cake,shop,300,vat20,\r\n";
    auto r = w.catalog->import_csv(csv, w.manager);
    REQUIRE(r.ok());
    REQUIRE(r->plan.problems.empty());
    CHECK(w.catalog->find_item("TEA")->name == "Tea, \"Earl Grey\"");
    CHECK(w.catalog->find_item("TEA")->tags == std::vector<std::string>{"hot", "loose\"leaf"});
    CHECK(w.catalog->find_item("CAKE")->tags.empty());

    // A line break inside a quoted name is refused, naming the record's row (not the line after).
    auto plan = planned(w.catalog->import_csv(
        "sku,name,department,price_minor,tax_class\r\nJAM,\"Straw\r\nberry\",shop,1,vat20\r\nBUN,Bun,shop,1,vat20\r\n",
        w.manager));
    REQUIRE(plan.problems.size() == 1);
    CHECK(plan.problems[0].row == 2);
    CHECK(plan.problems[0].column == "name");
    CHECK_FALSE(w.catalog->find_item("BUN"));

    // The same SKU twice in one file.
    auto twice = planned(w.catalog->import_csv(
        "sku,name,department,price_minor,tax_class\nX1,One,shop,1,vat20\nX1,Two,shop,2,vat20\n", w.manager));
    REQUIRE(twice.problems.size() == 1);
    CHECK(twice.problems[0].row == 3);
    CHECK_THAT(twice.problems[0].message, Catch::Contains("appears twice (first at row 2)"));
    // A file with a lone CR at the end: the CR is not part of the last cell.
    auto cr = w.catalog->import_csv("sku,name,department,price_minor,tax_class\nCR1,Cr,shop,1,vat20\r", w.manager);
    REQUIRE(cr.ok());
    INFO((cr->plan.problems.empty() ? "" : cr->plan.problems[0].message));
    CHECK(cr->plan.problems.empty());
}

TEST_CASE("text that is not UTF-8 is refused before storage, over HTTP and in CSV (SQLite and PostgreSQL)",
          "[postgresql]") {
    const Backend backend = GENERATE(Backend::sqlite, Backend::postgresql);
    Api a(backend);
    auto bad_name = a.call("POST", "/api/v1/catalog/products", product_json("BAD", "Caf\xe9"));
    INFO(bad_name.body);
    CHECK(bad_name.status == 422);
    CHECK_THAT(bad_name.body, Catch::Contains("$.name: is not valid UTF-8 text"));
    auto bad_sku = a.call("POST", "/api/v1/catalog/products", product_json("\xc0\xaf", "Overlong"));
    CHECK(bad_sku.status == 422);
    auto bad_dep = a.call("POST", "/api/v1/catalog/departments", "{\"code\":\"x\",\"name\":\"\xed\xa0\x80\"}");
    CHECK(bad_dep.status == 422);
    auto bad_tag = a.call("POST", "/api/v1/catalog/products", product_json("TAG", "Tag", ",\"tags\":[\"\xff\"]"));
    CHECK(bad_tag.status == 422);
    auto csv = a.call("POST", "/api/v1/catalog/import",
                      "sku,name,department,price_minor,tax_class\nLATIN1,Cr\xe8me,shop,1,vat20\n", "text/csv");
    INFO(csv.body);
    CHECK(csv.status == 422);
    CHECK_THAT(csv.body, Catch::Contains("\"2:name\""));
    // Real UTF-8 is stored and comes back as it was.
    auto good = a.call("POST", "/api/v1/catalog/products", product_json("CREME", "Cr\xc3\xa8me br\xc3\xbbl\xc3\xa9"));
    INFO(good.body);
    CHECK(good.status == 201);
    a.w.restart();
    CHECK(a.w.catalog->find_item("CREME")->name == "Cr\xc3\xa8me br\xc3\xbbl\xc3\xa9");
}

TEST_CASE("search folds the case of accented Latin, Greek and Cyrillic letters") {
    CatalogWorld w;
    w.seed();
    REQUIRE(w.catalog->create_product(w.simple("ECL", "\xc3\x89" "clair au caf\xc3\xa9", 300), w.manager).ok());
    REQUIRE(w.catalog->create_product(w.simple("BORSCH", "\xd0\x91\xd0\xbe\xd1\x80\xd1\x89", 500), w.manager).ok());
    REQUIRE(w.catalog->create_product(w.simple("GYROS", "\xce\x93\xcf\x8d\xcf\x81\xce\xbf\xcf\x82", 700), w.manager).ok());
    auto sku_of = [&](const std::string& q) {
        auto hits = w.catalog->search(q, 5);
        return hits.size() == 1 ? hits[0].item.sku : std::string("(" + std::to_string(hits.size()) + " hits)");
    };
    CHECK(sku_of("\xc3\xa9" "cl") == "ECL");            // "écl" finds "Éclair"
    CHECK(sku_of("\xc3\x89" "CLAIR CAF\xc3\x89") == "ECL");  // "ÉCLAIR CAFÉ"
    CHECK(sku_of("\xd0\xb1\xd0\xbe\xd1\x80") == "BORSCH");  // "бор" finds "Борщ"
    CHECK(sku_of("\xd0\x91\xd0\x9e\xd0\xa0\xd0\xa9") == "BORSCH");  // "БОРЩ"
    CHECK(sku_of("\xce\xb3\xcf\x8d") == "GYROS");        // "γύ" finds "Γύρος"
}

TEST_CASE("search abuse: empty, very long, many words, bad limits are 400s, repeated words are harmless") {
    Api a;
    REQUIRE(a.call("POST", "/api/v1/catalog/products", product_json("TEA", "Green tea")).status == 201);
    CHECK(a.call("GET", "/api/v1/catalog/search").status == 400);
    CHECK(a.call("GET", "/api/v1/catalog/search?q=").status == 400);
    CHECK(a.call("GET", "/api/v1/catalog/search?q=" + std::string(10000, 'a')).status == 400);
    for (const char* limit : {"0", "-1", "201", "abc", "1e3", "99999999999999999999", "%00"})
        CHECK(a.call("GET", std::string("/api/v1/catalog/search?q=tea&limit=") + limit).status == 400);
    CHECK(a.call("GET", "/api/v1/catalog/products?limit=501").status == 400);
    CHECK(a.call("GET", "/api/v1/catalog/departments?limit=-5").status == 400);
    CHECK(a.call("GET", "/api/v1/catalog/search?q=%FF%FE").status == 200);
    // 100 words within 200 bytes: only the first words count; still a match.
    std::string many = "tea";
    for (int i = 0; i < 49; ++i) many += "+gr";
    auto r = a.call("GET", "/api/v1/catalog/search?q=" + many);
    INFO(r.body);
    REQUIRE(r.status == 200);
    CHECK_THAT(r.body, Catch::Contains("\"TEA\""));
    CHECK(a.w.catalog->search("t t t t t t t t t t t t t t t t t t green", 5).size() == 1);
}

TEST_CASE("catalog bodies: not JSON, too deep, not declared as JSON, oversized, ids that are not ids") {
    Api a;
    CHECK(a.call("POST", "/api/v1/catalog/products", product_json("TEA", "Tea"), "text/plain").status == 400);
    CHECK(a.call("POST", "/api/v1/catalog/products", std::string(500, '[') + std::string(500, ']')).status == 400);
    CHECK(a.call("POST", "/api/v1/catalog/products", "").status == 400);
    CHECK(a.call("POST", "/api/v1/catalog/products", "[]").status == 422);
    CHECK(a.call("POST", "/api/v1/catalog/products",
                 product_json("TEA", "Tea", ",\"variants\":" + std::string(100, '[') + std::string(100, ']')))
              .status == 422);
    CHECK(a.call("POST", "/api/v1/catalog/products", product_json("TEA", std::string(100000, 'x'))).status == 422);
    CHECK(a.call("GET", "/api/v1/catalog/products/%FF").status == 404);
    CHECK(a.call("GET", "/api/v1/catalog/items/%00").status == 404);
    CHECK(a.call("DELETE", "/api/v1/catalog/departments/..%2F..").status == 404);
    // A department in use cannot go.
    std::string dep;
    for (const auto& d : a.w.catalog->departments())
        if (d.code == "shop") dep = d.department_id;
    REQUIRE(a.call("POST", "/api/v1/catalog/products", product_json("TEA", "Tea")).status == 201);
    auto del = a.call("DELETE", "/api/v1/catalog/departments/" + dep);
    CHECK(del.status == 409);
    CHECK_THAT(del.body, Catch::Contains("used by 1 product"));
}

TEST_CASE("a 100,000-row import with one bad row at the end applies nothing and names the row") {
    CatalogWorld w;
    w.seed();
    std::string csv = "sku,name,department,price_minor,tax_class\n";
    for (int i = 0; i < 100000; ++i) csv += "R" + std::to_string(i) + ",Row " + std::to_string(i) + ",shop,1,vat20\n";
    csv += "BAD,Bad,nowhere,1,vat20\n";
    auto plan = planned(w.catalog->import_csv(csv, w.manager));
    REQUIRE(plan.problems.size() == 1);
    CHECK(plan.problems[0].row == 100002);
    CHECK(plan.problems[0].column == "department");
    CHECK_FALSE(w.catalog->find_item("R0"));
    CHECK(w.catalog->products("", 10).items.empty());
}
