// Durability of sales against a real tilld process on SQLite: a confirmed
// sale survives SIGKILL; a sale killed half-way leaves nothing half-written;
// a payment retried with the same idempotency key across a restart is
// recorded once; concurrent terminals adding lines to one order lose none.
#include <catch2/catch.hpp>

#include <signal.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <thread>
#include <vector>

#include "sales_api.hpp"

using namespace till::test;
using namespace till::test::sales;
using till::sdk::Value;

namespace {

constexpr std::int64_t kMugMinor = 1250;
constexpr std::int64_t kPenMinor = 199;
constexpr std::int64_t kStartStockMilli = 1'000'000;

/// A store with its data dir, a running (or killed) tilld, and a cashier
/// logged in at T1 with the register open.
struct Store {
    TempDir dir{"till-durable"};
    std::unique_ptr<NodeProcess> node;
    std::string alice;  ///< survives restarts (the signing key is on disk)
    std::string cash;

    int port() const { return node->port; }

    void start() {
        std::filesystem::remove(dir.file("port"));
        node = std::make_unique<NodeProcess>(dir, "node.yaml");
        INFO(read_file(node->log));
        REQUIRE(node->port > 0);
    }
    void kill() {
        REQUIRE(node->process->send_signal(SIGKILL));
        REQUIRE(node->process->wait_exit(30000) == 128 + SIGKILL);
    }
    void restart_after_kill() {
        kill();
        start();
    }

    /// Users, a tax class, two stocked products, the register open at T1.
    void prepare() {
        dir.write("node.yaml", sales_config());
        start();
        const std::string admin = login_admin(port(), dir.file("data"), "BACKOFFICE");
        REQUIRE_FALSE(admin.empty());
        auto must = [&](const Reply& r, int status) {
            INFO(r.body);
            REQUIRE(r.status == status);
            return r;
        };
        must(call(port(), admin, "POST", "/api/v1/users",
                  json(R"({"name":"alice","role":"cashier","pin":"1111"})")),
             201);
        auto dept = must(call(port(), admin, "POST", "/api/v1/catalog/departments",
                              json(R"({"code":"shop","name":"Shop"})")),
                         201);
        auto vat = must(call(port(), admin, "POST", "/api/v1/catalog/tax-classes",
                             json(R"({"code":"vat20","name":"VAT","rates":[{"name":"VAT 20","rate_bp":2000}]})")),
                        201);
        const std::string ids = R"("department_id":")" + dept.json["department_id"].as_string() +
                                R"(","tax_class_id":")" + vat.json["tax_class_id"].as_string() + R"(")";
        must(call(port(), admin, "POST", "/api/v1/catalog/products",
                  json(R"({"sku":"MUG","name":"Mug",)" + ids + R"(,"price_minor":)" + std::to_string(kMugMinor) +
                       "}")),
             201);
        must(call(port(), admin, "POST", "/api/v1/catalog/products",
                  json(R"({"sku":"PEN","name":"Pen",)" + ids + R"(,"price_minor":)" + std::to_string(kPenMinor) +
                       "}")),
             201);
        for (const char* sku : {"MUG", "PEN"})
            must(call(port(), admin, "POST", "/api/v1/inventory/adjustments",
                      json(std::string(R"({"sku":")") + sku + R"(","qty_delta_milli":)" +
                           std::to_string(kStartStockMilli) + R"(,"reason_code":"received"})")),
                 201);
        alice = login(port(), "alice", "1111", "T1");
        REQUIRE_FALSE(alice.empty());
        auto methods = must(call(port(), alice, "GET", "/api/v1/payment-methods"), 200);
        for (const auto& m : methods.json["items"].as_list())
            if (m["capabilities"]["gives_change"].as_bool()) cash = m["method_id"].as_string();
        REQUIRE_FALSE(cash.empty());
        must(call(port(), alice, "POST", "/api/v1/registers/T1/sessions", json(R"({"opening_float_minor":5000})")),
             201);
    }

    std::int64_t on_hand(const std::string& sku) {
        auto r = call(port(), alice, "GET", "/api/v1/inventory/" + sku);
        INFO(r.body);
        REQUIRE(r.status == 200);
        return r.json["on_hand_milli"].as_int();
    }

