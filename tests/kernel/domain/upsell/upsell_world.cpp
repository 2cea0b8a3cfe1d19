#include "upsell_world.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace till::test {

namespace fs = std::filesystem;

namespace {
template <class T>
T must(sdk::Result<T> r, const char* what) {
    if (!r) throw std::runtime_error(std::string(what) + ": " + r.error().message);
    return std::move(r).value();
}
void must(const sdk::Status& s, const char* what) {
    if (!s.ok()) throw std::runtime_error(std::string(what) + ": " + s.message());
}
}  // namespace

void copy_shipped_rules(const std::string& root) {
    const fs::path source(TILL_SOURCE_SCRIPTS_DIR);
    fs::copy(source / "cafe", fs::path(root) / "cafe", fs::copy_options::recursive);
    fs::copy(source / "lib", fs::path(root) / "lib", fs::copy_options::recursive);
}

void write_rule(const std::string& root, const std::string& relative, const std::string& text) {
    const fs::path path = fs::path(root) / relative;
    fs::create_directories(path.parent_path());
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out) throw std::runtime_error("cannot write " + path.string());
}

sdk::Value published_suggestions(DomainFixture& f, const sdk::Value& order) {
    for (const auto& e : f.events())
        if (e.topic == "order.suggestions" && e.payload["order_id"] == order["order_id"] &&
            e.payload["version"] == order["version"])
            return e.payload;
    return sdk::Value();
}

std::vector<std::string> skus_of(const sdk::Value& answer) {
    std::vector<std::string> out;
    for (const auto& s : answer["suggestions"].as_list()) out.push_back(s["sku"].as_string());
    return out;
}

UpsellWorld::UpsellWorld(std::function<void(const std::string&)> write_rules) {
    scripts_root = dir.file("scripts");
    fs::create_directories(scripts_root);
    write_rules(scripts_root);
    seed_cafe();

    script::RulesEngineOptions options;
    options.deployment_dir = scripts_root + "/cafe";
    options.poll_interval_ms = 0;  // these tests reload by hand (the node tests watch)
    options.rules.logger = f.ctx().logger;
    rules = std::make_unique<script::RulesEngine>(std::move(options));
    must(rules->start(), "rules");

    domain::upsell::UpsellOptions upsell_options;
    upsell_options.utc_offset_minutes = [](std::int64_t) { return 0; };
    upsell = std::make_unique<domain::upsell::UpsellService>(f.ctx(), w.people, w.audit, w.orders, w.catalog,
                                                             rules.get(), upsell_options);
    must(upsell->start(), "upsell");
    must(upsell->add_routes(w.router), "upsell routes");
    w.serve();
    alice = w.token("alice", "1111", "T1");
}

UpsellWorld::~UpsellWorld() {
    if (w.server) w.server->stop();
    if (upsell) upsell->stop();
    if (rules) rules->stop();
}

void UpsellWorld::seed_cafe() {
    domain::catalog::Actor admin;
    admin.user_id = "seed";
    domain::catalog::TaxClass vat;
    vat.code = "std";
    vat.name = "Standard";
    vat.rates.push_back({"", "VAT 20%", 2000, false});
    auto tax = must(w.catalog.create_tax_class(vat, admin), "tax class");
    auto department = [&](const std::string& code) {
        domain::catalog::Department d;
        d.code = code;
        d.name = code;
        return must(w.catalog.create_department(d, admin), "department").department_id;
    };
    const std::string coffee = department("coffee"), pastry = department("pastry"), food = department("food");
    auto product = [&](std::string sku, std::string name, const std::string& dept, std::int64_t price,
                       std::vector<std::string> tags) {
        domain::catalog::Product p;
        p.sku = std::move(sku);
        p.name = std::move(name);
        p.department_id = dept;
        p.tax_class_id = tax.tax_class_id;
        p.price_minor = price;
        p.track_stock = false;
        p.tags = std::move(tags);
        must(w.catalog.create_product(p, admin), "product");
    };
    product("LATTE", "Latte", coffee, 320, {"hot"});
    product("ESPRESSO", "Espresso", coffee, 220, {"hot"});
    product("CROISSANT", "Croissant", pastry, 250, {"breakfast"});
    product("MUFFIN", "Muffin", pastry, 280, {});
    product("PORRIDGE", "Porridge", food, 450, {"breakfast"});
    product("COOKIE", "Cookie", food, 300, {"add-on"});
}

Reply UpsellWorld::call(const std::string& method, const std::string& path, const sdk::Value& body,
                        const std::string& token) {
    return test::call(w.port(), method, path, token == "<alice>" ? alice : token, body);
}

sdk::Value UpsellWorld::open_order() {
    sdk::Value body = sdk::Value::map();
    body.set("order_type", "retail");
    auto r = call("POST", "/api/v1/orders", body);
    INFO(r.body);
    REQUIRE(r.status == 201);
    return r.json;
}

sdk::Value UpsellWorld::add_line(const sdk::Value& order, const std::string& sku) {
    sdk::Value body = sdk::Value::map();
    body.set("expected_version", order["version"]);
    body.set("sku", sku);
    auto r = call("POST", "/api/v1/orders/" + order["order_id"].as_string() + "/lines", body);
    INFO(r.body);
    REQUIRE(r.status == 201);
    return r.json;
}

}  // namespace till::test
