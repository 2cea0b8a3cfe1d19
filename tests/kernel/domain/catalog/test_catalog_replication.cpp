// The catalog and sync: every change appends one ReplicatedChange in its
// transaction (a failed append fails the change), write routes answer 403
// on a store whose master data is HQ's, and the ReplicaApplier writes HQ's
// changes into a store's catalog (SQLite and PostgreSQL).
#include <catch2/catch.hpp>

#include "api/http_server.hpp"
#include "api/router.hpp"
#include "domain/audit/audit_trail.hpp"
#include "domain/catalog/catalog_json.hpp"
#include "domain/catalog/catalog_service.hpp"
#include "domain/people/people_service.hpp"
#include "domain_fixture.hpp"
#include "replication_doubles.hpp"
#include "support/http_client.hpp"

using namespace till;
using namespace till::domain::catalog;
using till::domain::ReplicatedChange;
namespace change_type = till::domain::change_type;

namespace {

/// One node's catalog with its own ReplicationLog.
struct Node {
    test::DomainFixture f;
    test::RecordingReplication log;
    test::ReplicatingContext rc;
    domain::audit::AuditTrail audit{rc.ctx()};
    domain::people::PeopleService people{rc.ctx(), audit};
    std::unique_ptr<CatalogService> catalog;
    Actor manager{"user-manager", "T1", "", ""};

    Node(const std::string& node_id, test::Backend backend = test::Backend::sqlite)
        : f(backend), rc(f, node_id, log) {
        REQUIRE(audit.start().ok());
        REQUIRE(people.start().ok());
        restart();
        log.clear();  // the first admin
    }
    void restart() {
        catalog.reset();
        catalog = std::make_unique<CatalogService>(rc.ctx(), people, audit);
        REQUIRE(catalog->start().ok());
    }
    void seed() {
        REQUIRE(catalog->create_department({"", "coffee", "Coffee", 0}, manager).ok());
        REQUIRE(catalog->create_department({"", "shop", "Shop", 0}, manager).ok());
        TaxClass t;
        t.code = "vat20";
        t.name = "VAT 20";
        t.rates.push_back({"", "VAT 20%", 2000, false});
        REQUIRE(catalog->create_tax_class(t, manager).ok());
        ModifierGroup g;
        g.code = "milk";
        g.name = "Milk";
        g.max_choices = 2;
        g.modifiers = {{"", "oat milk", 40}, {"", "extra shot", 60}};
        REQUIRE(catalog->create_group(g, manager).ok());
    }
    Product simple(const std::string& sku, std::int64_t price_minor, std::vector<std::string> barcodes = {}) {
        Product p;
        p.sku = sku;
        p.name = "Item " + sku;
        p.department_id = "shop";
        p.tax_class_id = "vat20";
        p.price_minor = price_minor;
        p.barcodes = std::move(barcodes);
        auto made = catalog->create_product(p, manager);
        INFO((made ? "" : made.error().message));
        REQUIRE(made.ok());
        return *made;
    }
    Product latte() {
        Product p;
        p.sku = "LATTE";
        p.name = "Latte";
        p.department_id = "coffee";
        p.tax_class_id = "vat20";
        p.price_minor = 280;
        p.modifier_group_ids = {"milk"};
        p.variants = {{"", "LATTE-S", "small", 280, 50, true, {"2000000000017"}},
                      {"", "LATTE-L", "large", 360, 70, true, {}}};
        auto made = catalog->create_product(p, manager);
        INFO((made ? "" : made.error().message));
        REQUIRE(made.ok());
        return *made;
    }
    std::int64_t count(const std::string& table) {
        auto rows = f.db().query("SELECT COUNT(*) FROM " + table);
        REQUIRE(rows.ok());
        return rows->rows.at(0).at(0).as_int();
    }
};

std::string json_of(const sdk::Value& v) { return v.to_json(); }

}  // namespace

