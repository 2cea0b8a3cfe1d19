// A store's sales core for the payments tests, all real: audit, people,
// catalog, inventory, orders, registers and payments over one database
// (SQLite or PostgreSQL), the real plugins (order_retail, payment_cash,
// fixture_payment) loaded from their built .so files, every module's routes
// on an HTTP server bound to 127.0.0.1:0. Helpers drive it over HTTP as a
// till would: log in, open the register, ring up a sale.
#pragma once

#include <map>
#include <memory>
#include <string>

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
#include "plugin_rig.hpp"
#include "recording_replication.hpp"
#include "support/http_client.hpp"

namespace till::test {

struct Reply {
    int status = 0;
    sdk::Value body;
    std::string text;
};

class SalesRig {
public:
    /// `cash_rounding_minor` goes into sales settings before the services
    /// start; `resolver` is the payments service's (its thread is not
    /// started: payments().start_resolver() does).
    explicit SalesRig(Backend backend = Backend::sqlite, std::int64_t cash_rounding_minor = 0,
                      const std::map<std::string, sdk::Value>& plugin_configs = {},
                      domain::payments::ResolverSettings resolver = {});
    ~SalesRig();

    DomainFixture& fixture() { return fixture_; }
    /// What the services appended for HQ (every rig records it).
    RecordingReplication& replication() { return *recording_; }
    PluginRig& plugins() { return *plugins_; }
    domain::payments::PaymentService& payments();
    domain::OrderService& orders();
    int port() const { return server_->port(); }

    /// POST /api/v1/auth/login for a demo user (alice cashier 1111, bob
    /// supervisor 2222) at `terminal`; returns the bearer token.
    std::string login(const std::string& user, const std::string& pin, const std::string& terminal = "T1");
    /// A supervisor override token for `action`, for the user of `token`.
    std::string override_token(const std::string& token, const std::string& action);
    /// Opens the register `terminal` with a float.
    void open_register(const std::string& token, const std::string& terminal = "T1", std::int64_t float_minor = 10000);
    /// A retail sale of `qty` units of the test item priced `unit_price_minor`, submitted; returns its id.
    std::string sale(const std::string& token, std::int64_t unit_price_minor, std::int64_t qty = 1);
    /// A return of every unit of the first line of `sale_id`; returns its id.
    std::string return_of(const std::string& token, const std::string& sale_id, std::int64_t qty = 1);

    Reply call(const std::string& method, const std::string& path, const std::string& token,
               const sdk::Value& body = {}, const std::map<std::string, std::string>& headers = {});
    Reply pay(const std::string& token, const std::string& order_id, const sdk::Value& body,
              const std::map<std::string, std::string>& headers = {});
    /// The order as GET /api/v1/orders/{id} shows it.
    sdk::Value order(const std::string& token, const std::string& order_id);

private:
    std::string item_for(std::int64_t unit_price_minor);

    DomainFixture fixture_;
    std::unique_ptr<RecordingReplication> recording_;
    std::unique_ptr<PluginRig> plugins_;
    api::Router router_;
    struct Services;
    std::unique_ptr<Services> services_;
    std::unique_ptr<api::HttpServer> server_;
    std::map<std::int64_t, std::string> items_;
    std::string department_id_;
    std::string tax_class_id_;
};

/// A fresh idempotency key.
std::string new_key();

}  // namespace till::test
