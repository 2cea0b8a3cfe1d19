#include "raw_sale.hpp"

#include <sqlite3.h>

#include <stdexcept>

namespace till::bench {
namespace {

constexpr const char* kSchema = R"SQL(
CREATE TABLE orders (
  order_id TEXT PRIMARY KEY, order_type_id TEXT NOT NULL, state TEXT NOT NULL, version BIGINT NOT NULL,
  currency TEXT NOT NULL, customer_id TEXT NOT NULL DEFAULT '', fields_json TEXT NOT NULL DEFAULT '{}',
  register_session_id TEXT NOT NULL DEFAULT '', settled_session_id TEXT NOT NULL DEFAULT '',
  terminal_id TEXT NOT NULL DEFAULT '', user_id TEXT NOT NULL DEFAULT '', gross_minor BIGINT NOT NULL,
  discount_minor BIGINT NOT NULL, tax_minor BIGINT NOT NULL, total_minor BIGINT NOT NULL,
  taxes_json TEXT NOT NULL, opened_utc_ms BIGINT NOT NULL, paid_utc_ms BIGINT NOT NULL,
  closed_utc_ms BIGINT NOT NULL);
CREATE INDEX orders_by_session ON orders (register_session_id);
CREATE INDEX orders_by_settled_session ON orders (settled_session_id);
CREATE INDEX orders_by_state ON orders (state, order_id);
CREATE TABLE order_lines (
  line_id TEXT PRIMARY KEY, order_id TEXT NOT NULL REFERENCES orders (order_id), position BIGINT NOT NULL,
  sku TEXT NOT NULL, name TEXT NOT NULL, item_json TEXT NOT NULL, qty_milli BIGINT NOT NULL,
  unit_price_minor BIGINT NOT NULL, gross_minor BIGINT NOT NULL, net_minor BIGINT NOT NULL,
  tax_minor BIGINT NOT NULL, total_minor BIGINT NOT NULL, taxes_json TEXT NOT NULL,
  UNIQUE (order_id, position));
CREATE TABLE payments (
  payment_id TEXT PRIMARY KEY, idempotency_key TEXT NOT NULL UNIQUE, request_json TEXT NOT NULL,
  order_id TEXT NOT NULL, kind TEXT NOT NULL, method_id TEXT NOT NULL, amount_minor BIGINT NOT NULL,
  tendered_minor BIGINT NOT NULL, change_minor BIGINT NOT NULL, status TEXT NOT NULL,
  session_id TEXT NOT NULL, terminal_id TEXT NOT NULL, user_id TEXT NOT NULL, created_utc_ms BIGINT NOT NULL);
CREATE INDEX payments_by_order ON payments (order_id);
CREATE TABLE stock_movements (
  movement_id TEXT PRIMARY KEY, sku TEXT NOT NULL, qty_delta_milli BIGINT NOT NULL, kind TEXT NOT NULL,
  reference TEXT NOT NULL, user_id TEXT NOT NULL, recorded_utc_ms BIGINT NOT NULL);
CREATE INDEX stock_movements_by_sku ON stock_movements (sku, movement_id);
CREATE TABLE audit_log (
  seq BIGINT PRIMARY KEY, time_utc_ms BIGINT NOT NULL, actor_user_id TEXT NOT NULL, action TEXT NOT NULL,
  subject TEXT NOT NULL, details TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL);
)SQL";

const std::string kItemJson =
    R"({"product_id":"0190f0a2-7c1e-7a55-9d2e-3b1c5e6f7a8b","variant_id":"","tax_class_id":)"
    R"("0190f0a2-7c1e-7a55-9d2e-3b1c5e6f7a8c","catalog_price_minor":1250,"cost_minor":0,"weighed":false,)"
    R"("track_stock":true,"tax_rates":[{"tax_rate_id":"0190f0a2-7c1e-7a55-9d2e-3b1c5e6f7a8d","name":"VAT 20",)"
    R"("rate_bp":2000,"compound":false}]})";
const std::string kTaxesJson =
    R"([{"tax_rate_id":"0190f0a2-7c1e-7a55-9d2e-3b1c5e6f7a8d","rate_bp":2000,"taxable_minor":1042,"tax_minor":208}])";

void check(int rc, sqlite3* db, const char* what) {
    if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
        throw std::runtime_error(std::string(what) + ": " + sqlite3_errmsg(db));
}

struct Statement {
    sqlite3* db;
    sqlite3_stmt* stmt = nullptr;
    Statement(sqlite3* d, const char* sql) : db(d) { check(sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr), db, sql); }
    ~Statement() { sqlite3_finalize(stmt); }
    Statement& text(int i, const std::string& s) {
        sqlite3_bind_text(stmt, i, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
        return *this;
    }
    Statement& num(int i, std::int64_t n) {
        sqlite3_bind_int64(stmt, i, n);
        return *this;
    }
    void run() {
        check(sqlite3_step(stmt), db, "step");
        sqlite3_reset(stmt);
    }
};

std::int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

}  // namespace

