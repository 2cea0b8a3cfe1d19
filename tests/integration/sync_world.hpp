// Several real processes on loopback for the sync tests: one HQ tilld on a
// PostgreSQL the test harness started (with hq_sync), stores on SQLite (with
// sync_http), tokens issued with tillctl, and reads of HQ's tables with psql.
// Test code: failures are Catch2 assertions.
#pragma once

#include <chrono>
#include <csignal>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "node_process.hpp"
#include "sales_api.hpp"
#include "support/test_postgres.hpp"

namespace till::test::sync {

using sales::call;
using sales::json;
using sales::Reply;
using sdk::Value;

/// Polls `done` every 50 ms until it is true or `timeout_ms` passed.
inline bool wait_until(const std::function<bool()>& done, int timeout_ms) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    while (std::chrono::steady_clock::now() < until) {
        if (done()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return done();
}

inline std::string trim(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
    std::size_t start = 0;
    while (start < s.size() && (s[start] == ' ' || s[start] == '\n')) ++start;
    return s.substr(start);
}

/// A tilld process whose data dir is <dir>/data, restartable, killable.
struct Process {
    TempDir dir;
    std::string config_name = "node.yaml";
    std::vector<std::string> env;  ///< "NAME=value" put before tilld (through /usr/bin/env)
    std::unique_ptr<ChildProcess> child;
    int port = 0;
    std::string admin;  ///< bootstrap admin's token
    /// Data dir whose auth/initial-admin-pin logs the admin in. A store
    /// synced with HQ gets HQ's users (its own admin is replaced), so a
    /// store logs in with HQ's admin once the users have arrived.
    std::string admin_data_dir;

    explicit Process(const std::string& hint) : dir(hint) {}

    std::string log_path() const { return dir.file("tilld.out"); }
    std::string log() const { return read_file(log_path()); }
    std::string config_path() const { return dir.file(config_name); }

    void start() {
        std::filesystem::remove(dir.file("port"));
        std::vector<std::string> argv;
        if (!env.empty()) {
            argv.push_back("/usr/bin/env");
            for (const auto& e : env) argv.push_back(e);
        }
        for (const std::string& a :
             {bin("tilld"), std::string("--config"), config_path(), std::string("--port-file"), dir.file("port")})
            argv.push_back(a);
        child = std::make_unique<ChildProcess>(argv, log_path());
        const std::string text = wait_for_file(dir.file("port"), 60000);
        INFO(log());
        REQUIRE_FALSE(text.empty());
        port = std::stoi(text);
        const std::string data = admin_data_dir.empty() ? dir.file("data") : admin_data_dir;
        wait_until([&] { return !(admin = login_admin(port, data, "BACKOFFICE")).empty(); }, 60000);
        INFO(log());
        REQUIRE_FALSE(admin.empty());
    }
    void stop() {
        if (!child) return;
        REQUIRE(child->send_signal(SIGTERM));
        INFO(log());
        REQUIRE(child->wait_exit(60000) == 0);
        child.reset();
    }
    void kill() {
        if (!child) return;
        REQUIRE(child->send_signal(SIGKILL));
        REQUIRE(child->wait_exit(30000) == 128 + SIGKILL);
        child.reset();
    }
    bool running() const { return child != nullptr; }
};

inline std::string plugin_dirs() {
    return std::string("[\"") + TILL_BUILD_PLUGIN_DIR + "\", \"" + TILL_BUILD_HQ_PLUGIN_DIR + "\"]";
}

/// HQ: tilld role hq on its own PostgreSQL database, hq_sync on `sync_port`.
struct Hq : Process {
    std::string database_url;
    std::string dbname;
    int sync_port = 0;

    Hq() : Hq(TestPostgres::shared().create_database("sync_e2e"), "hq-1") {}

    /// A second HQ node on the first one's database (HQ nodes share it).
    explicit Hq(const Hq& first) : Hq(first.database_url, "hq-2") { admin_data_dir = first.dir.file("data"); }

    Hq(const std::string& url, const std::string& id) : Process("till-sync-" + id), node_id(id) {
        database_url = url;
        dbname = database_url.substr(database_url.rfind('/') + 1);
        sync_port = free_loopback_port();
        write_config();
    }

    std::string node_id;

    /// `stick`: also import store bundles from / write master bundles to
    /// that folder (plugin sync_file).
    void write_config(const std::string& stick = {}) {
        dir.write(config_name,
                  "node:\n  id: " + node_id + "\n  role: hq\n  data_dir: data\n  listen: 127.0.0.1:0\n"
                  "storage:\n  url: \"" + database_url + "\"\n"
                  "plugins:\n  dirs: " + plugin_dirs() +
                      "\n  enabled: [hq_sync, order_retail, payment_cash" + (stick.empty() ? "" : ", sync_file") +
                      "]\n  required: [hq_sync]\n"
                      "auth:\n  pin_kdf_iterations: 1000\n  token_ttl_s: 3600\n"
                      "hq_sync:\n  listen: 127.0.0.1:" + std::to_string(sync_port) + "\n" +
                      (stick.empty() ? std::string()
                                     : "sync_file:\n  export_dir: \"" + stick + "\"\n  import_dir: \"" + stick +
                                           "\"\n  poll_interval_ms: 200\n"));
    }

    /// `tillctl hq token issue STORE`: the token it prints.
    std::string issue_token(const std::string& store_id) {
        std::string output;
        const int code = run_command({bin("tillctl"), "hq", "token", "issue", store_id, "--config", config_path()},
                                     output);
        INFO(output);
        REQUIRE(code == 0);
        // The token is the line of hex digits (stdout); the rest is the notice on stderr.
        std::string line;
        for (std::size_t i = 0; i <= output.size(); ++i) {
            if (i < output.size() && output[i] != '\n') {
                line += output[i];
                continue;
            }
            const std::string t = trim(line);
            line.clear();
            if (t.size() >= 32 && t.find_first_not_of("0123456789abcdef") == std::string::npos) return t;
        }
        FAIL("no token in tillctl's output");
        return {};
    }
    void revoke_token(const std::string& store_id) {
        std::string output;
        const int code = run_command({bin("tillctl"), "hq", "token", "revoke", store_id, "--config", config_path()},
                                     output);
        INFO(output);
        REQUIRE(code == 0);
    }

    /// One value from HQ's database (psql -At).
    std::string sql(const std::string& query) const { return trim(TestPostgres::shared().psql(dbname, query)); }
    std::int64_t sql_int(const std::string& query) const {
        const std::string text = sql(query);
        INFO(query << " -> " << text);
        REQUIRE_FALSE(text.empty());
        return std::stoll(text);
    }
    std::int64_t sales_count(const std::string& store) const {
        return sql_int("SELECT count(*) FROM sync_hq_orders WHERE store_id = '" + store + "' AND kind = 'sale'");
    }
    std::int64_t sales_total(const std::string& store) const {
        return sql_int("SELECT coalesce(sum(total_minor), 0) FROM sync_hq_orders WHERE store_id = '" + store +
                       "' AND kind = 'sale'");
    }
    std::int64_t events_held(const std::string& store) const {
        return sql_int("SELECT count(*) FROM sync_hq_events WHERE store_id = '" + store + "'");
    }
};

/// A store on SQLite pushing to `hq` through sync_http with `token`.
struct Store : Process {
    std::string id;
    std::string token;
    int hq_sync_port = 0;
    std::string cashier;  ///< alice's token at T1 (after prepare)
    std::string cash;     ///< the cash method id
    std::int64_t pull_interval_ms = 500;  ///< high: master data arrives only through notifications
    std::string stick;  ///< non-empty: sync through files in this folder (plugin sync_file), not HTTP
    std::int64_t batch_max_events = 0;  ///< 0: 500 over HTTP, 100000 through files

    Store(const Hq& hq, std::string store_id, std::string sync_token)
        : Process("till-sync-" + store_id), id(std::move(store_id)), token(std::move(sync_token)),
          hq_sync_port(hq.sync_port) {
        admin_data_dir = hq.dir.file("data");
        write_config();
    }

    void write_config(const std::string& extra = {}) {
        dir.write(config_name,
                  "node:\n  id: " + id + "\n  role: store\n  data_dir: data\n  listen: 127.0.0.1:0\n"
                  "plugins:\n  dirs: [\"" + std::string(TILL_BUILD_PLUGIN_DIR) +
                      "\"]\n  enabled: [order_retail, payment_cash, " + transport_plugin() + "]\n"
                      "  required: [order_retail, payment_cash, " + transport_plugin() + "]\n"
                      "auth:\n  pin_kdf_iterations: 1000\n  token_ttl_s: 3600\n"
                      "sync:\n  enabled: true\n  transport: " + (stick.empty() ? "http" : "file") +
                      "\n  push_interval_ms: 200\n  batch_max_events: " +
                      std::to_string(batch_max_events ? batch_max_events : stick.empty() ? 500 : 100000) + "\n"
                      "  pull_interval_ms: " + std::to_string(pull_interval_ms) + "\n  backoff_initial_ms: 100\n  backoff_max_ms: 1000\n"
                      "  request_timeout_ms: 5000\n" +
                      (stick.empty()
                           ? "sync_http:\n  hq_url: http://127.0.0.1:" + std::to_string(hq_sync_port) +
                                 "\n  token: \"" + token + "\"\n  reconnect_initial_ms: 100\n  reconnect_max_ms: 1000\n"
                           : "sync_file:\n  export_dir: \"" + stick + "\"\n  import_dir: \"" + stick +
                                 "\"\n  token: \"" + token + "\"\n") +
                      extra);
    }
    std::string transport_plugin() const { return stick.empty() ? "sync_http" : "sync_file"; }

    Value status() {
        auto r = call(port, admin, "GET", "/api/v1/sync/status");
        INFO(r.body);
        REQUIRE(r.status == 200);
        return r.json;
    }
    /// Waits until every event is acknowledged by HQ.
    bool drained(int timeout_ms) {
        return wait_until([&] { return status()["queue_depth"].as_int() == 0; }, timeout_ms);
    }

    /// alice (a cashier made at HQ: users come from HQ) logged in at T1,
    /// the register open there. Needs HQ's users and catalog.
    void prepare_cashier() {
        REQUIRE(wait_until([&] { return !(cashier = sales::login(port, "alice", "1111", "T1")).empty(); }, 30000));
        auto methods = call(port, cashier, "GET", "/api/v1/payment-methods");
        REQUIRE(methods.status == 200);
        for (const auto& m : methods.json["items"].as_list())
            if (m["capabilities"]["gives_change"].as_bool()) cash = m["method_id"].as_string();
        REQUIRE_FALSE(cash.empty());
        auto opened = call(port, cashier, "POST", "/api/v1/registers/T1/sessions", json(R"({"opening_float_minor":5000})"));
        INFO(opened.body);
        REQUIRE(opened.status == 201);
    }

    /// One sale of `sku` paid exactly in cash; returns the order's total.
    std::int64_t sell(const std::string& sku, std::int64_t qty_milli = 1000) {
        auto order = call(port, cashier, "POST", "/api/v1/orders", json(R"({"order_type":"retail"})"));
        INFO(order.body);
        REQUIRE(order.status == 201);
        const std::string path = "/api/v1/orders/" + order.json["order_id"].as_string();
        auto line = call(port, cashier, "POST", path + "/lines",
                         json(R"({"expected_version":)" + std::to_string(order.json["version"].as_int()) +
                              R"(,"sku":")" + sku + R"(","qty_milli":)" + std::to_string(qty_milli) + "}"));
        INFO(line.body);
        REQUIRE(line.status == 201);
        const std::int64_t total = line.json["totals"]["total_minor"].as_int();
        auto paid = call(port, cashier, "POST", path + "/payments",
                         json(R"({"method_id":")" + cash + R"(","amount_minor":)" + std::to_string(total) +
                              R"(,"idempotency_key":")" + order.json["order_id"].as_string() + R"("})"));
        INFO(paid.body);
        REQUIRE(paid.status == 201);
        return total;
    }

    /// Closes T1's session with the expected cash counted; the Z report.
    Value close_register() {
        auto x = call(port, admin, "GET", "/api/v1/registers/T1/x-report");
        INFO(x.body);
        REQUIRE(x.status == 200);
        std::int64_t amount = x.json["expected_cash_minor"].as_int();
        Value counted = Value::list();
        for (std::int64_t d : {5000, 2000, 1000, 500, 200, 100, 50, 20, 10, 5, 2, 1}) {
            const std::int64_t n = amount / d;
            amount -= n * d;
            if (n == 0) continue;
            Value c = Value::map();
            c.set("denomination_minor", static_cast<long long>(d));
            c.set("count", static_cast<long long>(n));
            counted.push_back(std::move(c));
        }
        Value body = Value::map();
        body.set("counted", counted);
        auto closed = call(port, admin, "POST", "/api/v1/registers/T1/sessions/current/close", body);
        INFO(closed.body);
        REQUIRE(closed.status == 200);
        return closed.json["z_report"];
    }
};

/// HQ's master data: cashier alice (PIN 1111), a department, a tax class
/// and two products (MUG 12.50, PEN 1.99), made through HQ's API. Returns
/// the MUG's product id.
inline std::string seed_hq_catalog(Hq& hq) {
    auto must = [&](const Reply& r, int status) {
        INFO(r.body);
        REQUIRE(r.status == status);
        return r;
    };
    must(call(hq.port, hq.admin, "POST", "/api/v1/users", json(R"({"name":"alice","role":"cashier","pin":"1111"})")),
         201);
    auto dept = must(call(hq.port, hq.admin, "POST", "/api/v1/catalog/departments",
                          json(R"({"code":"shop","name":"Shop"})")),
                     201);
    auto vat = must(call(hq.port, hq.admin, "POST", "/api/v1/catalog/tax-classes",
                         json(R"({"code":"vat20","name":"VAT","rates":[{"name":"VAT 20","rate_bp":2000}]})")),
                    201);
    const std::string ids = R"("department_id":")" + dept.json["department_id"].as_string() +
                            R"(","tax_class_id":")" + vat.json["tax_class_id"].as_string() + R"(")";
    auto mug = must(call(hq.port, hq.admin, "POST", "/api/v1/catalog/products",
                         json(R"({"sku":"MUG","name":"Mug",)" + ids + R"(,"price_minor":1250})")),
                    201);
    must(call(hq.port, hq.admin, "POST", "/api/v1/catalog/products",
              json(R"({"sku":"PEN","name":"Pen",)" + ids + R"(,"price_minor":199})")),
         201);
    return mug.json["product_id"].as_string();
}

/// The store's price of `code`, or -1 when it does not know the item.
inline std::int64_t store_price(Store& store, const std::string& code) {
    auto r = call(store.port, store.admin, "GET", "/api/v1/catalog/items/" + code);
    if (r.status != 200) return -1;
    return r.json["price_minor"].as_int();
}

}  // namespace till::test::sync