    void audit_verifies() {
        const std::string admin = login_admin(port(), dir.file("data"), "BACKOFFICE");
        REQUIRE_FALSE(admin.empty());
        auto verify = call(port(), admin, "GET", "/api/v1/audit/verify");
        INFO(verify.body);
        CHECK(verify.status == 200);
        CHECK(verify.json["ok"].as_bool());
        std::string output;
        int code = run_command({bin("tillctl"), "audit", "verify", "--config", dir.file("node.yaml")}, output);
        INFO(output);
        CHECK(code == 0);
    }
};

std::string payment_body(const std::string& method, std::int64_t amount_minor, const std::string& key) {
    return R"({"method_id":")" + method + R"(","amount_minor":)" + std::to_string(amount_minor) +
           R"(,"idempotency_key":")" + key + R"("})";
}

/// What one order looks like after the fact.
struct OrderState {
    std::string state;
    std::int64_t total_minor = 0;
    std::int64_t line_qty_milli = 0;  ///< sum over live lines
    std::size_t line_count = 0;
    std::int64_t approved_minor = 0;  ///< sum of approved sale payments
    std::size_t approved_count = 0;
};

OrderState read_order(int port, const std::string& token, const std::string& order_id) {
    OrderState s;
    auto order = call(port, token, "GET", "/api/v1/orders/" + order_id);
    INFO(order.body);
    REQUIRE(order.status == 200);
    s.state = order.json["state"].as_string();
    s.total_minor = order.json["totals"]["total_minor"].as_int();
    for (const auto& l : order.json["lines"].as_list()) {
        if (l["voided"].as_bool()) continue;
        s.line_qty_milli += l["qty_milli"].as_int();
        ++s.line_count;
    }
    auto payments = call(port, token, "GET", "/api/v1/orders/" + order_id + "/payments?limit=500");
    INFO(payments.body);
    REQUIRE(payments.status == 200);
    for (const auto& p : payments.json["items"].as_list())
        if (p["status"].as_string() == "approved" && p["kind"].as_string() == "sale") {
            s.approved_minor += p["amount_minor"].as_int();
            ++s.approved_count;
        }
    return s;
}

bool is_paid(const std::string& state) { return state == "paid" || state == "closed"; }

/// Every order id the node knows, through the list route's pages.
std::vector<std::string> all_orders(int port, const std::string& token) {
    std::vector<std::string> ids;
    std::string cursor;
    for (int page = 0; page < 1000; ++page) {
        auto r = call(port, token, "GET",
                      "/api/v1/orders?limit=500" + (cursor.empty() ? std::string() : "&cursor=" + cursor));
        INFO(r.body);
        REQUIRE(r.status == 200);
        for (const auto& o : r.json["items"].as_list()) ids.push_back(o["order_id"].as_string());
        if (r.json["next"].is_null()) break;
        cursor = r.json["next"].as_string();
    }
    return ids;
}

/// Sale movements of `sku` by order id (quantity summed), through every page.
std::map<std::string, std::int64_t> sale_movements(int port, const std::string& token, const std::string& sku) {
    std::map<std::string, std::int64_t> by_order;
    std::string before;
    for (int page = 0; page < 1000; ++page) {
        auto r = call(port, token, "GET",
                      "/api/v1/inventory/" + sku + "/movements?limit=500" +
                          (before.empty() ? std::string() : "&before=" + before));
        INFO(r.body);
        REQUIRE(r.status == 200);
        for (const auto& m : r.json["items"].as_list()) {
            const std::string& ref = m["reference"].as_string();
            if (m["kind"].as_string() == "sale" && ref.rfind("order:", 0) == 0)
                by_order[ref.substr(6)] += m["qty_delta_milli"].as_int();
        }
        if (r.json["next"].is_null()) break;
        before = r.json["next"].as_string();
    }
    return by_order;
}

}  // namespace

