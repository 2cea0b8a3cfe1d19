// The catalog's routes over real HTTP, with the real people module as the
// Authorizer: logins, permissions, JSON bodies, problem+json errors naming
// the JSON path, lookups, search, CSV export and import.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "api/http_server.hpp"
#include "api/router.hpp"
#include "catalog_world.hpp"
#include "support/http_client.hpp"

using namespace till;
using till::test::http_call;
using till::test::HttpReply;

namespace {

struct Api {
    test::CatalogWorld w;
    api::Router router;
    std::unique_ptr<api::HttpServer> server;
    std::string manager_token;
    std::string cashier_token;

    Api() {
        REQUIRE(w.people.create_demo_users().ok());
        REQUIRE(w.people.add_routes(router).ok());
        REQUIRE(w.catalog->add_routes(router).ok());
        server = std::make_unique<api::HttpServer>(api::ServerSettings{}, router, w.f.bus(), w.f.ctx().logger);
        REQUIRE(server->start().ok());
        manager_token = login("carol", "3333");
        cashier_token = login("alice", "1111");
    }

    std::string login(const std::string& name, const std::string& pin) {
        auto r = http_call(server->port(), "POST", "/api/v1/auth/login",
                           R"({"user_name":")" + name + R"(","pin":")" + pin + R"(","terminal_id":"T1"})", {});
        INFO(r.body);
        REQUIRE(r.status == 200);
        return json(r)["token"].as_string();
    }

    static sdk::Value json(const HttpReply& r) {
        auto v = sdk::Value::parse_json(r.body);
        return v ? *v : sdk::Value();
    }

    HttpReply call(const std::string& method, const std::string& path, const std::string& body = {},
                   const std::string& token = "manager", const std::string& content_type = "application/json") {
        std::map<std::string, std::string> headers{{"Content-Type", content_type}};
        const std::string& t = token == "manager" ? manager_token : token == "cashier" ? cashier_token : token;
        if (!t.empty() && token != "none") headers["Authorization"] = "Bearer " + t;
        return http_call(server->port(), method, path, body, headers);
    }

    /// POST that must succeed; the created thing.
    sdk::Value create(const std::string& path, const std::string& body) {
        auto r = call("POST", path, body);
        INFO(path << " " << r.body);
        REQUIRE(r.status == 201);
        return json(r);
    }

    void seed() {
        create("/api/v1/catalog/departments", R"({"code":"coffee","name":"Coffee"})");
        create("/api/v1/catalog/tax-classes",
               R"({"code":"vat10","name":"VAT 10%","rates":[{"name":"VAT 10%","rate_bp":1000}]})");
        create("/api/v1/catalog/modifier-groups",
               R"({"code":"milk","name":"Milk","max_choices":2,"modifiers":[{"name":"oat milk","price_delta_minor":40},{"name":"extra shot","price_delta_minor":60}]})");
        create("/api/v1/catalog/products", latte_json);
    }

    static inline const std::string latte_json =
        R"({"sku":"LATTE","name":"Latte","department_id":"coffee","tax_class_id":"vat10","price_minor":280,)"
        R"("track_stock":false,"modifier_group_ids":["milk"],"variants":[)"
        R"({"sku":"LATTE-S","name":"small","price_minor":280,"barcodes":["2000000000017"]},)"
        R"({"sku":"LATTE-L","name":"large","price_minor":360}]})";
};

void check_problem(const HttpReply& r, int status, const std::string& json_path, const std::string& detail_part) {
    INFO(r.body);
    CHECK(r.status == status);
    CHECK_THAT(r.content_type, Catch::StartsWith("application/problem+json"));
    auto v = Api::json(r);
    if (!json_path.empty()) CHECK(v["errors"].as_list().at(0)["path"].as_string() == json_path);
    CHECK_THAT(v["detail"].as_string(), Catch::Contains(detail_part));
}

}  // namespace

