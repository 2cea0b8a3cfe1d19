// Split tender end to end, through HTTP only, against a real tilld with
// payment_cash and payment_card and a real till-card-terminal-sim: a sale
// paid part card part cash, its full refund back to both tenders (the card
// refund against the original terminal reference), a card payment whose
// answer is lost and then resolved by status without a second charge, the
// X and Z figures per tender, and no full card number anywhere in the node's
// files or logs.
#include <catch2/catch.hpp>

#include <signal.h>

#include <filesystem>

#include "sales_api.hpp"
#include "sim_process.hpp"

using namespace till::test;
using namespace till::test::sales;
using till::sdk::Value;

namespace {

constexpr std::int64_t kShirtMinor = 2499;      // x2 = 4998
constexpr std::int64_t kCardPartMinor = 3000;
constexpr std::int64_t kCashPartMinor = 2 * kShirtMinor - kCardPartMinor;  // 1998
constexpr std::int64_t kLostMinor = 1502;       // test card "timeout": charged, answer withheld
constexpr std::int64_t kLeakyMinor = 1105;      // test card "leak": the terminal sends the full PAN
constexpr std::int64_t kFloatMinor = 10000;
constexpr const char* kTestPan = "4242424242424242";

#define EXPECT_STATUS(reply, code)               \
    do {                                         \
        const Reply& checked_reply = (reply);    \
        INFO(checked_reply.body);                \
        REQUIRE(checked_reply.status == (code)); \
    } while (false)

std::string node_yaml(int terminal_port) {
    return std::string("node:\n  id: card-node\n  role: store\n  data_dir: data\n  listen: 127.0.0.1:0\n"
                       "plugins:\n  dirs: [\"") +
           TILL_BUILD_PLUGIN_DIR +
           "\"]\n  enabled: [order_retail, payment_cash, payment_card]\n"
           "  required: [order_retail, payment_cash, payment_card]\n"
           "auth:\n  pin_kdf_iterations: 1000\n  token_ttl_s: 3600\n"
           "payment_card:\n  port: " +
           std::to_string(terminal_port) +
           "\n  terminal_id: T-SIM-1\n  connect_timeout_ms: 1000\n  response_timeout_ms: 2000\n";
}

Value pay(const std::string& method, std::int64_t amount_minor, const std::string& key) {
    Value v = Value::map();
    v.set("method_id", method);
    v.set("amount_minor", amount_minor);
    v.set("idempotency_key", key);
    return v;
}

/// The tender line of `method` in an X/Z report.
Value tender(const Value& report, const std::string& method) {
    for (const auto& t : report["tenders"].as_list())
        if (t["method_id"].as_string() == method) return t;
    return Value();
}

/// Whether any file under `root` (or `root` itself) contains `needle`.
std::string file_containing(const std::string& root, const std::string& needle) {
    namespace fs = std::filesystem;
    std::vector<fs::path> files;
    if (fs::is_regular_file(root)) files.push_back(root);
    else
        for (const auto& e : fs::recursive_directory_iterator(root))
            if (e.is_regular_file()) files.push_back(e.path());
    for (const auto& f : files)
        if (read_file(f.string()).find(needle) != std::string::npos) return f.string();
    return {};
}

}  // namespace