TEST_CASE("a sale the API confirmed survives SIGKILL right after the answer", "[process][sales][durability]") {
    Store store;
    store.prepare();
    const int port = store.port();
    auto order = call(port, store.alice, "POST", "/api/v1/orders", json(R"({"order_type":"retail"})"));
    REQUIRE(order.status == 201);
    const std::string id = order.json["order_id"].as_string();
    std::int64_t version = order.json["version"].as_int();
    for (const char* line : {R"("sku":"MUG","qty_milli":3000)", R"("sku":"PEN")"}) {
        auto r = call(port, store.alice, "POST", "/api/v1/orders/" + id + "/lines",
                      json(R"({"expected_version":)" + std::to_string(version) + "," + line + "}"));
        INFO(r.body);
        REQUIRE(r.status == 201);
        version = r.json["version"].as_int();
    }
    const std::int64_t total = 3 * kMugMinor + kPenMinor;
    auto paid = call(port, store.alice, "POST", "/api/v1/orders/" + id + "/payments",
                     json(payment_body(store.cash, total, "durable-1")));
    INFO(paid.body);
    REQUIRE(paid.status == 201);
    REQUIRE(paid.json["status"].as_string() == "approved");
    REQUIRE(paid.json["order_settled"].as_bool());
    const std::string payment_id = paid.json["payment_id"].as_string();

    store.restart_after_kill();  // no grace: the answer was the last thing

    OrderState after = read_order(store.port(), store.alice, id);
    CHECK(is_paid(after.state));
    CHECK(after.total_minor == total);
    CHECK(after.line_count == 2);
    CHECK(after.approved_count == 1);
    CHECK(after.approved_minor == total);
    auto payment = call(store.port(), store.alice, "GET", "/api/v1/payments/" + payment_id);
    CHECK(payment.status == 200);
    CHECK(payment.json["status"].as_string() == "approved");
    CHECK(store.on_hand("MUG") == kStartStockMilli - 3000);
    CHECK(store.on_hand("PEN") == kStartStockMilli - 1000);
    auto moves = call(store.port(), store.alice, "GET", "/api/v1/inventory/MUG/movements");
    bool found = false;
    for (const auto& m : moves.json["items"].as_list())
        found = found || (m["reference"].as_string() == "order:" + id && m["qty_delta_milli"].as_int() == -3000);
    CHECK(found);
    store.audit_verifies();
}