TEST_CASE("each catalog change appends one change with the record as the API shows it", "[catalog][sync]") {
    Node hq("hq");
    hq.seed();
    auto changes = hq.log.changes();
    REQUIRE(changes.size() == 4);
    CHECK(changes[0].type == change_type::department);
    CHECK(changes[1].type == change_type::department);
    CHECK(changes[2].type == change_type::tax_class);
    CHECK(changes[3].type == change_type::modifier_group);
    const auto coffee = hq.catalog->departments().front();
    CHECK(changes[0].entity_id == coffee.department_id);
    CHECK(json_of(changes[0].payload) == json_of(to_value(coffee)));
    CHECK_FALSE(changes[0].high_priority);

    hq.log.clear();
    Product p = hq.simple("MUG", 900, {"5012345678900"});
    p.price_minor = 950;
    auto updated = hq.catalog->update_product(p.product_id, p, hq.manager);
    REQUIRE(updated.ok());
    REQUIRE(hq.catalog->delete_product(p.product_id, hq.manager).ok());
    changes = hq.log.changes();
    REQUIRE(changes.size() == 3);
    for (const auto& c : changes) {
        CHECK(c.type == change_type::product);
        CHECK(c.entity_id == p.product_id);
    }
    CHECK(changes[1].payload["price_minor"].as_int() == 950);
    CHECK(json_of(changes[1].payload) == json_of(to_value(*updated)));
    CHECK(json_of(changes[2].payload) == R"({"deleted":true,"id":")" + p.product_id + "\"}");

    hq.log.clear();
    const auto vat = hq.catalog->tax_classes().front();
    const auto shop = hq.catalog->departments().back();
    REQUIRE(hq.catalog->delete_tax_class(hq.catalog->tax_classes().front().tax_class_id, hq.manager).ok());
    REQUIRE(hq.catalog->delete_department(shop.department_id, hq.manager).ok());
    changes = hq.log.changes();
    REQUIRE(changes.size() == 2);
    CHECK(changes[0].type == change_type::tax_class);
    CHECK(changes[0].payload["id"].as_string() == vat.tax_class_id);
    CHECK(changes[0].payload["deleted"].as_bool());
    CHECK(changes[1].type == change_type::department);
}

TEST_CASE("a CSV import appends one change per product it writes, none for unchanged rows", "[catalog][sync]") {
    Node hq("hq");
    hq.seed();
    hq.simple("MUG", 900);
    hq.log.clear();
    const std::string csv = hq.catalog->export_csv();
    // The export as it is: nothing changes, nothing is appended.
    auto same = hq.catalog->import_csv(csv, hq.manager);
    REQUIRE(same.ok());
    CHECK(hq.log.changes().empty());

    std::string more = csv;
    auto at = more.find("900");
    REQUIRE(at != std::string::npos);
    more.replace(at, 3, "990");
    std::string header = csv.substr(0, csv.find('\n') + 1);
    INFO(header);
    auto result = hq.catalog->import_csv(more, hq.manager);
    REQUIRE(result.ok());
    REQUIRE(result->plan.problems.empty());
    CHECK(result->updated == 1);
    auto changes = hq.log.changes();
    REQUIRE(changes.size() == 1);
    CHECK(changes[0].type == change_type::product);
    CHECK(changes[0].payload["sku"].as_string() == "MUG");
    CHECK(changes[0].payload["price_minor"].as_int() == 990);
}

TEST_CASE("a failed append fails the change and leaves nothing behind", "[catalog][sync]") {
    Node hq("hq");
    hq.seed();
    const auto before_topics = hq.f.topics().size();
    hq.log.fail_appends = true;
    Product p;
    p.sku = "MUG";
    p.name = "Mug";
    p.department_id = "shop";
    p.tax_class_id = "vat20";
    p.price_minor = 900;
    auto made = hq.catalog->create_product(p, hq.manager);
    REQUIRE_FALSE(made.ok());
    CHECK_THAT(made.error().message, Catch::Contains("outbox refused"));
    CHECK(hq.count("catalog_products") == 0);
    CHECK_FALSE(hq.catalog->find_item("MUG"));
    CHECK(hq.f.topics().size() == before_topics);  // nothing published
    auto dep = hq.catalog->create_department({"", "bakery", "Bakery", 0}, hq.manager);
    REQUIRE_FALSE(dep.ok());
    CHECK(hq.count("catalog_departments") == 2);
    const auto coffee = hq.catalog->departments().front();
    CHECK_FALSE(hq.catalog->delete_department(coffee.department_id, hq.manager).ok());
    CHECK(hq.catalog->department(coffee.department_id));
    hq.restart();  // storage agrees with the index
    CHECK(hq.catalog->departments().size() == 2);
    CHECK_FALSE(hq.catalog->find_item("MUG"));
}

