#include "bench_world.hpp"

#include <csignal>
#include <filesystem>
#include <map>
#include <stdexcept>
#include <thread>

#include "storage/database.hpp"
#include "support/http_client.hpp"
#include "support/test_postgres.hpp"
#include "support/temp_dir.hpp"

namespace till::bench {

using till::test::TestPostgres;

namespace {

std::string bin(const std::string& name) { return std::string(TILL_BIN_DIR) + "/" + name; }

std::string trim(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
    std::size_t start = 0;
    while (start < s.size() && (s[start] == ' ' || s[start] == '\n')) ++start;
    return s.substr(start);
}

std::string login(int port, const std::string& user, const std::string& pin, const std::string& terminal) {
    sdk::Value body = sdk::Value::map();
    body.set("user_name", user);
    body.set("pin", pin);
    body.set("terminal_id", terminal);
    auto r = call(port, {}, "POST", "/api/v1/auth/login", body.to_json());
    return r.status == 200 ? r.json["token"].as_string() : std::string();
}

}  // namespace

void require(bool ok, const std::string& what) {
    if (!ok) throw std::runtime_error(what);
}

bool wait_until(const std::function<bool()>& done, int timeout_ms, int poll_ms) {
    const auto until = Clock::now() + std::chrono::milliseconds(timeout_ms);
    while (Clock::now() < until) {
        if (done()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(poll_ms));
    }
    return done();
}

Reply call(int port, const std::string& token, const std::string& method, const std::string& path,
           const std::string& json_body) {
    std::map<std::string, std::string> headers{{"Content-Type", "application/json"}};
    if (!token.empty()) headers["Authorization"] = "Bearer " + token;
    auto reply = till::test::http_call(port, method, path, json_body, headers);
    Reply out;
    out.status = reply.status;
    out.body = reply.body;
    if (auto parsed = sdk::Value::parse_json(reply.body)) out.json = std::move(*parsed);
    return out;
}

// ---- Process ----

Process::~Process() {
    if (child_) {
        child_->send_signal(SIGTERM);
        if (child_->wait_exit(30000) < 0) child_->send_signal(SIGKILL);
    }
}

std::string Process::log() const { return till::test::read_file(dir_.file("tilld.out")); }

void Process::start() {
    std::filesystem::remove(dir_.file("port"));
    child_ = std::make_unique<till::test::ChildProcess>(
        std::vector<std::string>{bin("tilld"), "--config", config_path(), "--port-file", dir_.file("port")},
        dir_.file("tilld.out"));
    const std::string text = till::test::wait_for_file(dir_.file("port"), 60000);
    require(!text.empty(), "tilld did not start:\n" + log());
    port_ = std::stoi(text);
    const std::string data = admin_data_dir_.empty() ? data_dir() : admin_data_dir_;
    wait_until(
        [&] {
            std::string pin = trim(till::test::read_file(data + "/auth/initial-admin-pin"));
            admin_ = pin.empty() ? std::string() : login(port_, "admin", pin, "BACKOFFICE");
            return !admin_.empty();
        },
        60000, 100);
    require(!admin_.empty(), "admin login failed:\n" + log());
}

void Process::stop() {
    if (!child_) return;
    require(child_->send_signal(SIGTERM), "SIGTERM failed");
    const int code = child_->wait_exit(120000);
    child_.reset();
    require(code == 0, "tilld exited with " + std::to_string(code) + ":\n" + log());
}

// ---- Hq ----

Hq::Hq(const std::string& sync_extra) : Process("till-bench-hq") {
    const std::string url = TestPostgres::shared().create_database("sync_bench");
    dbname_ = url.substr(url.rfind('/') + 1);
    sync_port_ = till::test::free_loopback_port();
    dir().write("node.yaml",
                "node:\n  id: hq-1\n  role: hq\n  data_dir: data\n  listen: 127.0.0.1:0\n"
                "storage:\n  url: \"" + url + "\"\n"
                "plugins:\n  dirs: [\"" + std::string(TILL_BUILD_PLUGIN_DIR) + "\", \"" +
                    TILL_BUILD_HQ_PLUGIN_DIR +
                    "\"]\n  enabled: [hq_sync, order_retail, payment_cash]\n  required: [hq_sync]\n"
                    "auth:\n  pin_kdf_iterations: 1000\n  token_ttl_s: 3600\n"
                    "sync:\n  hq_max_batch_events: 5000\n" + sync_extra +
                    "hq_sync:\n  listen: 127.0.0.1:" + std::to_string(sync_port_) + "\n");
}

std::string Hq::issue_token(const std::string& store_id) {
    std::string output;
    const int code =
        till::test::run_command({bin("tillctl"), "hq", "token", "issue", store_id, "--config", config_path()}, output);
    require(code == 0, "tillctl hq token issue failed: " + output);
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
    throw std::runtime_error("no token in tillctl's output: " + output);
}

std::string Hq::sql(const std::string& query) const { return trim(TestPostgres::shared().psql(dbname_, query)); }

std::int64_t Hq::sql_int(const std::string& query) const {
    const std::string text = sql(query);
    require(!text.empty(), query + " returned nothing");
    return std::stoll(text);
}

void Hq::seed_catalog() {
    auto must = [&](const Reply& r, int status) {
        require(r.status == status, "HQ seed: " + std::to_string(r.status) + " " + r.body);
        return r;
    };
    must(call(port(), admin(), "POST", "/api/v1/users", R"({"name":"alice","role":"cashier","pin":"1111"})"), 201);
    auto dept = must(call(port(), admin(), "POST", "/api/v1/catalog/departments", R"({"code":"shop","name":"Shop"})"),
                     201);
    auto vat = must(call(port(), admin(), "POST", "/api/v1/catalog/tax-classes",
                         R"({"code":"vat20","name":"VAT","rates":[{"name":"VAT 20","rate_bp":2000}]})"),
                    201);
    const std::string ids = R"("department_id":")" + dept.json["department_id"].as_string() +
                            R"(","tax_class_id":")" + vat.json["tax_class_id"].as_string() + R"(")";
    const std::vector<std::pair<std::string, int>> products{
        {"MUG", 1250}, {"PEN", 199}, {"TEE", 1999}, {"CAP", 1450}, {"BAG", 899}};
    for (const auto& [sku, price] : products)
        must(call(port(), admin(), "POST", "/api/v1/catalog/products",
                  R"({"sku":")" + sku + R"(","name":")" + sku + R"(",)" + ids +
                      R"(,"price_minor":)" + std::to_string(price) + "}"),
             201);
}