TEST_CASE("a sale interrupted before confirmation leaves nothing half-written", "[process][sales][durability]") {
    Store store;
    store.prepare();
    std::mt19937 random(20240611u);
    std::map<std::string, std::int64_t> confirmed;  // order id → total, payment answered 201 + settled
    std::set<std::string> known;                     // every order id a client saw created
    int kills = 0, sales_started = 0;

    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(90);
    for (int round = 0; round < 8 && std::chrono::steady_clock::now() < deadline; ++round) {
        const int port = store.port();
        std::atomic<int> requests{0};
        std::atomic<bool> client_done{false};
        std::mutex mutex;
        // The client: order → line → pay, as fast as it can, until the node dies.
        std::thread client([&, port] {
            std::mt19937 local(static_cast<unsigned>(round) * 7919u + 1u);
            try {
                for (int n = 0; n < 400; ++n) {
                    auto order = call(port, store.alice, "POST", "/api/v1/orders", json(R"({"order_type":"retail"})"));
                    ++requests;
                    if (order.status != 201) break;
                    const std::string id = order.json["order_id"].as_string();
                    {
                        std::lock_guard<std::mutex> lock(mutex);
                        known.insert(id);
                        ++sales_started;
                    }
                    const int qty = 1 + static_cast<int>(local() % 3);
                    auto line = call(port, store.alice, "POST", "/api/v1/orders/" + id + "/lines",
                                     json(R"({"expected_version":)" + std::to_string(order.json["version"].as_int()) +
                                          R"(,"sku":"MUG","qty_milli":)" + std::to_string(qty * 1000) + "}"));
                    ++requests;
                    if (line.status != 201) break;
                    const std::int64_t total = line.json["totals"]["total_minor"].as_int();
                    auto paid = call(port, store.alice, "POST", "/api/v1/orders/" + id + "/payments",
                                     json(payment_body(store.cash, total, "kill-" + id)));
                    ++requests;
                    if (paid.status == 201 && paid.json["order_settled"].as_bool()) {
                        std::lock_guard<std::mutex> lock(mutex);
                        confirmed[id] = total;
                    } else {
                        break;
                    }
                }
            } catch (const std::exception&) {
                // the node went away mid-request: expected
            }
            client_done = true;
        });
        // Kill after a random number of requests, a random few hundred µs
        // into the next one (bounded wait on the client's progress).
        const int target = 3 + static_cast<int>(random() % 30);
        const auto wait_until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
        while (requests < target && !client_done && std::chrono::steady_clock::now() < wait_until)
            std::this_thread::sleep_for(std::chrono::microseconds(200));
        std::this_thread::sleep_for(std::chrono::microseconds(random() % 3000));
        store.kill();
        ++kills;
        client.join();
        store.start();
    }
    INFO("kills: " << kills << ", sales started: " << sales_started << ", confirmed: " << confirmed.size());
    REQUIRE(kills >= 3);
    REQUIRE_FALSE(confirmed.empty());

    const int port = store.port();
    std::int64_t sold_milli = 0;
    std::size_t paid_count = 0, unpaid_count = 0;
    const auto moved = sale_movements(port, store.alice, "MUG");
    for (const auto& id : all_orders(port, store.alice)) {
        INFO("order " << id);
        OrderState s = read_order(port, store.alice, id);
        const std::int64_t moved_milli = moved.count(id) ? moved.at(id) : 0;
        if (is_paid(s.state)) {
            ++paid_count;
            CHECK(s.approved_count >= 1);
            CHECK(s.approved_minor == s.total_minor);
            CHECK(s.line_count == 1);
            CHECK(moved_milli == -s.line_qty_milli);
            sold_milli += s.line_qty_milli;
        } else {
            CHECK(moved_milli == 0);
            ++unpaid_count;
            CHECK((s.state == "open" || s.state == "submitted"));
            CHECK(s.approved_count == 0);
            CHECK(s.approved_minor == 0);
            CHECK(confirmed.count(id) == 0);
        }
    }
    for (const auto& [id, total] : confirmed) {
        INFO("confirmed order " << id);
        OrderState s = read_order(port, store.alice, id);
        CHECK(is_paid(s.state));
        CHECK(s.approved_minor == total);
    }
    INFO("paid orders: " << paid_count << ", unpaid: " << unpaid_count);
    CHECK(paid_count >= confirmed.size());
    CHECK(paid_count + unpaid_count >= known.size());
    // Stock moved for exactly the paid orders.
    CHECK(store.on_hand("MUG") == kStartStockMilli - sold_milli);
    store.audit_verifies();
}

TEST_CASE("the same payment request sent twice across a restart records one payment", "[process][sales][durability]") {
    Store store;
    store.prepare();
    int port = store.port();
    auto order = call(port, store.alice, "POST", "/api/v1/orders", json(R"({"order_type":"retail"})"));
    REQUIRE(order.status == 201);
    const std::string id = order.json["order_id"].as_string();
    auto line = call(port, store.alice, "POST", "/api/v1/orders/" + id + "/lines",
                     json(R"({"expected_version":)" + std::to_string(order.json["version"].as_int()) +
                          R"(,"sku":"PEN","qty_milli":4000})"));
    REQUIRE(line.status == 201);
    const std::int64_t total = 4 * kPenMinor;
    const std::string body = payment_body(store.cash, total, "same-key-twice");
    auto first = call(port, store.alice, "POST", "/api/v1/orders/" + id + "/payments", json(body));
    INFO(first.body);
    REQUIRE(first.status == 201);
    CHECK(first.json["replayed"].as_bool() == false);

    store.restart_after_kill();
    port = store.port();
    auto again = call(port, store.alice, "POST", "/api/v1/orders/" + id + "/payments", json(body));
    INFO(again.body);
    CHECK(again.status == 200);
    CHECK(again.json["replayed"].as_bool());
    CHECK(again.json["payment_id"].as_string() == first.json["payment_id"].as_string());
    CHECK(again.json["status"].as_string() == "approved");

    auto payments = call(port, store.alice, "GET", "/api/v1/orders/" + id + "/payments");
    REQUIRE(payments.status == 200);
    CHECK(payments.json["items"].size() == 1);
    CHECK(payments.json["paid_minor"].as_int() == total);
    CHECK(store.on_hand("PEN") == kStartStockMilli - 4000);
    // The same key with another amount is a conflict, not a second payment.
    auto other = call(port, store.alice, "POST", "/api/v1/orders/" + id + "/payments",
                      json(payment_body(store.cash, total + 1, "same-key-twice")));
    CHECK(other.status == 409);
    CHECK(call(port, store.alice, "GET", "/api/v1/orders/" + id + "/payments").json["items"].size() == 1);
}