TEST_CASE("catalog routes need a login, changes need catalog.edit") {
    Api a;
    check_problem(a.call("GET", "/api/v1/catalog/departments", {}, "none"), 401, "", "");
    check_problem(a.call("GET", "/api/v1/catalog/search?q=x", {}, "not-a-token"), 401, "", "");
    check_problem(a.call("POST", "/api/v1/catalog/departments", R"({"code":"tea","name":"Tea"})", "cashier"), 403, "",
                  "catalog.edit");
    CHECK(a.call("GET", "/api/v1/catalog/departments", {}, "cashier").status == 200);
    CHECK(a.call("POST", "/api/v1/catalog/departments", R"({"code":"tea","name":"Tea"})").status == 201);
}

TEST_CASE("CRUD over HTTP, lookups by SKU and barcode, and search") {
    Api a;
    a.seed();
    auto list = Api::json(a.call("GET", "/api/v1/catalog/products"));
    REQUIRE(list["items"].size() == 1);
    const auto latte = list["items"].as_list()[0];
    const std::string id = latte["product_id"].as_string();
    CHECK(list["next"].is_null());

    auto item = a.call("GET", "/api/v1/catalog/items/2000000000017", {}, "cashier");
    REQUIRE(item.status == 200);
    auto iv = Api::json(item);
    CHECK(iv["sku"].as_string() == "LATTE-S");
    CHECK(iv["name"].as_string() == "Latte, small");
    CHECK(iv["tax_rates"].as_list().at(0)["rate_bp"].as_int() == 1000);
    CHECK(iv["modifier_groups"].as_list().at(0)["modifiers"].size() == 2);
    check_problem(a.call("GET", "/api/v1/catalog/items/LATTE"), 404, "", "sold through its variants");
    check_problem(a.call("GET", "/api/v1/catalog/items/NOPE"), 404, "", "no item with SKU or barcode NOPE");

    auto found = Api::json(a.call("GET", "/api/v1/catalog/search?q=lat%20lar&limit=5", {}, "cashier"));
    REQUIRE(found["items"].size() == 1);
    CHECK(found["items"].as_list()[0]["sku"].as_string() == "LATTE-L");
    CHECK(found["items"].as_list()[0]["match"].as_string() == "name");
    found = Api::json(a.call("GET", "/api/v1/catalog/search?q=LATTE-S"));
    CHECK(found["items"].as_list().at(0)["match"].as_string() == "sku");
    check_problem(a.call("GET", "/api/v1/catalog/search"), 400, "", "query parameter q");
    check_problem(a.call("GET", "/api/v1/catalog/search?q=a&limit=0"), 400, "", "query parameter limit");

    // GET → PUT back with a new price: the answer keeps ids.
    auto got = Api::json(a.call("GET", "/api/v1/catalog/products/" + id));
    sdk::Value body = got;
    sdk::Value variants = got["variants"];
    variants.mutable_list()[1].set("price_minor", 380);
    body.set("variants", variants);
    auto put = a.call("PUT", "/api/v1/catalog/products/" + id, body.to_json());
    INFO(put.body);
    REQUIRE(put.status == 200);
    CHECK(Api::json(put)["variants"].as_list()[1]["variant_id"] == got["variants"].as_list()[1]["variant_id"]);
    CHECK(a.w.catalog->find_item("LATTE-L")->price_minor == 380);

    // Delete: a used department is refused; a product goes; then the department.
    auto deps = Api::json(a.call("GET", "/api/v1/catalog/departments"));
    const std::string dep = deps["items"].as_list().at(0)["department_id"].as_string();
    check_problem(a.call("DELETE", "/api/v1/catalog/departments/" + dep), 409, "", "used by 1 product");
    CHECK(a.call("DELETE", "/api/v1/catalog/products/" + id).status == 204);
    CHECK(a.call("GET", "/api/v1/catalog/products/" + id).status == 404);
    CHECK(a.call("DELETE", "/api/v1/catalog/departments/" + dep).status == 204);
    CHECK(a.call("GET", "/api/v1/catalog/departments/" + dep).status == 404);
}