// ---- Store ----

Store::Store(const Hq& hq, std::string store_id, std::string token)
    : Process("till-bench-" + store_id), id_(std::move(store_id)), token_(std::move(token)),
      hq_sync_port_(hq.sync_port()) {
    admin_data_dir_ = const_cast<Hq&>(hq).data_dir();
    write_config(true, 500);
}

void Store::write_config(bool sync_enabled, std::int64_t batch_max_events) {
    dir().write("node.yaml",
                "node:\n  id: " + id_ + "\n  role: store\n  data_dir: data\n  listen: 127.0.0.1:0\n"
                "plugins:\n  dirs: [\"" + std::string(TILL_BUILD_PLUGIN_DIR) +
                    "\"]\n  enabled: [order_retail, payment_cash, sync_http]\n"
                    "  required: [order_retail, payment_cash, sync_http]\n"
                    "auth:\n  pin_kdf_iterations: 1000\n  token_ttl_s: 3600\n"
                    "sync:\n  enabled: " + (sync_enabled ? "true" : "false") +
                    "\n  transport: http\n  push_interval_ms: 200\n"
                    "  pull_interval_ms: 500\n  backoff_initial_ms: 100\n  backoff_max_ms: 1000\n"
                    "  request_timeout_ms: 120000\n  batch_max_events: " + std::to_string(batch_max_events) +
                    "\nsync_http:\n  hq_url: http://127.0.0.1:" + std::to_string(hq_sync_port_) +
                    "\n  token: \"" + token_ + "\"\n  reconnect_initial_ms: 100\n  reconnect_max_ms: 1000\n");
}

sdk::Value Store::status() {
    auto r = call(port(), admin(), "GET", "/api/v1/sync/status");
    require(r.status == 200, "sync status: " + std::to_string(r.status) + " " + r.body);
    return r.json;
}

void Store::prepare_cashier() {
    require(wait_until([&] { return !(cashier_ = login(port(), "alice", "1111", "T1")).empty(); }, 30000, 100),
            "alice never arrived from HQ");
    auto methods = call(port(), cashier_, "GET", "/api/v1/payment-methods");
    require(methods.status == 200, "payment methods: " + methods.body);
    for (const auto& m : methods.json["items"].as_list())
        if (m["capabilities"]["gives_change"].as_bool()) cash_ = m["method_id"].as_string();
    require(!cash_.empty(), "no cash method");
    auto opened = call(port(), cashier_, "POST", "/api/v1/registers/T1/sessions", R"({"opening_float_minor":5000})");
    require(opened.status == 201, "open register: " + opened.body);
}

std::int64_t Store::sell(const std::vector<std::pair<std::string, std::int64_t>>& lines) {
    auto order = call(port(), cashier_, "POST", "/api/v1/orders", R"({"order_type":"retail"})");
    require(order.status == 201, "new order: " + order.body);
    const std::string order_id = order.json["order_id"].as_string();
    const std::string path = "/api/v1/orders/" + order_id;
    std::int64_t version = order.json["version"].as_int();
    std::int64_t total = 0;
    for (const auto& [sku, qty] : lines) {
        auto line = call(port(), cashier_, "POST", path + "/lines",
                         R"({"expected_version":)" + std::to_string(version) + R"(,"sku":")" + sku +
                             R"(","qty_milli":)" + std::to_string(qty) + "}");
        require(line.status == 201, "add line: " + line.body);
        version = line.json["version"].as_int();
        total = line.json["totals"]["total_minor"].as_int();
    }
    auto paid = call(port(), cashier_, "POST", path + "/payments",
                     R"({"method_id":")" + cash_ + R"(","amount_minor":)" + std::to_string(total) +
                         R"(,"idempotency_key":")" + order_id + R"("})");
    require(paid.status == 201, "pay: " + paid.body);
    return total;
}

std::vector<CapturedEvent> read_outbox(const std::string& sqlite_path) {
    storage::StorageSettings settings;
    settings.url = "sqlite:" + sqlite_path;
    settings.data_dir = std::filesystem::path(sqlite_path).parent_path().string();
    settings.pool_size = 1;
    auto db = storage::Database::open(settings);
    require(db.ok(), "open " + sqlite_path + ": " + db.status().message());
    auto rows = (*db)->query("SELECT type, entity_id, payload FROM sync_outbox ORDER BY sequence");
    require(rows.ok(), "read outbox: " + rows.status().message());
    std::vector<CapturedEvent> out;
    for (const auto& row : rows->rows)
        out.push_back({row[0].as_string(), row[1].as_string(), row[2].as_string()});
    return out;
}

}  // namespace till::bench