TEST_CASE("catalog write routes answer 403 on a store whose master data is HQ's", "[catalog][sync][routes]") {
    Node store("store-1");
    store.seed();
    REQUIRE(store.people.create_demo_users().ok());
    api::Router router;
    REQUIRE(store.people.add_routes(router).ok());
    REQUIRE(store.catalog->add_routes(router).ok());
    api::HttpServer server(api::ServerSettings{}, router, store.f.bus(), store.f.ctx().logger);
    REQUIRE(server.start().ok());
    auto login = test::http_call(server.port(), "POST", "/api/v1/auth/login",
                                 R"({"user_name":"carol","pin":"3333","terminal_id":"T1"})", {});
    REQUIRE(login.status == 200);
    const std::string token = sdk::Value::parse_json(login.body)->operator[]("token").as_string();
    std::map<std::string, std::string> headers{{"Content-Type", "application/json"},
                                               {"Authorization", "Bearer " + token}};
    const std::string product = R"({"sku":"MUG","name":"Mug","department_id":"shop","tax_class_id":"vat20","price_minor":900})";

    store.log.refuse_master_data = true;
    auto refused = test::http_call(server.port(), "POST", "/api/v1/catalog/products", product, headers);
    CHECK(refused.status == 403);
    CHECK_THAT(refused.body, Catch::Contains("master data (product) is managed at HQ"));
    CHECK_THAT(refused.body, Catch::Contains("sync.allow_local_master_data"));
    auto dep = test::http_call(server.port(), "POST", "/api/v1/catalog/departments",
                               R"({"code":"bakery","name":"Bakery"})", headers);
    CHECK(dep.status == 403);
    CHECK_THAT(dep.body, Catch::Contains("master data (department)"));
    const auto coffee = store.catalog->departments().front();
    CHECK(test::http_call(server.port(), "DELETE", "/api/v1/catalog/departments/" + coffee.department_id, "", headers)
              .status == 403);
    auto csv_headers = headers;
    csv_headers["Content-Type"] = "text/csv";
    CHECK(test::http_call(server.port(), "POST", "/api/v1/catalog/import", store.catalog->export_csv(), csv_headers)
              .status == 403);
    // Reads stay open; nothing was written.
    CHECK(test::http_call(server.port(), "GET", "/api/v1/catalog/departments", "", headers).status == 200);
    CHECK(store.count("catalog_products") == 0);
    CHECK(store.catalog->departments().size() == 2);
    // Without a login it is still 401 (who asks comes first).
    CHECK(test::http_call(server.port(), "POST", "/api/v1/catalog/products", product,
                          {{"Content-Type", "application/json"}})
              .status == 401);

    store.log.refuse_master_data = false;  // sync.allow_local_master_data
    CHECK(test::http_call(server.port(), "POST", "/api/v1/catalog/products", product, headers).status == 201);
    server.stop();
}

