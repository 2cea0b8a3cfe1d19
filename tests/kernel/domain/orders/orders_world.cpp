#include "orders_world.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <stdexcept>

#include "plugin_host/discovery.hpp"
#include "storage/migrations.hpp"
#include "support/http_client.hpp"

namespace till::test {

namespace fs = std::filesystem;

namespace {
/// Where a plugin's built folder (plugin.yaml + library) is.
fs::path plugin_folder(const std::string& id) {
    fs::path bundled = fs::path(TILL_PLUGIN_BUILD_DIR) / id;
    if (fs::exists(bundled / "plugin.yaml")) return bundled;
    fs::path fixture = fs::path(TILL_FIXTURE_PLUGIN_DIR) / id;
    if (fs::exists(fixture / "plugin.yaml")) return fixture;
    throw std::runtime_error("plugin " + id + " is not built (looked in " + bundled.string() + " and " +
                             fixture.string() + ")");
}

template <class T>
T must(sdk::Result<T> r, const char* what) {
    if (!r) throw std::runtime_error(std::string(what) + ": " + r.error().message);
    return std::move(r).value();
}
void must(const sdk::Status& s, const char* what) {
    if (!s.ok()) throw std::runtime_error(std::string(what) + ": " + s.message());
}
}  // namespace

OrderTypePlugins::OrderTypePlugins(DomainFixture& fixture, const std::vector<std::string>& plugin_ids)
    : fixture_(fixture), dir_("till-orders-plugins") {
    fs::create_directories(dir_.file("plugins"));
    for (const auto& id : plugin_ids)
        fs::copy(plugin_folder(id), fs::path(dir_.file("plugins")) / id, fs::copy_options::recursive);
    log::LogSettings settings;
    settings.file = dir_.file("plugins.log");
    logs_ = must(log::LogManager::create(settings), "log manager");
    must(storage::apply_migrations(fixture.db(), "kernel", storage::kernel_migrations()), "kernel migrations");
    sdk::NodeInfo info{"store-test", sdk::NodeRole::store, fixture.data_dir(), "test"};
    host_ = std::make_unique<plugin_host::PluginHost>(
        plugin_host::HostServices{info, *logs_, fixture.clock(), fixture.db(), fixture.bus(), router_});
    host_->adopt(plugin_host::discover_plugins({dir_.file("plugins")}));
    plugin_host::PluginSelection selection;
    selection.enabled_given = true;
    selection.enabled = plugin_ids;
    selection.required = plugin_ids;
    must(host_->start({}, selection), "starting plugins");
    // The same order type objects, now also in the fixture's registry.
    for (const auto& id : plugin_ids) {
        plugin_host::StagedCapabilities staged;
        for (const auto& type_id : host_->registry().order_type_ids())
            if (static_cast<const plugin_host::CapabilityRegistry&>(host_->registry()).owner_of("order_type", type_id) ==
                id)
                staged.order_types[type_id] = host_->registry().order_type(type_id);
        must(fixture.registry().check_free(staged), "order types");
        fixture.registry().add(id, staged);
        owners_.push_back(id);
    }
}

OrderTypePlugins::~OrderTypePlugins() {
    for (const auto& owner : owners_) fixture_.registry().remove_owner(owner);
    if (host_) host_->stop();
    host_.reset();
}

SalesWorld::SalesWorld(DomainFixture& fixture, std::vector<std::string> plugin_ids)
    : f(fixture),
      plugins(fixture, plugin_ids),
      audit(fixture.ctx()),
      people(fixture.ctx(), audit),
      catalog(fixture.ctx(), people, audit),
      inventory(fixture.ctx(), people, audit, &catalog),
      orders(fixture.ctx(), people, audit, catalog, inventory, registers),
      payments(fixture.ctx(), people, audit, orders, registers),
      registers(fixture.ctx(), people, audit, orders, payments) {
    orders.use_payments(payments);  // as the node wires them
    must(audit.start(), "audit");
    must(people.start(), "people");
    must(people.create_demo_users(), "demo users");
    must(catalog.start(), "catalog");
    must(inventory.start(), "inventory");
    must(orders.start(), "orders");
    must(payments.start(), "payments");
    must(registers.start(), "registers");
}

SalesWorld::~SalesWorld() {
    if (server) server->stop();
}

domain::Authorization SalesWorld::as(const std::string& name, const std::string& terminal) {
    domain::people::LoginRequest login;
    login.user_name = name;
    login.pin = name == "alice" ? "1111" : name == "bob" ? "2222" : "3333";
    login.terminal_id = terminal;
    auto result = must(people.login(login), "login");
    sdk::HttpRequest request;
    request.headers["authorization"] = "Bearer " + result.token;
    auto principal = must(people.authenticate(request), "authenticate");
    return domain::Authorization{principal, "", ""};
}

std::string SalesWorld::token(const std::string& name, const std::string& pin, const std::string& terminal) {
    domain::people::LoginRequest login;
    login.user_name = name;
    login.pin = pin;
    login.terminal_id = terminal;
    return must(people.login(login), "login").token;
}

std::string SalesWorld::override_token(const std::string& action, const std::string& for_user_name) {
    auto requester = as(for_user_name);
    domain::people::OverrideRequest o;
    o.action = action;
    o.supervisor_user_name = "bob";
    o.pin = "2222";
    o.reason = "approved at the till";
    o.for_user_id = requester.principal.user_id;
    return must(people.grant_override(requester.principal, o), "override").token;
}

domain::Permit SalesWorld::permit_for(const domain::Authorization& by) {
    return [this, principal = by.principal](std::string_view action) {
        sdk::HttpRequest none;
        return people.authorize(principal, action, none);
    };
}

void SalesWorld::seed_catalog() {
    domain::catalog::Actor admin;
    admin.user_id = "seed";
    domain::catalog::TaxClass vat;
    vat.code = "std";
    vat.name = "Standard";
    vat.rates.push_back({"", "VAT 20%", 2000, false});
    auto tax = must(catalog.create_tax_class(vat, admin), "tax class");
    domain::catalog::Department dept;
    dept.code = "shop";
    dept.name = "Shop";
    auto d = must(catalog.create_department(dept, admin), "department");

    domain::catalog::ModifierGroup milk;
    milk.code = "milk";
    milk.name = "Milk";
    milk.min_choices = 0;
    milk.max_choices = 1;
    milk.modifiers = {{"", "oat", 40}, {"", "soy", 30}};
    auto milk_group = must(catalog.create_group(milk, admin), "milk group");
    domain::catalog::ModifierGroup shots;
    shots.code = "shots";
    shots.name = "Shots";
    shots.min_choices = 0;
    shots.max_choices = 2;
    shots.modifiers = {{"", "extra shot", 50}, {"", "decaf shot", 50}};
    auto shot_group = must(catalog.create_group(shots, admin), "shots group");

    auto product = [&](std::string sku, std::string name, std::int64_t price) {
        domain::catalog::Product p;
        p.sku = std::move(sku);
        p.name = std::move(name);
        p.department_id = d.department_id;
        p.tax_class_id = tax.tax_class_id;
        p.price_minor = price;
        return p;
    };
    auto coffee = product("COFFEE", "Coffee", 250);
    coffee.modifier_group_ids = {milk_group.group_id, shot_group.group_id};
    must(catalog.create_product(coffee, admin), "COFFEE");
    auto apple = product("APPLE", "Apples", 300);
    apple.weighed = true;
    must(catalog.create_product(apple, admin), "APPLE");
    auto shirt = product("SHIRT", "Shirt", 2000);
    shirt.barcodes = {"4006381333931"};
    must(catalog.create_product(shirt, admin), "SHIRT");
    auto old = product("OLD", "Discontinued", 100);
    old.active = false;
    must(catalog.create_product(old, admin), "OLD");
    auto gift = product("GIFT", "Gift card", 1000);
    gift.track_stock = false;
    must(catalog.create_product(gift, admin), "GIFT");
    must(catalog.create_product(product("TV", "Television", 60000), admin), "TV");
}

std::string SalesWorld::modifier_id(const std::string& name) const {
    for (const auto& g : catalog.groups())
        for (const auto& m : g.modifiers)
            if (m.name == name) return m.modifier_id;
    throw std::runtime_error("no modifier " + name);
}

std::string SalesWorld::open_register(const std::string& terminal) {
    auto opened = must(registers.open(as("bob", terminal), terminal, 10000, "test"), "open register");
    return opened["session_id"].as_string();
}

sdk::Status SalesWorld::settle(const std::string& order_id, const std::string& as_user, const std::string& terminal) {
    auto by = as(as_user, terminal);
    auto s = f.db().transaction([&](sdk::SqlExecutor& tx) { return orders.settle(tx, order_id, by); });
    if (s.ok()) orders.after_settled(order_id);
    return s;
}

std::int64_t SalesWorld::on_hand(const std::string& sku) {
    auto level = inventory.level(sku);
    return level ? level->on_hand_milli : 0;
}

void SalesWorld::serve() {
    must(people.add_routes(router), "people routes");
    must(orders.add_routes(router), "orders routes");
    api::ServerSettings settings;
    settings.threads = 8;
    server = std::make_unique<api::HttpServer>(settings, router, f.bus(), f.ctx().logger);
    must(server->start(), "server");
}

int SalesWorld::port() const { return server->port(); }

Reply call(int port, const std::string& method, const std::string& path, const std::string& token,
           const sdk::Value& body, const std::string& override_token) {
    std::map<std::string, std::string> headers;
    if (!token.empty()) headers["Authorization"] = "Bearer " + token;
    if (!override_token.empty()) headers["X-Till-Override"] = override_token;
    auto reply = http_call(port, method, path, body.is_null() ? std::string() : body.to_json(), headers);
    Reply out;
    out.status = reply.status;
    out.body = reply.body;
    out.headers = reply.headers;
    auto parsed = sdk::Value::parse_json(reply.body);
    if (parsed) out.json = *parsed;
    return out;
}

}  // namespace till::test
