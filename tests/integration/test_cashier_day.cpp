// A cashier's whole day against a real tilld process, through HTTP only:
// users, catalog, register open, a sale with modifiers and discounts paid in
// two cash payments with change, a return with a reason, a void authorised
// by a supervisor's override, a cash movement, X report, close with counted
// cash, Z report, audit chain, stock and the event stream. Every expected
// amount is computed here from the prices and rates chosen below, not read
// back from the node.
#include <catch2/catch.hpp>

#include <signal.h>

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <vector>

#include "sales_api.hpp"

using namespace till::test;
using namespace till::test::sales;
using till::sdk::Value;

namespace {

// --- the arithmetic of docs/domain/pricing.md, written independently -----

/// a / b rounded half up, a >= 0, b > 0.
std::int64_t div_half_up(std::int64_t a, std::int64_t b) { return (2 * a + b) / (2 * b); }

/// Percent of an amount, half up.
std::int64_t percent_of(std::int64_t amount_minor, std::int64_t bp) { return div_half_up(amount_minor * bp, 10000); }

/// Tax contained in a tax-inclusive price at one rate, half up.
std::int64_t inclusive_tax(std::int64_t price_minor, std::int64_t rate_bp) {
    return div_half_up(price_minor * rate_bp, 10000 + rate_bp);
}

/// An order discount spread over lines in proportion to their amounts:
/// floors, then one cent each to the largest remainders (ties: earlier line).
std::vector<std::int64_t> spread(std::int64_t discount_minor, const std::vector<std::int64_t>& bases) {
    const std::int64_t whole = std::accumulate(bases.begin(), bases.end(), std::int64_t{0});
    std::vector<std::int64_t> shares(bases.size());
    std::vector<std::int64_t> remainders(bases.size());
    std::int64_t given = 0;
    for (std::size_t i = 0; i < bases.size(); ++i) {
        shares[i] = discount_minor * bases[i] / whole;
        remainders[i] = discount_minor * bases[i] % whole;
        given += shares[i];
    }
    std::vector<std::size_t> order(bases.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return remainders[a] > remainders[b]; });
    for (std::size_t k = 0; given < discount_minor; ++k, ++given) shares[order[k]] += 1;
    return shares;
}

// --- the day's numbers ------------------------------------------------------

constexpr std::int64_t kVatBp = 2000;
constexpr std::int64_t kLatteLargeMinor = 420;
constexpr std::int64_t kOatMilkMinor = 50;
constexpr std::int64_t kSandwichMinor = 595;
constexpr std::int64_t kTshirtMinor = 1999;
constexpr std::int64_t kLatteDiscountBp = 1000;  // 10 % off the lattes
constexpr std::int64_t kOrderDiscountMinor = 200;
constexpr std::int64_t kFloatMinor = 10000;
constexpr std::int64_t kFirstCashMinor = 2000;
constexpr std::int64_t kTenderedMinor = 5000;
constexpr std::int64_t kPettyCashMinor = 500;

struct Expected {
    std::vector<std::int64_t> gross, line_discount, order_discount, total, tax;
    std::int64_t gross_sum = 0, discount_sum = 0, total_sum = 0, tax_sum = 0;
};

Expected expected_sale() {
    Expected e;
    e.gross = {2 * (kLatteLargeMinor + kOatMilkMinor), kSandwichMinor, 2 * kTshirtMinor};
    e.line_discount = {percent_of(e.gross[0], kLatteDiscountBp), 0, 0};
    std::vector<std::int64_t> after_line;
    for (std::size_t i = 0; i < 3; ++i) after_line.push_back(e.gross[i] - e.line_discount[i]);
    e.order_discount = spread(kOrderDiscountMinor, after_line);
    for (std::size_t i = 0; i < 3; ++i) {
        e.total.push_back(after_line[i] - e.order_discount[i]);
        e.tax.push_back(inclusive_tax(e.total[i], kVatBp));
        e.gross_sum += e.gross[i];
        e.discount_sum += e.line_discount[i] + e.order_discount[i];
        e.total_sum += e.total[i];
        e.tax_sum += e.tax[i];
    }
    return e;
}