SaleRun run_raw_sales(const std::string& dir, int warmup, int sales, const SyncCounter& syncs) {
    sqlite3* db = nullptr;
    const std::string path = dir + "/raw.db";
    check(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr), db, "open");
    check(sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON", nullptr,
                       nullptr, nullptr),
          db, "pragmas");
    check(sqlite3_exec(db, kSchema, nullptr, nullptr, nullptr), db, "schema");
    SaleRun run;
    {
        Statement order(db,
                        "INSERT INTO orders (order_id, order_type_id, state, version, currency, register_session_id,"
                        " settled_session_id, terminal_id, user_id, gross_minor, discount_minor, tax_minor,"
                        " total_minor, taxes_json, opened_utc_ms, paid_utc_ms, closed_utc_ms)"
                        " VALUES (?1, 'retail', 'closed', 7, 'EUR', ?2, ?2, 'T1', ?3, ?4, 0, ?5, ?4, ?6, ?7, ?7, ?7)");
        Statement line(db,
                       "INSERT INTO order_lines (line_id, order_id, position, sku, name, item_json, qty_milli,"
                       " unit_price_minor, gross_minor, net_minor, tax_minor, total_minor, taxes_json)"
                       " VALUES (?1, ?2, ?3, ?4, 'Mug', ?5, 1000, 1250, 1250, 1250, 208, 1250, ?6)");
        Statement payment(db,
                          "INSERT INTO payments (payment_id, idempotency_key, request_json, order_id, kind, method_id,"
                          " amount_minor, tendered_minor, change_minor, status, session_id, terminal_id, user_id,"
                          " created_utc_ms) VALUES (?1, ?2, ?3, ?4, 'sale', 'cash', ?5, ?5, 0, 'approved', ?6, 'T1',"
                          " ?7, ?8)");
        Statement movement(db,
                           "INSERT INTO stock_movements (movement_id, sku, qty_delta_milli, kind, reference, user_id,"
                           " recorded_utc_ms) VALUES (?1, ?2, -1000, 'sale', ?3, ?4, ?5)");
        Statement audit(db,
                        "INSERT INTO audit_log (seq, time_utc_ms, actor_user_id, action, subject, details, prev_hash,"
                        " hash) VALUES (?1, ?2, ?3, 'order.paid', ?4, ?5, ?6, ?7)");
        std::mt19937_64 random(42);
        const std::string session = random_id(random), user = random_id(random);
        std::string prev_hash(64, '0');
        std::int64_t seq = 0;
        auto one_sale = [&]() {
            const std::string order_id = random_id(random);
            const std::int64_t t = now_ms();
            const auto commit_start = Clock::now();  // the whole transaction: BEGIN .. COMMIT
            check(sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), db, "begin");
            order.text(1, order_id).text(2, session).text(3, user).num(4, 5 * 1250).num(5, 5 * 208)
                .text(6, kTaxesJson).num(7, t).run();
            for (int i = 0; i < 5; ++i) {
                const std::string sku = "SKU-" + std::to_string(i);
                line.text(1, random_id(random)).text(2, order_id).num(3, i + 1).text(4, sku).text(5, kItemJson)
                    .text(6, kTaxesJson).run();
                movement.text(1, random_id(random)).text(2, sku).text(3, "order:" + order_id).text(4, user).num(5, t)
                    .run();
            }
            const std::string key = random_id(random);
            payment.text(1, random_id(random)).text(2, key)
                .text(3, R"({"amount_minor":6250,"method_id":"cash","idempotency_key":")" + key + "\"}")
                .text(4, order_id).num(5, 5 * 1250).text(6, session).text(7, user).num(8, t).run();
            std::string hash = random_id(random) + random_id(random);
            hash.resize(64, 'a');
            audit.num(1, ++seq).num(2, t).text(3, user).text(4, "order:" + order_id)
                .text(5, R"({"total_minor":6250})").text(6, prev_hash).text(7, hash).run();
            prev_hash = hash;
            check(sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr), db, "commit");
            return ms_since(commit_start);
        };
        for (int i = 0; i < warmup; ++i) one_sale();
        const SyncCounts before = syncs.counts();
        const auto start = Clock::now();
        for (int i = 0; i < sales; ++i) {
            const auto sale_start = Clock::now();
            run.commit_ms.push_back(one_sale());
            run.sale_ms.push_back(ms_since(sale_start));
        }
        run.seconds = ms_since(start) / 1000.0;
        run.syncs = syncs.counts() - before;
        run.sales = sales;
    }
    sqlite3_close(db);
    return run;
}

}  // namespace till::bench
