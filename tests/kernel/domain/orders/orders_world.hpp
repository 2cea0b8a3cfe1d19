// A sales domain for the orders tests, built from the real modules: audit,
// people (real users and tokens), catalog, inventory, registers, payments and
// orders, on a DomainFixture (SQLite or PostgreSQL), with order types from
// real plugins loaded by a real PluginHost, and optionally the API on a real
// HTTP server on 127.0.0.1:0.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "api/http_server.hpp"
#include "api/router.hpp"
#include "domain/audit/audit_trail.hpp"
#include "domain/catalog/catalog_service.hpp"
#include "domain/inventory/inventory_service.hpp"
#include "domain/orders/order_service.hpp"
#include "domain/payments/payment_service.hpp"
#include "domain/people/people_service.hpp"
#include "domain/registers/register_service.hpp"
#include "domain_fixture.hpp"
#include "log/log_manager.hpp"
#include "plugin_host/plugin_host.hpp"
#include "support/temp_dir.hpp"

namespace till::test {

/// Real plugins (by id) started by a PluginHost on the fixture's storage and
/// bus; their order types are added to the fixture's registry. Known ids:
/// the bundled plugins built in <build>/plugins and the test fixtures.
class OrderTypePlugins {
public:
    OrderTypePlugins(DomainFixture& fixture, const std::vector<std::string>& plugin_ids);
    ~OrderTypePlugins();  ///< takes the order types out of the registry, then stops the plugins

private:
    DomainFixture& fixture_;
    TempDir dir_;
    std::unique_ptr<log::LogManager> logs_;
    api::Router router_;
    std::unique_ptr<plugin_host::PluginHost> host_;
    std::vector<std::string> owners_;
};

/// The whole sales domain. Members are built in declaration order; orders
/// and registers refer to each other (only references are kept until start()).
struct SalesWorld {
    explicit SalesWorld(DomainFixture& fixture, std::vector<std::string> plugin_ids = {"order_retail"});
    ~SalesWorld();

    DomainFixture& f;
    OrderTypePlugins plugins;
    domain::audit::AuditTrail audit;
    domain::people::PeopleService people;
    domain::catalog::CatalogService catalog;
    domain::InventoryService inventory;
    domain::OrderService orders;
    domain::payments::PaymentService payments;
    domain::RegisterService registers;

    /// A principal for user `name` of the demo users (alice cashier, bob
    /// supervisor, carol manager) at `terminal`, as authorize() would give it.
    domain::Authorization as(const std::string& name, const std::string& terminal = "T1");
    /// Logs in a demo user; the JWT.
    std::string token(const std::string& name, const std::string& pin, const std::string& terminal = "T1");
    /// An override token from supervisor bob (PIN 2222) for `action`, for `user_name`.
    std::string override_token(const std::string& action, const std::string& for_user_name);
    /// A permit that grants what `by`'s role allows and refuses the rest
    /// (the real people service with no override header).
    domain::Permit permit_for(const domain::Authorization& by);

    /// Catalog: VAT 20% class, department, products:
    ///   COFFEE 250 (modifiers: Milk group min 0 max 1: oat +40, soy +30; Shots min 0 max 2: extra +50)
    ///   APPLE (weighed, 300 per kg), SHIRT 2000 (barcode 4006381333931), OLD (inactive), GIFT (no stock tracking) 1000
    ///   TV 60000
    void seed_catalog();
    std::string modifier_id(const std::string& name) const;

    /// Opens a register session on `terminal` (float 10000) as bob.
    std::string open_register(const std::string& terminal = "T1");

    /// Settles `order_id` as payments would: in one transaction, then after_settled.
    sdk::Status settle(const std::string& order_id, const std::string& as_user = "alice",
                       const std::string& terminal = "T1");
    std::int64_t on_hand(const std::string& sku);

    // The API on a real server.
    void serve();
    int port() const;
    api::Router router;
    std::unique_ptr<api::HttpServer> server;
};

/// JSON request over real HTTP with a bearer token (and optional override).
struct Reply {
    int status = 0;
    sdk::Value json;
    std::string body;
    std::map<std::string, std::string> headers;
};
Reply call(int port, const std::string& method, const std::string& path, const std::string& token,
           const sdk::Value& body = sdk::Value(), const std::string& override_token = {});

}  // namespace till::test