/// The counted drawer: `amount` in the usual euro notes and coins.
Value count_drawer(std::int64_t amount_minor) {
    Value counted = Value::list();
    for (std::int64_t d : {5000, 2000, 1000, 500, 200, 100, 50, 20, 10, 5, 2, 1}) {
        std::int64_t n = amount_minor / d;
        amount_minor -= n * d;
        if (n == 0) continue;
        Value line = Value::map();
        line.set("denomination_minor", static_cast<long long>(d));
        line.set("count", static_cast<long long>(n));
        counted.push_back(std::move(line));
    }
    return counted;
}

// Evaluates `reply` once (it may be the request itself).
#define EXPECT_STATUS(reply, code)            \
    do {                                      \
        const Reply& checked_reply = (reply); \
        INFO(checked_reply.body);             \
        REQUIRE(checked_reply.status == (code)); \
    } while (false)

std::string made_id(const Reply& r, const char* key) { return r.json[key].as_string(); }

}  // namespace

TEST_CASE("a cashier's whole day works through the API alone to the cent", "[process][sales]") {
    TempDir dir("till-day");
    dir.write("node.yaml", sales_config());
    NodeProcess node(dir, "node.yaml");
    INFO(read_file(node.log));
    REQUIRE(node.port > 0);
    const int port = node.port;

    // --- admin: users and catalog -------------------------------------------
    const std::string admin = login_admin(port, dir.file("data"), "BACKOFFICE");
    REQUIRE_FALSE(admin.empty());
    EXPECT_STATUS(call(port, admin, "POST", "/api/v1/users",
                       json(R"({"name":"alice","display_name":"Alice","role":"cashier","pin":"1111"})")),
                  201);
    EXPECT_STATUS(call(port, admin, "POST", "/api/v1/users",
                       json(R"({"name":"bob","display_name":"Bob","role":"supervisor","pin":"2222"})")),
                  201);

    auto cafe = call(port, admin, "POST", "/api/v1/catalog/departments", json(R"({"code":"cafe","name":"Cafe"})"));
    EXPECT_STATUS(cafe, 201);
    auto shop = call(port, admin, "POST", "/api/v1/catalog/departments", json(R"({"code":"shop","name":"Shop"})"));
    EXPECT_STATUS(shop, 201);
    auto vat = call(port, admin, "POST", "/api/v1/catalog/tax-classes",
                    json(R"({"code":"vat20","name":"Standard VAT","rates":[{"name":"VAT 20","rate_bp":)" +
                         std::to_string(kVatBp) + "}]}"));
    EXPECT_STATUS(vat, 201);
    auto milk = call(port, admin, "POST", "/api/v1/catalog/modifier-groups",
                     json(R"({"code":"milk","name":"Milk","min_choices":0,"max_choices":1,"modifiers":[)"
                          R"({"name":"Oat milk","price_delta_minor":)" +
                          std::to_string(kOatMilkMinor) + R"(},{"name":"Soy milk","price_delta_minor":40}]})"));
    EXPECT_STATUS(milk, 201);
    std::string oat_id;
    for (const auto& m : milk.json["modifiers"].as_list())
        if (m["name"].as_string() == "Oat milk") oat_id = m["modifier_id"].as_string();
    REQUIRE_FALSE(oat_id.empty());
    const std::string cafe_id = made_id(cafe, "department_id"), shop_id = made_id(shop, "department_id");
    const std::string vat_id = made_id(vat, "tax_class_id"), milk_id = made_id(milk, "group_id");
    EXPECT_STATUS(call(port, admin, "POST", "/api/v1/catalog/products",
                       json(R"({"sku":"LATTE","name":"Latte","department_id":")" + cafe_id +
                            R"(","tax_class_id":")" + vat_id + R"(","price_minor":320,"track_stock":false,)"
                            R"("modifier_group_ids":[")" + milk_id + R"("],"variants":[)"
                            R"({"sku":"LATTE-S","name":"small","price_minor":320},)"
                            R"({"sku":"LATTE-L","name":"large","price_minor":)" +
                            std::to_string(kLatteLargeMinor) + "}]}")),
                  201);
    EXPECT_STATUS(call(port, admin, "POST", "/api/v1/catalog/products",
                       json(R"({"sku":"SANDWICH-HAM","name":"Ham sandwich","department_id":")" + cafe_id +
                            R"(","tax_class_id":")" + vat_id + R"(","price_minor":)" + std::to_string(kSandwichMinor) +
                            "}")),
                  201);
    EXPECT_STATUS(call(port, admin, "POST", "/api/v1/catalog/products",
                       json(R"({"sku":"TSHIRT-M","name":"T-shirt M","department_id":")" + shop_id +
                            R"(","tax_class_id":")" + vat_id + R"(","price_minor":)" + std::to_string(kTshirtMinor) +
                            R"(,"barcodes":["4006381333931"]})")),
                  201);
    EXPECT_STATUS(call(port, admin, "POST", "/api/v1/inventory/adjustments",
                       json(R"({"sku":"TSHIRT-M","qty_delta_milli":10000,"reason_code":"received"})")),
                  201);
    EXPECT_STATUS(call(port, admin, "POST", "/api/v1/inventory/adjustments",
                       json(R"({"sku":"SANDWICH-HAM","qty_delta_milli":5000,"reason_code":"received"})")),
                  201);

    // --- the cashier at T1 ---------------------------------------------------
    const std::string alice = login(port, "alice", "1111", "T1");
    REQUIRE_FALSE(alice.empty());
    EventRecorder events(port, alice);

    auto methods = call(port, alice, "GET", "/api/v1/payment-methods");
    EXPECT_STATUS(methods, 200);
    std::string cash;
    for (const auto& m : methods.json["items"].as_list())
        if (m["capabilities"]["gives_change"].as_bool()) cash = m["method_id"].as_string();
    REQUIRE_FALSE(cash.empty());

    auto opened = call(port, alice, "POST", "/api/v1/registers/T1/sessions",
                       json(R"({"opening_float_minor":)" + std::to_string(kFloatMinor) + R"(,"note":"morning"})"));
    EXPECT_STATUS(opened, 201);
    CHECK(opened.json["state"].as_string() == "open");

    // The sale: 2 large lattes with oat milk at 10 % off, a sandwich, two
    // T-shirts scanned by barcode, 2.00 off the order.
    const Expected e = expected_sale();
    auto order = call(port, alice, "POST", "/api/v1/orders", json(R"({"order_type":"retail"})"));
    EXPECT_STATUS(order, 201);
    const std::string sale_id = made_id(order, "order_id");
    const std::string sale_path = "/api/v1/orders/" + sale_id;
    std::int64_t version = order.json["version"].as_int();
    auto add = [&](const std::string& body) {
        auto r = call(port, alice, "POST", sale_path + "/lines",
                      json(R"({"expected_version":)" + std::to_string(version) + "," + body + "}"));
        EXPECT_STATUS(r, 201);
        version = r.json["version"].as_int();
        return r;
    };
    add(R"("sku":"LATTE-L","qty_milli":2000,"modifiers":[")" + oat_id + R"("],"discount":{"percent_bp":)" +
        std::to_string(kLatteDiscountBp) + "}");
    add(R"("sku":"SANDWICH-HAM")");
    add(R"("barcode":"4006381333931","qty_milli":2000)");
    auto discounted = call(port, alice, "PATCH", sale_path,
                           json(R"({"expected_version":)" + std::to_string(version) +
                                R"(,"discount":{"amount_minor":)" + std::to_string(kOrderDiscountMinor) + "}}"));
    EXPECT_STATUS(discounted, 200);
    version = discounted.json["version"].as_int();
    {
        INFO(discounted.body);
        const auto& lines = discounted.json["lines"].as_list();
        REQUIRE(lines.size() == 3);
        for (std::size_t i = 0; i < 3; ++i) {
            CHECK(lines[i]["gross_minor"].as_int() == e.gross[i]);
            CHECK(lines[i]["line_discount_minor"].as_int() == e.line_discount[i]);
            CHECK(lines[i]["order_discount_minor"].as_int() == e.order_discount[i]);
            CHECK(lines[i]["total_minor"].as_int() == e.total[i]);
            CHECK(lines[i]["tax_minor"].as_int() == e.tax[i]);
        }
        CHECK(lines[2]["sku"].as_string() == "TSHIRT-M");
        CHECK(lines[0]["modifiers"].size() == 1);
        const Value& totals = discounted.json["totals"];
        CHECK(totals["gross_minor"].as_int() == e.gross_sum);
        CHECK(totals["discount_minor"].as_int() == e.discount_sum);
        CHECK(totals["total_minor"].as_int() == e.total_sum);
        CHECK(totals["tax_minor"].as_int() == e.tax_sum);
        // The figures worked by hand, as a check on the check.
        CHECK(e.total_sum == 5239);
        CHECK(e.tax_sum == 874);
    }
    const std::string tshirt_line = discounted.json["lines"].as_list()[2]["line_id"].as_string();

    auto submitted = call(port, alice, "POST", sale_path + "/submit",
                          json(R"({"expected_version":)" + std::to_string(version) + "}"));
    EXPECT_STATUS(submitted, 200);
    CHECK(submitted.json["state"].as_string() == "submitted");

    // Split tender: 20.00 cash, then the rest from a 50.00 note.
    auto pay1 = call(port, alice, "POST", sale_path + "/payments",
                     json(R"({"method_id":")" + cash + R"(","amount_minor":)" + std::to_string(kFirstCashMinor) +
                          R"(,"idempotency_key":"day-sale-1"})"));
    EXPECT_STATUS(pay1, 201);
    CHECK(pay1.json["status"].as_string() == "approved");
    CHECK(pay1.json["order_settled"].as_bool() == false);
    const std::int64_t rest = e.total_sum - kFirstCashMinor;
    auto pay2 = call(port, alice, "POST", sale_path + "/payments",
                     json(R"({"method_id":")" + cash + R"(","amount_minor":)" + std::to_string(rest) +
                          R"(,"tendered_minor":)" + std::to_string(kTenderedMinor) +
                          R"(,"idempotency_key":"day-sale-2"})"));
    EXPECT_STATUS(pay2, 201);
    CHECK(pay2.json["status"].as_string() == "approved");
    CHECK(pay2.json["amount_minor"].as_int() == rest);
    CHECK(pay2.json["change_minor"].as_int() == kTenderedMinor - rest);
    CHECK(pay2.json["order_settled"].as_bool() == true);
    auto sale = call(port, alice, "GET", sale_path);
    EXPECT_STATUS(sale, 200);
    CHECK(sale.json["state"].as_string() == "closed");  // retail closes once paid
    CHECK(sale.json["paid_utc_ms"].as_int() > 0);

    // A return: one of the two T-shirts, wrong size (restocked).
    auto ret = call(port, alice, "POST", sale_path + "/returns",
                    json(R"({"reason_code":"wrong_size","lines":[{"line_id":")" + tshirt_line +
                         R"(","qty_milli":1000}]})"));
    EXPECT_STATUS(ret, 201);
    CHECK(ret.json["is_return"].as_bool());
    CHECK(ret.json["original_order_id"].as_string() == sale_id);
    CHECK(ret.json["reason_code"].as_string() == "wrong_size");
    const std::int64_t refund_minor = e.total[2] / 2;   // the paid share of one of two, rounded down
    const std::int64_t refund_tax_minor = e.tax[2] / 2;
    CHECK(ret.json["totals"]["total_minor"].as_int() == -refund_minor);
    CHECK(ret.json["totals"]["tax_minor"].as_int() == -refund_tax_minor);
    const std::string ret_path = "/api/v1/orders/" + made_id(ret, "order_id");
    auto payout = call(port, alice, "POST", ret_path + "/payments",
                       json(R"({"method_id":")" + cash + R"(","amount_minor":)" + std::to_string(refund_minor) +
                            R"(,"idempotency_key":"day-return-1"})"));
    EXPECT_STATUS(payout, 201);
    CHECK(payout.json["kind"].as_string() == "refund");
    CHECK(payout.json["status"].as_string() == "approved");
    CHECK(payout.json["order_settled"].as_bool());
    CHECK(call(port, alice, "GET", sale_path).json["state"].as_string() == "partially_refunded");

    // A void needs a supervisor: refused, bob's PIN, retried with the override.
    auto second = call(port, alice, "POST", "/api/v1/orders", json(R"({"order_type":"retail"})"));
    EXPECT_STATUS(second, 201);
    const std::string second_path = "/api/v1/orders/" + made_id(second, "order_id");
    auto small = call(port, alice, "POST", second_path + "/lines",
                      json(R"({"expected_version":)" + std::to_string(second.json["version"].as_int()) +
                           R"(,"sku":"LATTE-S"})"));
    EXPECT_STATUS(small, 201);
    const std::string void_body = R"({"expected_version":)" + std::to_string(small.json["version"].as_int()) +
                                  R"(,"reason":"customer left"})";
    auto refused = call(port, alice, "POST", second_path + "/void", json(void_body));
    EXPECT_STATUS(refused, 403);
    CHECK(refused.json["code"].as_string() == "override_required");
    auto grant = call(port, alice, "POST", "/api/v1/auth/overrides",
                      json(R"({"action":"order.void","supervisor_user_name":"bob","pin":"2222",)"
                           R"("reason":"customer left"})"));
    EXPECT_STATUS(grant, 201);
    auto voided = call(port, alice, "POST", second_path + "/void", json(void_body),
                       grant.json["override_token"].as_string());
    EXPECT_STATUS(voided, 200);
    CHECK(voided.json["state"].as_string() == "voided");

    // Petty cash out of the drawer.
    EXPECT_STATUS(call(port, alice, "POST", "/api/v1/registers/T1/cash-movements",
                       json(R"({"direction":"out","amount_minor":)" + std::to_string(kPettyCashMinor) +
                            R"(,"reason_code":"petty_cash","note":"milk"})")),
                  201);

    // --- X report -------------------------------------------------------------
    const std::int64_t expected_cash = kFloatMinor + e.total_sum - refund_minor - kPettyCashMinor;
    CHECK(expected_cash == 12814);
    auto check_figures = [&](const Value& r) {
        INFO(r.to_json());
        CHECK(r["opening_float_minor"].as_int() == kFloatMinor);
        CHECK(r["sales"]["count"].as_int() == 1);
        CHECK(r["sales"]["gross_minor"].as_int() == e.gross_sum);
        CHECK(r["sales"]["discount_minor"].as_int() == e.discount_sum);
        CHECK(r["sales"]["tax_minor"].as_int() == e.tax_sum);
        CHECK(r["sales"]["total_minor"].as_int() == e.total_sum);
        CHECK(r["sales"]["net_minor"].as_int() == e.total_sum - e.tax_sum);
        CHECK(r["returns"]["count"].as_int() == 1);
        CHECK(r["returns"]["total_minor"].as_int() == refund_minor);
        CHECK(r["returns"]["tax_minor"].as_int() == refund_tax_minor);
        CHECK(r["voids"]["count"].as_int() == 1);
        CHECK(r["voids"]["total_minor"].as_int() == 320);
        CHECK(r["net_sales_minor"].as_int() == e.total_sum - refund_minor);
        CHECK(r["net_tax_minor"].as_int() == e.tax_sum - refund_tax_minor);
        REQUIRE(r["tenders"].size() == 1);
        const Value& t = r["tenders"].as_list()[0];
        CHECK(t["method_id"].as_string() == cash);
        CHECK(t["sales_count"].as_int() == 2);
        CHECK(t["sales_minor"].as_int() == e.total_sum);
        CHECK(t["refunds_count"].as_int() == 1);
        CHECK(t["refunds_minor"].as_int() == refund_minor);
        CHECK(t["net_minor"].as_int() == e.total_sum - refund_minor);
        CHECK(r["cash_movements"]["out_count"].as_int() == 1);
        CHECK(r["cash_movements"]["out_minor"].as_int() == kPettyCashMinor);
        CHECK(r["cash_movements"]["in_minor"].as_int() == 0);
        CHECK(r["no_sale_count"].as_int() == 0);
        CHECK(r["expected_cash_minor"].as_int() == expected_cash);
    };
    auto x = call(port, alice, "GET", "/api/v1/registers/T1/x-report");
    EXPECT_STATUS(x, 200);
    CHECK(x.json["kind"].as_string() == "x");
    check_figures(x.json);

    // --- close with the counted drawer (4 cents short), Z report -------------
    const std::int64_t counted_minor = expected_cash - 4;
    const std::string close_body = R"({"counted":)" + count_drawer(counted_minor).to_json() +
                                   R"(,"note":"end of day"})";
    auto not_allowed = call(port, alice, "POST", "/api/v1/registers/T1/sessions/current/close", json(close_body));
    EXPECT_STATUS(not_allowed, 403);
    CHECK(not_allowed.json["code"].as_string() == "override_required");
    auto close_grant = call(port, alice, "POST", "/api/v1/auth/overrides",
                            json(R"({"action":"register.close","supervisor_user_name":"bob","pin":"2222",)"
                                 R"("reason":"end of day"})"));
    EXPECT_STATUS(close_grant, 201);
    auto closed = call(port, alice, "POST", "/api/v1/registers/T1/sessions/current/close", json(close_body),
                       close_grant.json["override_token"].as_string());
    EXPECT_STATUS(closed, 200);
    CHECK(closed.json["counted_minor"].as_int() == counted_minor);
    CHECK(closed.json["expected_cash_minor"].as_int() == expected_cash);
    CHECK(closed.json["variance_minor"].as_int() == -4);
    CHECK(closed.json["session"]["state"].as_string() == "closed");
    CHECK(closed.json["z_report"]["z_number"].as_int() == 1);

    const std::string bob = login(port, "bob", "2222", "T1");
    REQUIRE_FALSE(bob.empty());
    auto z = call(port, bob, "GET", "/api/v1/registers/T1/z-reports/1");
    EXPECT_STATUS(z, 200);
    CHECK(z.json["z_number"].as_int() == 1);
    const Value& report = z.json["report"];
    CHECK(report["kind"].as_string() == "z");
    CHECK(report["z_number"].as_int() == 1);
    CHECK(report["counted_minor"].as_int() == counted_minor);
    CHECK(report["variance_minor"].as_int() == -4);
    check_figures(report);
    auto zs = call(port, bob, "GET", "/api/v1/registers/T1/z-reports");
    EXPECT_STATUS(zs, 200);
    CHECK(zs.json["items"].size() == 1);

    // --- stock ----------------------------------------------------------------
    auto tshirt = call(port, alice, "GET", "/api/v1/inventory/TSHIRT-M");
    EXPECT_STATUS(tshirt, 200);
    CHECK(tshirt.json["on_hand_milli"].as_int() == 10000 - 2000 + 1000);
    auto sandwich = call(port, alice, "GET", "/api/v1/inventory/SANDWICH-HAM");
    EXPECT_STATUS(sandwich, 200);
    CHECK(sandwich.json["on_hand_milli"].as_int() == 5000 - 1000);
    auto moves = call(port, alice, "GET", "/api/v1/inventory/TSHIRT-M/movements");
    EXPECT_STATUS(moves, 200);
    std::multiset<std::string> kinds;
    for (const auto& m : moves.json["items"].as_list()) kinds.insert(m["kind"].as_string());
    CHECK(kinds == std::multiset<std::string>{"adjustment", "sale", "refund"});

    // --- audit ----------------------------------------------------------------
    auto verify = call(port, admin, "GET", "/api/v1/audit/verify");
    EXPECT_STATUS(verify, 200);
    CHECK(verify.json["ok"].as_bool());
    auto audit = call(port, admin, "GET", "/api/v1/audit?after_seq=0&limit=500");
    EXPECT_STATUS(audit, 200);
    std::multiset<std::string> actions;
    std::string void_authorized_by;
    for (const auto& a : audit.json["items"].as_list()) {
        actions.insert(a["action"].as_string());
        if (a["action"].as_string() == "order.void") void_authorized_by = a["authorized_by"].as_string();
    }
    CHECK(actions.count("user.created") == 3);  // the bootstrap admin, alice, bob
    CHECK(actions.count("register.open") == 1);
    CHECK(actions.count("register.cash_move") == 1);
    CHECK(actions.count("register.close") == 1);
    CHECK(actions.count("report.z") == 1);
    CHECK(actions.count("order.void") == 1);
    CHECK(actions.count("auth.override") >= 2);
    CHECK(actions.count("inventory.adjust") == 2);
    auto users = call(port, admin, "GET", "/api/v1/users");
    std::string bob_id;
    for (const auto& u : users.json["items"].as_list())
        if (u["name"].as_string() == "bob") bob_id = u["id"].as_string();
    CHECK_FALSE(bob_id.empty());
    CHECK(void_authorized_by == bob_id);
    {
        std::string output;
        int code = run_command({bin("tillctl"), "audit", "verify", "--config", dir.file("node.yaml")}, output);
        INFO(output);
        CHECK(code == 0);
        CHECK_THAT(output, Catch::StartsWith("OK: "));
    }

    // --- the event stream carried the day --------------------------------------
    CHECK(events.wait_for("report.z_created"));
    auto topics = events.topics();
    for (const char* t : {"register.opened", "order.opened", "order.line_added", "order.submitted",
                          "payment.recorded", "payment.refunded", "order.voided", "register.cash_moved",
                          "register.closed"}) {
        INFO(t);
        CHECK(topics.count(t) > 0);
    }
    CHECK(topics.count("payment.recorded") >= 2);

    REQUIRE(node.process->send_signal(SIGTERM));
    CHECK(node.process->wait_exit(30000) == 0);
}