TEST_CASE("eight terminals adding lines to one order with expected_version lose no line", "[process][sales][durability]") {
    Store store;
    store.prepare();
    const int port = store.port();
    auto order = call(port, store.alice, "POST", "/api/v1/orders", json(R"({"order_type":"retail"})"));
    REQUIRE(order.status == 201);
    const std::string path = "/api/v1/orders/" + order.json["order_id"].as_string();
    constexpr int kTerminals = 8;
    constexpr int kLinesEach = 6;

    std::vector<std::string> tokens;
    for (int t = 1; t <= kTerminals; ++t) {
        tokens.push_back(login(port, "alice", "1111", "T" + std::to_string(t)));
        REQUIRE_FALSE(tokens.back().empty());
    }
    std::atomic<int> conflicts{0}, failures{0};
    std::vector<std::thread> terminals;
    for (int t = 0; t < kTerminals; ++t) {
        terminals.emplace_back([&, t] {
            try {
                for (int i = 0; i < kLinesEach; ++i) {
                    const std::string note = "t" + std::to_string(t) + "-" + std::to_string(i);
                    bool added = false;
                    for (int attempt = 0; attempt < 200 && !added; ++attempt) {
                        auto current = call(port, tokens[static_cast<std::size_t>(t)], "GET", path);
                        if (current.status != 200) break;
                        auto r = call(port, tokens[static_cast<std::size_t>(t)], "POST", path + "/lines",
                                      json(R"({"expected_version":)" + std::to_string(current.json["version"].as_int()) +
                                           R"(,"sku":"PEN","note":")" + note + R"("})"));
                        if (r.status == 201) added = true;
                        else if (r.status == 409) ++conflicts;
                        else break;
                    }
                    if (!added) ++failures;
                }
            } catch (const std::exception&) {
                ++failures;
            }
        });
    }
    for (auto& t : terminals) t.join();
    INFO("409 conflicts seen: " << conflicts.load());
    if (failures != 0) FAIL_CHECK("tilld's log:\n" << read_file(store.node->log));
    CHECK(failures == 0);

    auto final_order = call(port, store.alice, "GET", path);
    REQUIRE(final_order.status == 200);
    std::multiset<std::string> notes;
    for (const auto& l : final_order.json["lines"].as_list()) notes.insert(l["note"].as_string());
    CHECK(notes.size() == static_cast<std::size_t>(kTerminals * kLinesEach));
    for (int t = 0; t < kTerminals; ++t)
        for (int i = 0; i < kLinesEach; ++i) CHECK(notes.count("t" + std::to_string(t) + "-" + std::to_string(i)) == 1);
    // One version step per line: nothing was applied twice or skipped.
    CHECK(final_order.json["version"].as_int() == order.json["version"].as_int() + kTerminals * kLinesEach);
    CHECK(final_order.json["totals"]["total_minor"].as_int() == kTerminals * kLinesEach * kPenMinor);

    // A stale version is refused with 409 naming the current one.
    auto stale = call(port, store.alice, "POST", path + "/lines",
                      json(R"({"expected_version":)" + std::to_string(order.json["version"].as_int()) +
                           R"(,"sku":"PEN"})"));
    CHECK(stale.status == 409);
    CHECK(stale.json["code"].as_string() == "conflict");
}
