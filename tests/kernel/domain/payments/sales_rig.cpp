#include "sales_rig.hpp"

#include <atomic>
#include <stdexcept>

namespace till::test {

using sdk::Value;

// Members in dependency order; orders and payments are handed the registers
// (declared later) by reference only — none calls another before start().
struct SalesRig::Services {
    Services(domain::DomainContext& ctx, domain::payments::ResolverSettings resolver)
        : audit(ctx),
          people(ctx, audit),
          catalog(ctx, people, audit),
          inventory(ctx, people, audit, &catalog),
          orders(ctx, people, audit, catalog, inventory, registers),
          payments(ctx, people, audit, orders, registers, resolver),
          registers(ctx, people, audit, orders, payments) {
        orders.use_payments(payments);  // as the node wires them
    }

    domain::audit::AuditTrail audit;
    domain::people::PeopleService people;
    domain::catalog::CatalogService catalog;
    domain::InventoryService inventory;
    domain::OrderService orders;
    domain::payments::PaymentService payments;
    domain::RegisterService registers;
};

namespace {
void must(const sdk::Status& s, const char* what) {
    if (!s.ok()) throw std::runtime_error(std::string(what) + ": " + s.error().code + ": " + s.error().message);
}
}  // namespace

std::string new_key() {
    static std::atomic<int> counter{0};
    return "key-" + std::to_string(++counter) + "-" + std::to_string(reinterpret_cast<std::uintptr_t>(&counter) % 9973);
}

SalesRig::SalesRig(Backend backend, std::int64_t cash_rounding_minor,
                   const std::map<std::string, sdk::Value>& plugin_configs,
                   domain::payments::ResolverSettings resolver)
    : fixture_(backend) {
    fixture_.sales().cash_rounding_minor = cash_rounding_minor;
    recording_ = std::make_unique<RecordingReplication>(fixture_.db());
    fixture_.use_replication(*recording_);
    plugins_ = std::make_unique<PluginRig>(fixture_, std::vector<std::string>{"order_retail", "payment_cash", "fixture_payment"},
                                           plugin_configs);
    services_ = std::make_unique<Services>(plugins_->ctx(), resolver);
    auto& s = *services_;
    must(s.audit.start(), "audit.start");
    must(s.people.start(), "people.start");
    must(s.catalog.start(), "catalog.start");
    must(s.inventory.start(), "inventory.start");
    must(s.orders.start(), "orders.start");
    must(s.payments.start(), "payments.start");
    must(s.registers.start(), "registers.start");
    must(s.people.create_demo_users(), "demo users");
    must(s.audit.add_routes(router_, s.people), "audit routes");
    must(s.people.add_routes(router_), "people routes");
    must(s.catalog.add_routes(router_), "catalog routes");
    must(s.inventory.add_routes(router_), "inventory routes");
    must(s.orders.add_routes(router_), "orders routes");
    must(s.payments.add_routes(router_), "payments routes");
    must(s.registers.add_routes(router_), "registers routes");

    domain::catalog::Actor admin{"test", "", "", "setup"};
    domain::catalog::Department dept;
    dept.code = "GEN";
    dept.name = "General";
    auto d = s.catalog.create_department(dept, admin);
    if (!d) throw std::runtime_error("department: " + d.error().message);
    department_id_ = d->department_id;
    domain::catalog::TaxClass tax;
    tax.code = "ZERO";
    tax.name = "Zero rated";
    auto t = s.catalog.create_tax_class(tax, admin);
    if (!t) throw std::runtime_error("tax class: " + t.error().message);
    tax_class_id_ = t->tax_class_id;

    server_ = std::make_unique<api::HttpServer>(api::ServerSettings{}, router_, fixture_.bus(), fixture_.ctx().logger);
    must(server_->start(), "http server");
}

SalesRig::~SalesRig() {
    if (server_) server_->stop();
    if (services_) services_->payments.stop();  // as the node does: before the plugins stop
}

domain::payments::PaymentService& SalesRig::payments() { return services_->payments; }
domain::OrderService& SalesRig::orders() { return services_->orders; }

std::string SalesRig::item_for(std::int64_t unit_price_minor) {
    if (auto it = items_.find(unit_price_minor); it != items_.end()) return it->second;
    domain::catalog::Product p;
    p.sku = "ITEM-" + std::to_string(unit_price_minor);
    p.name = "Item at " + std::to_string(unit_price_minor);
    p.department_id = department_id_;
    p.tax_class_id = tax_class_id_;
    p.price_minor = unit_price_minor;
    p.track_stock = false;
    auto made = services_->catalog.create_product(p, domain::catalog::Actor{"test", "", "", "setup"});
    if (!made) throw std::runtime_error("product: " + made.error().message);
    items_[unit_price_minor] = p.sku;
    return p.sku;
}

Reply SalesRig::call(const std::string& method, const std::string& path, const std::string& token, const Value& body,
                     const std::map<std::string, std::string>& headers) {
    auto h = headers;
    if (!token.empty()) h["Authorization"] = "Bearer " + token;
    auto r = http_call(port(), method, path, body.is_null() ? std::string() : body.to_json(), h);
    Reply out;
    out.status = r.status;
    out.text = r.body;
    auto parsed = Value::parse_json(r.body);
    if (parsed) out.body = *parsed;
    return out;
}

Reply SalesRig::pay(const std::string& token, const std::string& order_id, const Value& body,
                    const std::map<std::string, std::string>& headers) {
    return call("POST", "/api/v1/orders/" + order_id + "/payments", token, body, headers);
}

std::string SalesRig::login(const std::string& user, const std::string& pin, const std::string& terminal) {
    Value body = Value::map();
    body.set("user_name", user);
    body.set("pin", pin);
    body.set("terminal_id", terminal);
    auto r = call("POST", "/api/v1/auth/login", "", body);
    if (r.status != 200) throw std::runtime_error("login " + user + ": " + r.text);
    return r.body["token"].as_string();
}

std::string SalesRig::override_token(const std::string& token, const std::string& action) {
    Value body = Value::map();
    body.set("action", action);
    body.set("supervisor_user_name", "bob");
    body.set("pin", "2222");
    body.set("reason", "customer asked");
    auto r = call("POST", "/api/v1/auth/overrides", token, body);
    if (r.status != 200 && r.status != 201) throw std::runtime_error("override: " + r.text);
    return r.body["override_token"].as_string();
}

void SalesRig::open_register(const std::string& token, const std::string& terminal, std::int64_t float_minor) {
    Value body = Value::map();
    body.set("opening_float_minor", float_minor);
    auto r = call("POST", "/api/v1/registers/" + terminal + "/sessions", token, body);
    if (r.status != 201) throw std::runtime_error("open register: " + r.text);
}

std::string SalesRig::sale(const std::string& token, std::int64_t unit_price_minor, std::int64_t qty) {
    const std::string sku = item_for(unit_price_minor);
    Value open = Value::map();
    open.set("order_type", "retail");
    auto o = call("POST", "/api/v1/orders", token, open);
    if (o.status != 201) throw std::runtime_error("open order: " + o.text);
    const std::string id = o.body["order_id"].as_string();
    Value line = Value::map();
    line.set("expected_version", o.body["version"].as_int());
    line.set("sku", sku);
    line.set("qty_milli", qty * 1000);
    auto l = call("POST", "/api/v1/orders/" + id + "/lines", token, line);
    if (l.status != 201 && l.status != 200) throw std::runtime_error("add line: " + l.text);
    Value submit = Value::map();
    submit.set("expected_version", l.body["version"].as_int());
    auto s = call("POST", "/api/v1/orders/" + id + "/submit", token, submit);
    if (s.status != 200) throw std::runtime_error("submit: " + s.text);
    return id;
}

std::string SalesRig::return_of(const std::string& token, const std::string& sale_id, std::int64_t qty) {
    auto original = order(token, sale_id);
    Value line = Value::map();
    line.set("line_id", original["lines"].as_list().at(0)["line_id"].as_string());
    line.set("qty_milli", qty * 1000);
    Value body = Value::map();
    body.set("reason_code", fixture_.sales().return_reasons_restock.at(0));
    body.set("lines", Value(Value::List{line}));
    auto r = call("POST", "/api/v1/orders/" + sale_id + "/returns", token, body);
    if (r.status != 201) throw std::runtime_error("return: " + r.text);
    return r.body["order_id"].as_string();
}

Value SalesRig::order(const std::string& token, const std::string& order_id) {
    auto r = call("GET", "/api/v1/orders/" + order_id, token);
    if (r.status != 200) throw std::runtime_error("get order: " + r.text);
    return r.body;
}

}  // namespace till::test