namespace {

void hq_to_store(test::Backend backend) {
    Node hq("hq", backend);
    Node store("store-1", backend);
    hq.seed();
    Product mug = hq.simple("MUG", 900, {"5012345678900"});
    Product latte = hq.latte();
    auto batch = hq.log.changes();
    REQUIRE(batch.size() == 6);

    std::vector<sdk::Value> stored;
    auto applied = test::apply_batch(store.f.db(), store.catalog->replica_applier(), batch, &stored);
    INFO(applied.message());
    REQUIRE(applied.ok());
    CHECK(store.log.changes().empty());  // an applier never appends
    REQUIRE(stored.size() == 6);
    CHECK(json_of(stored[5]) == json_of(to_value(latte)));

    // The store sells HQ's items, same ids, same prices, found by barcode.
    auto item = store.catalog->find_item("5012345678900");
    REQUIRE(item);
    CHECK(item->product_id == mug.product_id);
    CHECK(item->price_minor == 900);
    auto small = store.catalog->find_item("LATTE-S");
    REQUIRE(small);
    CHECK(small->modifier_groups.size() == 1);
    CHECK(json_of(to_value(*store.catalog->product(latte.product_id))) == json_of(to_value(latte)));
    CHECK(store.f.last_event("catalog.product_changed").payload["product_id"].as_string() == latte.product_id);

    // A price change and a barcode moving to another product, then a deletion.
    hq.log.clear();
    mug.price_minor = 950;
    mug.barcodes.clear();
    Product cup = hq.simple("CUP", 500);
    // CUP takes the mug's old barcode: on HQ the mug gave it up first.
    REQUIRE(hq.catalog->update_product(mug.product_id, mug, hq.manager).ok());
    cup.barcodes = {"5012345678900"};
    REQUIRE(hq.catalog->update_product(cup.product_id, cup, hq.manager).ok());
    REQUIRE(hq.catalog->delete_product(latte.product_id, hq.manager).ok());
    batch = hq.log.changes();
    REQUIRE(batch.size() == 4);
    // Applied in an order where the barcode is claimed before it is given up
    // (a page ending inside an import): the newer claim wins.
    std::vector<ReplicatedChange> reordered = {batch[0], batch[2], batch[1], batch[3]};
    applied = test::apply_batch(store.f.db(), store.catalog->replica_applier(), reordered);
    INFO(applied.message());
    REQUIRE(applied.ok());
    CHECK(store.catalog->find_item("MUG")->price_minor == 950);
    CHECK(store.catalog->find_item("5012345678900")->sku == "CUP");
    CHECK_FALSE(store.catalog->product(latte.product_id));
    CHECK_FALSE(store.catalog->find_item("LATTE-S"));

    // What the store has on disk is what HQ has.
    store.restart();
    for (const auto& sku : {"MUG", "CUP"}) {
        auto at_hq = hq.catalog->find_item(sku);
        auto at_store = store.catalog->find_item(sku);
        REQUIRE(at_hq);
        REQUIRE(at_store);
        CHECK(json_of(to_value(*at_store)) == json_of(to_value(*at_hq)));
    }
    CHECK(store.catalog->export_csv() == hq.catalog->export_csv());

    // Applying the same changes again changes nothing.
    REQUIRE(test::apply_batch(store.f.db(), store.catalog->replica_applier(), batch).ok());
    CHECK(store.catalog->export_csv() == hq.catalog->export_csv());
}

}  // namespace

TEST_CASE("the catalog applier writes HQ's changes into a store (SQLite)", "[catalog][sync][applier]") {
    hq_to_store(test::Backend::sqlite);
}

TEST_CASE("the catalog applier writes HQ's changes into a store (PostgreSQL)", "[catalog][sync][applier][postgresql]") {
    hq_to_store(test::Backend::postgresql);
}

TEST_CASE("a change the store cannot apply is refused with the reason and the batch leaves nothing",
          "[catalog][sync][applier]") {
    Node hq("hq");
    Node store("store-1");
    hq.seed();
    hq.simple("MUG", 900);
    auto batch = hq.log.changes();
    // The product without its department and tax class.
    auto refused = test::apply_batch(store.f.db(), store.catalog->replica_applier(), {batch[3], batch.back()});
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().code == "invalid_argument");
    CHECK_THAT(refused.message(), Catch::Contains("product MUG: unknown department"));
    CHECK(store.count("catalog_modifier_groups") == 0);  // the group before it rolled back too
    CHECK_FALSE(store.catalog->find_item("MUG"));

    // A local department with HQ's code.
    REQUIRE(store.catalog->create_department({"", "coffee", "Local coffee", 0}, store.manager).ok());
    refused = test::apply_batch(store.f.db(), store.catalog->replica_applier(), batch);
    REQUIRE_FALSE(refused.ok());
    CHECK_THAT(refused.message(), Catch::Contains("code 'coffee' is held on this store by department"));

    // Not a record.
    ReplicatedChange junk{std::string(change_type::product), "x", sdk::Value::map(), false};
    refused = test::apply_batch(store.f.db(), store.catalog->replica_applier(), {junk});
    REQUIRE_FALSE(refused.ok());
    CHECK_THAT(refused.message(), Catch::Contains("$.product_id"));
    ReplicatedChange user{std::string(change_type::user), "u", sdk::Value::map(), false};
    CHECK_FALSE(test::apply_batch(store.f.db(), store.catalog->replica_applier(), {user}).ok());
}