TEST_CASE("split tender: part card part cash, refunded back to both, lost answer resolved", "[process][card]") {
    TempDir dir("till-card-split");
    card::SimProcess sim(dir);
    dir.write("node.yaml", node_yaml(sim.port()));
    NodeProcess node(dir, "node.yaml");
    INFO(read_file(node.log));
    REQUIRE(node.port > 0);
    const int port = node.port;
    const std::string admin = login_admin(port, dir.file("data"), "T1");
    REQUIRE_FALSE(admin.empty());

    // Catalog: a shirt, and two items priced on test cards.
    auto dept = call(port, admin, "POST", "/api/v1/catalog/departments", json(R"({"code":"shop","name":"Shop"})"));
    EXPECT_STATUS(dept, 201);
    auto vat = call(port, admin, "POST", "/api/v1/catalog/tax-classes",
                    json(R"({"code":"vat20","name":"VAT","rates":[{"name":"VAT 20","rate_bp":2000}]})"));
    EXPECT_STATUS(vat, 201);
    auto product = [&](const std::string& sku, std::int64_t price_minor) {
        EXPECT_STATUS(call(port, admin, "POST", "/api/v1/catalog/products",
                           json(R"({"sku":")" + sku + R"(","name":")" + sku + R"(","department_id":")" +
                                dept.json["department_id"].as_string() + R"(","tax_class_id":")" +
                                vat.json["tax_class_id"].as_string() + R"(","price_minor":)" +
                                std::to_string(price_minor) + R"(,"track_stock":false})")),
                      201);
    };
    product("SHIRT", kShirtMinor);
    product("SLOW", kLostMinor);
    product("LEAKY", kLeakyMinor);

    auto methods = call(port, admin, "GET", "/api/v1/payment-methods");
    EXPECT_STATUS(methods, 200);
    CHECK(methods.body.find(R"("method_id":"card")") != std::string::npos);

    EXPECT_STATUS(call(port, admin, "POST", "/api/v1/registers/T1/sessions",
                       json(R"({"opening_float_minor":)" + std::to_string(kFloatMinor) + "}")),
                  201);

    // An order of `qty` × `sku`, submitted; returns its path.
    auto order_of = [&](const std::string& sku, int qty) {
        auto order = call(port, admin, "POST", "/api/v1/orders", json(R"({"order_type":"retail"})"));
        EXPECT_STATUS(order, 201);
        const std::string path = "/api/v1/orders/" + order.json["order_id"].as_string();
        auto line = call(port, admin, "POST", path + "/lines",
                         json(R"({"expected_version":)" + std::to_string(order.json["version"].as_int()) +
                              R"(,"sku":")" + sku + R"(","qty_milli":)" + std::to_string(qty * 1000) + "}"));
        EXPECT_STATUS(line, 201);
        EXPECT_STATUS(call(port, admin, "POST", path + "/submit",
                           json(R"({"expected_version":)" + std::to_string(line.json["version"].as_int()) + "}")),
                      200);
        return path;
    };

    // --- the split sale ----------------------------------------------------
    const std::string sale_path = order_of("SHIRT", 2);
    auto card_part = call(port, admin, "POST", sale_path + "/payments", pay("card", kCardPartMinor, "split-card"));
    EXPECT_STATUS(card_part, 201);
    CHECK(card_part.json["status"].as_string() == "approved");
    CHECK(card_part.json["order_settled"].as_bool() == false);
    const std::string card_reference = card_part.json["reference"].as_string();
    CHECK_THAT(card_reference, Catch::StartsWith("SIM-"));
    CHECK(card_part.json["masked_pan"].as_string() == "************4242");
    CHECK(card_part.json["brand"].as_string() == "VISA");
    auto cash_part = call(port, admin, "POST", sale_path + "/payments", pay("cash", kCashPartMinor, "split-cash"));
    EXPECT_STATUS(cash_part, 201);
    CHECK(cash_part.json["order_settled"].as_bool());
    auto listed = call(port, admin, "GET", sale_path + "/payments");
    EXPECT_STATUS(listed, 200);
    CHECK(listed.json["paid_minor"].as_int() == 2 * kShirtMinor);
    CHECK(listed.json["remaining_minor"].as_int() == 0);

    // --- the full refund, back to both tenders --------------------------------
    const auto lines = call(port, admin, "GET", sale_path).json["lines"].as_list();
    REQUIRE(lines.size() == 1);
    auto ret = call(port, admin, "POST", sale_path + "/returns",
                    json(R"({"reason_code":"changed_mind","lines":[{"line_id":")" + lines[0]["line_id"].as_string() +
                         R"(","qty_milli":2000}]})"));
    EXPECT_STATUS(ret, 201);
    CHECK(ret.json["totals"]["total_minor"].as_int() == -2 * kShirtMinor);
    const std::string ret_path = "/api/v1/orders/" + ret.json["order_id"].as_string();
    auto card_back = call(port, admin, "POST", ret_path + "/payments", pay("card", kCardPartMinor, "refund-card"));
    EXPECT_STATUS(card_back, 201);
    CHECK(card_back.json["kind"].as_string() == "refund");
    CHECK(card_back.json["status"].as_string() == "approved");
    CHECK(card_back.json["original_payment_id"].as_string() == card_part.json["payment_id"].as_string());
    // The terminal refunded against the original sale's reference.
    const Value refunded = sim.status("refund-card");
    CHECK(refunded["of"].as_string() == "refund");
    CHECK(refunded["original_reference"].as_string() == card_reference);
    CHECK(refunded["approved_minor"].as_int() == kCardPartMinor);
    auto cash_back = call(port, admin, "POST", ret_path + "/payments", pay("cash", kCashPartMinor, "refund-cash"));
    EXPECT_STATUS(cash_back, 201);
    CHECK(cash_back.json["kind"].as_string() == "refund");
    CHECK(cash_back.json["order_settled"].as_bool());

    // --- a card answer lost, then resolved by status ----------------------------
    const std::string slow_path = order_of("SLOW", 1);
    auto lost = call(port, admin, "POST", slow_path + "/payments", pay("card", kLostMinor, "slow-card"));
    EXPECT_STATUS(lost, 202);
    CHECK(lost.json["status"].as_string() == "uncertain");
    CHECK(sim.totals()["sales_count"].as_int() == 2);  // the terminal did charge it
    auto resolved = call(port, admin, "POST", slow_path + "/payments", pay("card", kLostMinor, "slow-card"));
    EXPECT_STATUS(resolved, 200);
    CHECK(resolved.json["status"].as_string() == "approved");
    CHECK(resolved.json["replayed"].as_bool());
    CHECK(resolved.json["order_settled"].as_bool());
    EXPECT_STATUS(call(port, admin, "POST", slow_path + "/payments", pay("card", kLostMinor, "slow-card")), 200);
    CHECK(sim.totals()["sales_count"].as_int() == 2);  // still one charge for the key

    // --- a terminal that leaks the full card number -----------------------------
    const std::string leaky_path = order_of("LEAKY", 1);
    auto leaky = call(port, admin, "POST", leaky_path + "/payments", pay("card", kLeakyMinor, "leaky-card"));
    EXPECT_STATUS(leaky, 201);
    CHECK(leaky.json["masked_pan"].as_string() == "************4242");
    CHECK(leaky.body.find(kTestPan) == std::string::npos);

    // --- the terminal's and the register's figures per tender ----------------------
    auto terminal = call(port, admin, "GET", "/api/v1/payment-card/totals");
    EXPECT_STATUS(terminal, 200);
    CHECK(terminal.json["sales_count"].as_int() == 3);
    CHECK(terminal.json["sales_minor"].as_int() == kCardPartMinor + kLostMinor + kLeakyMinor);
    CHECK(terminal.json["refunds_minor"].as_int() == kCardPartMinor);

    auto check_tenders = [&](const Value& r) {
        INFO(r.to_json());
        const Value card = tender(r, "card");
        CHECK(card["sales_count"].as_int() == 3);
        CHECK(card["sales_minor"].as_int() == kCardPartMinor + kLostMinor + kLeakyMinor);
        CHECK(card["refunds_count"].as_int() == 1);
        CHECK(card["refunds_minor"].as_int() == kCardPartMinor);
        CHECK(card["net_minor"].as_int() == kLostMinor + kLeakyMinor);
        const Value cash = tender(r, "cash");
        CHECK(cash["sales_count"].as_int() == 1);
        CHECK(cash["sales_minor"].as_int() == kCashPartMinor);
        CHECK(cash["refunds_count"].as_int() == 1);
        CHECK(cash["refunds_minor"].as_int() == kCashPartMinor);
        CHECK(cash["net_minor"].as_int() == 0);
        CHECK(r["expected_cash_minor"].as_int() == kFloatMinor);
    };
    auto x = call(port, admin, "GET", "/api/v1/registers/T1/x-report");
    EXPECT_STATUS(x, 200);
    check_tenders(x.json);
    auto closed = call(port, admin, "POST", "/api/v1/registers/T1/sessions/current/close",
                       json(R"({"counted":[{"denomination_minor":5000,"count":2}],"note":"end of day"})"));
    EXPECT_STATUS(closed, 200);
    CHECK(closed.json["variance_minor"].as_int() == 0);
    auto z = call(port, admin, "GET", "/api/v1/registers/T1/z-reports/1");
    EXPECT_STATUS(z, 200);
    check_tenders(z.json["report"]);

    // --- PCI: no full card number in the node's database or logs -------------------
    REQUIRE(node.process->send_signal(SIGTERM));
    CHECK(node.process->wait_exit(30000) == 0);
    CHECK(file_containing(dir.file("data"), kTestPan).empty());
    CHECK(file_containing(node.log, kTestPan).empty());
}