TEST_CASE("bad bodies are 4xx problems naming the JSON path") {
    Api a;
    a.seed();
    const std::string products = "/api/v1/catalog/products";
    check_problem(a.call("POST", products, "{not json"), 400, "", "not valid JSON");
    check_problem(a.call("POST", products, R"({"sku":"X","name":"X","department_id":"coffee","tax_class_id":"vat10","price_minor":"1.50"})"),
                  422, "$.price_minor", "expected an integer");
    check_problem(a.call("POST", products, R"({"sku":"X","name":"X","department_id":"coffee","tax_class_id":"vat10","price_minor":1,"colour":"red"})"),
                  422, "$.colour", "unknown field");
    check_problem(a.call("POST", products, R"({"sku":"X","name":"X","department_id":"coffee","tax_class_id":"vat10","price_minor":-1})"),
                  422, "$.price_minor", "at least 0");
    check_problem(a.call("POST", products, R"({"sku":"X","name":"X","department_id":"bakery","tax_class_id":"vat10","price_minor":1})"),
                  422, "$.department_id", "unknown department 'bakery'");
    check_problem(a.call("POST", products, R"({"sku":"X","name":"X","department_id":"coffee","tax_class_id":"vat99","price_minor":1})"),
                  422, "$.tax_class_id", "unknown tax class");
    check_problem(a.call("POST", products, R"({"sku":"X","name":"X","department_id":"coffee","tax_class_id":"vat10","price_minor":1,"variants":[{"sku":"X S","name":"s","price_minor":1}]})"),
                  422, "$.variants[0].sku", "must not contain spaces");
    check_problem(a.call("POST", products, R"({"sku":"LATTE-S","name":"X","department_id":"coffee","tax_class_id":"vat10","price_minor":1})"),
                  409, "$.sku", "already used by variant LATTE-S");
    check_problem(a.call("POST", products, R"({"sku":"X","name":"X","department_id":"coffee","tax_class_id":"vat10","price_minor":1,"barcodes":["2000000000017"]})"),
                  409, "$.barcodes[0]", "already used");
    check_problem(a.call("POST", "/api/v1/catalog/modifier-groups", R"({"code":"x","name":"X","min_choices":3,"max_choices":3,"modifiers":[{"name":"a"}]})"),
                  422, "$.min_choices", "more than the number of modifiers");
    check_problem(a.call("POST", "/api/v1/catalog/tax-classes", R"({"code":"t","name":"T","rates":[{"name":"r","rate_bp":true}]})"),
                  422, "$.rates[0].rate_bp", "expected an integer");
    check_problem(a.call("POST", "/api/v1/catalog/departments", R"({"code":"coffee","name":"Again"})"), 409, "$.code",
                  "already used");
    check_problem(a.call("PUT", "/api/v1/catalog/departments/nope", R"({"code":"zz","name":"Z"})"), 404, "", "no department");
}

TEST_CASE("CSV export and import over HTTP") {
    Api a;
    a.seed();
    auto exported = a.call("GET", "/api/v1/catalog/export.csv", {}, "cashier");
    REQUIRE(exported.status == 200);
    CHECK_THAT(exported.content_type, Catch::StartsWith("text/csv"));
    CHECK_THAT(exported.body, Catch::Contains("LATTE-L,LATTE,,large,,360,0,,,,true,,,\n"));

    auto same = a.call("POST", "/api/v1/catalog/import", exported.body, "manager", "text/csv");
    INFO(same.body);
    REQUIRE(same.status == 200);
    CHECK(Api::json(same)["unchanged"].as_int() == 3);
    CHECK(Api::json(same)["applied"].as_bool());

    const std::string csv = "sku,parent_sku,name,variant_name,department,price_minor,tax_class\n"
                            "MOCHA,,Mocha,,coffee,350,vat10\n"
                            "LATTE-L,LATTE,,,,370,\n";
    auto ok = a.call("POST", "/api/v1/catalog/import", csv, "manager", "text/csv");
    INFO(ok.body);
    REQUIRE(ok.status == 200);
    auto report = Api::json(ok);
    CHECK(report["created"].as_int() == 1);
    CHECK(report["updated"].as_int() == 1);
    CHECK(report["rows"].as_list().at(0)["row"].as_int() == 2);
    CHECK(report["rows"].as_list().at(0)["outcome"].as_string() == "created");
    CHECK(a.w.catalog->find_item("LATTE-L")->price_minor == 370);

    auto bad = a.call("POST", "/api/v1/catalog/import",
                      "sku,name,department,price_minor,tax_class\nTEA,Tea,coffee,abc,vat10\nCAKE,Cake,bakery,100,vat10\n",
                      "manager", "text/csv");
    check_problem(bad, 422, "", "row 2, column price_minor");
    auto errors = Api::json(bad)["errors"];
    REQUIRE(errors.size() == 2);
    CHECK(errors.as_list()[1]["row"].as_int() == 3);
    CHECK(errors.as_list()[1]["column"].as_string() == "department");
    CHECK(errors.as_list()[1]["path"].as_string() == "3:department");
    CHECK_FALSE(a.w.catalog->find_item("TEA"));

    check_problem(a.call("POST", "/api/v1/catalog/import", csv, "manager", "application/json"), 400, "", "text/csv");
    check_problem(a.call("POST", "/api/v1/catalog/import", csv, "cashier", "text/csv"), 403, "", "");
}

TEST_CASE("every catalog route is in docs/api/openapi.yaml") {
    Api a;
    std::ifstream in(std::string(TILL_SOURCE_DIR) + "/docs/api/openapi.yaml");
    REQUIRE(in.good());
    std::stringstream text;
    text << in.rdbuf();
    for (const auto& r : a.router.routes()) {
        if (r.pattern.rfind("/api/v1/catalog", 0) != 0) continue;
        INFO(r.pattern);
        CHECK_THAT(text.str(), Catch::Contains("  " + r.pattern + ":"));
        std::string method = api::method_name(r.method);
        for (auto& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (method == "del") method = "delete";
        auto at = text.str().find("  " + r.pattern + ":");
        auto next = text.str().find("\n  /", at + 1);
        CHECK_THAT(text.str().substr(at, next == std::string::npos ? std::string::npos : next - at),
                   Catch::Contains("    " + method + ":"));
    }
}

TEST_CASE("the demo catalog loads through the API and exports back byte for byte") {
    Api a;
    auto read = [](const std::string& rel) {
        std::ifstream in(std::string(TILL_SOURCE_DIR) + "/" + rel, std::ios::binary);
        REQUIRE(in.good());
        std::stringstream text;
        text << in.rdbuf();
        return text.str();
    };
    auto setup = sdk::Value::parse_json(read("configs/demo/catalog-setup.json"));
    REQUIRE(setup.ok());
    for (const auto& r : (*setup)["requests"].as_list()) {
        auto reply = a.call(r["method"].as_string(), r["path"].as_string(), r["body"].to_json());
        INFO(r["path"].as_string() << " " << reply.body);
        REQUIRE(reply.status == 201);
    }
    const std::string csv = read("configs/demo/catalog.csv");
    auto imported = a.call("POST", "/api/v1/catalog/import", csv, "manager", "text/csv");
    INFO(imported.body);
    REQUIRE(imported.status == 200);
    CHECK(Api::json(imported)["unchanged"].as_int() == 0);
    CHECK(a.call("GET", "/api/v1/catalog/export.csv").body == csv);

    auto latte = a.w.catalog->find_item("LATTE-L");
    REQUIRE(latte);
    CHECK(latte->price_minor == 420);
    REQUIRE(latte->modifier_groups.size() == 2);
    CHECK(latte->modifier_groups[0].modifiers[0].name == "oat milk");
    CHECK(latte->modifier_groups[0].modifiers[0].price_delta_minor == 40);
    CHECK(latte->modifier_groups[1].modifiers[0].price_delta_minor == 60);
    CHECK(latte->tax_rates.at(0).rate_bp == 1000);
    auto shirt = a.w.catalog->search("shirt black m", 5);
    REQUIRE(shirt.size() == 1);
    CHECK(shirt[0].item.sku == "TSHIRT-BLK-M");
    CHECK(a.w.catalog->find_item("MUG01")->sku == "MUG");
    CHECK(a.w.catalog->find_item("TEA-LOOSE-EARLGREY")->weighed);
    CHECK_FALSE(a.w.catalog->find_item("SCARF-OLD")->active);
}
