// Golden text for every receipt kind of the example deployments: the cafe
// templates rendered with fixed data (en-GB, EUR, 42 columns) and the retail
// sale receipt in German. TILL_UPDATE_GOLDEN=1 rewrites the files (review the
// diff before committing).
#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "domain/printing/receipt_data.hpp"
#include "domain/printing/template_set.hpp"
#include "till/sdk/value.hpp"

using namespace till::domain::printing;
using till::sdk::Value;

namespace {

Value json(const char* text) {
    auto v = Value::parse_json(text);
    REQUIRE(v);
    return *v;
}

const char* kOrder = R"({
  "order_id": "0190f5c2-7a3e-7c41-8b2d-5e8f1a2b3c4d", "order_type": "quickservice", "state": "paid",
  "currency": "EUR", "customer_id": null, "terminal_id": "T1", "is_return": false, "original_order_id": null,
  "reason_code": null, "fields": {"table": "7"}, "opened_utc_ms": 1768485600000, "submitted_utc_ms": null,
  "paid_utc_ms": 1768485900000,
  "totals": {"gross_minor": 1390, "discount_minor": 0, "tax_minor": 232, "total_minor": 1390,
             "taxes": [{"tax_rate_id": "vat20", "rate_bp": 2000, "taxable_minor": 1158, "tax_minor": 232}]},
  "lines": [
    {"line_id": "l1", "name": "Flat white", "sku": "FW", "department_id": "d-drinks", "qty_milli": 2000,
     "unit_price_minor": 340, "total_minor": 760, "voided": false, "note": "",
     "modifiers": [{"name": "Oat milk", "price_delta_minor": 40}]},
    {"line_id": "l2", "name": "Carrot cake with a very long name that wraps", "sku": "CAKE",
     "department_id": "d-food", "qty_milli": 1000, "unit_price_minor": 630, "total_minor": 630, "voided": false,
     "note": "warm it up", "modifiers": []},
    {"line_id": "l3", "name": "Voided scone", "sku": "SCONE", "department_id": "d-food", "qty_milli": 1000,
     "unit_price_minor": 300, "total_minor": 300, "voided": true, "note": "", "modifiers": []}
  ]})";

const char* kPayments = R"([
  {"method_id": "card", "status": "approved", "amount_minor": 1000, "applied_minor": 1000, "tendered_minor": 1000,
   "change_minor": 0, "tip_minor": 0, "masked_pan": "************4242"},
  {"method_id": "cash", "status": "approved", "amount_minor": 390, "applied_minor": 390, "tendered_minor": 500,
   "change_minor": 110, "tip_minor": 0},
  {"method_id": "card", "status": "declined", "amount_minor": 1390, "applied_minor": 0}])";

const char* kReturn = R"({
  "order_id": "0190f5c3-0000-7c41-8b2d-5e8f1a2b3c4d", "state": "paid", "currency": "EUR", "terminal_id": "T1",
  "is_return": true, "original_order_id": "0190f5c2-7a3e-7c41-8b2d-5e8f1a2b3c4d", "reason_code": "damaged",
  "paid_utc_ms": 1768489500000, "fields": {},
  "totals": {"total_minor": -630, "taxes": []},
  "lines": [{"line_id": "r1", "name": "Carrot cake", "qty_milli": -1000, "total_minor": -630, "voided": false,
             "original_line_id": "l2", "modifiers": [], "note": ""}]})";

const char* kExchange = R"({
  "order_id": "0190f5c4-0000-7c41-8b2d-5e8f1a2b3c4d", "state": "paid", "currency": "EUR", "terminal_id": "T1",
  "is_return": true, "original_order_id": "0190f5c2-7a3e-7c41-8b2d-5e8f1a2b3c4d", "reason_code": "wrong_size",
  "paid_utc_ms": 1768489500000, "fields": {},
  "totals": {"total_minor": 80, "taxes": []},
  "lines": [{"line_id": "r1", "name": "Flat white", "qty_milli": -1000, "total_minor": -380, "voided": false,
             "original_line_id": "l1", "modifiers": [], "note": ""},
            {"line_id": "r2", "name": "Large latte", "qty_milli": 1000, "total_minor": 460, "voided": false,
             "modifiers": [], "note": ""}]})";

const char* kReport = R"({
  "kind": "z", "register_id": "T1", "session_id": "s1", "currency": "EUR", "opened_utc_ms": 1768464000000,
  "opened_by": {"user_id": "u1", "name": "Bob"}, "opening_float_minor": 10000, "generated_utc_ms": 1768500000000,
  "z_number": 42, "closed_utc_ms": 1768500000000,
  "sales": {"count": 31, "total_minor": 45210}, "returns": {"count": 1, "total_minor": 630},
  "voids": {"count": 2, "total_minor": 900}, "net_sales_minor": 44580, "net_tax_minor": 7430,
  "tenders": [{"method_id": "card", "sales_count": 20, "net_minor": 30000},
              {"method_id": "cash", "sales_count": 11, "net_minor": 14580}],
  "cash_movements": {"in_minor": 2000, "out_minor": 5000}, "expected_cash_minor": 21580, "no_sale_count": 1,
  "counted_minor": 21550, "variance_minor": -30})";

const char* kMovement = R"({"movement_id": "m1", "register_id": "T1", "direction": "out", "amount_minor": 5000,
  "reason_code": "bank_drop", "note": "to the bank", "created_utc_ms": 1768490000000})";

PrintingSettings settings() {
    PrintingSettings s;
    s.locale = *locale_format("en-GB");
    s.store_name = "Corner Cafe";
    s.store_lines = {"1 Market Street", "VAT GB123456789"};
    s.kitchen_printers = {{"DRINKS", "bar-1"}};
    s.kitchen_default_printer = "kitchen-1";
    return s;
}

ReceiptInfo info(const std::string& kind, bool reprint = false) {
    return ReceiptInfo{kind, "job-1", "receipt-1", "T1", 1, 1, reprint, 1768490000000};
}

void check_golden(const std::string& name, const TemplateSet& set, const std::string& kind, const Value& data,
                  const std::string& language = "en-GB") {
    const ReceiptTemplate* t = set.find(kind, language);
    REQUIRE(t);
    RenderOptions options;
    options.locale = *locale_format(language == "de" ? "de-DE" : "en-GB");
    auto receipt = t->render(data, options);
    INFO(name);
    REQUIRE(receipt);
    REQUIRE(till::sdk::validate_receipt(*receipt, 576).ok());
    const std::string text = till::sdk::plain_text(*receipt, 42);
    const std::string path = std::string(TILL_GOLDEN_DIR) + "/" + name + ".txt";
    if (std::getenv("TILL_UPDATE_GOLDEN")) {
        std::ofstream(path, std::ios::binary) << text;
    }
    std::ifstream in(path, std::ios::binary);
    REQUIRE(in);
    std::ostringstream expected;
    expected << in.rdbuf();
    CHECK(text == expected.str());
}

}  // namespace

TEST_CASE("golden text: every receipt kind of the cafe deployment", "[golden]") {
    auto load = TemplateSet::load(std::string(TILL_SCRIPTS_DIR) + "/cafe/receipts");
    for (const auto& e : load.errors) FAIL(e.to_string());
    REQUIRE(load.set);
    const TemplateSet& set = *load.set;
    const PrintingSettings s = settings();
    Value order = json(kOrder);
    CHECK(order_receipt_kind(order) == "sale");
    check_golden("cafe_sale", set, "sale", order_data(order, json(kPayments), s, info("sale")));
    check_golden("cafe_sale_reprint", set, "sale", order_data(order, json(kPayments), s, info("sale", true)));

    Value ret = json(kReturn);
    CHECK(order_receipt_kind(ret) == "refund");
    Value refund_payment = json(R"([{"method_id": "cash", "status": "approved", "applied_minor": -630}])");
    check_golden("cafe_refund", set, "refund", order_data(ret, refund_payment, s, info("refund")));
    Value exchange = json(kExchange);
    CHECK(order_receipt_kind(exchange) == "exchange");
    check_golden("cafe_exchange", set, "exchange",
                 order_data(exchange, json(R"([{"method_id": "cash", "status": "approved", "applied_minor": 80}])"), s,
                            info("exchange")));

    auto routed = kitchen_lines(order, s, [](const std::string& id) { return id == "d-drinks" ? "DRINKS" : "FOOD"; });
    REQUIRE(routed.size() == 2);
    CHECK(routed["bar-1"].size() == 1);
    CHECK(routed["kitchen-1"].size() == 1);  // the voided scone is left out
    ReceiptInfo bar = info("kitchen");
    bar.printer_id = "bar-1";
    check_golden("cafe_kitchen_bar", set, "kitchen", kitchen_data(order, routed["bar-1"], s, bar));
    ReceiptInfo kitchen = info("kitchen");
    kitchen.printer_id = "kitchen-1";
    check_golden("cafe_kitchen_food", set, "kitchen", kitchen_data(order, routed["kitchen-1"], s, kitchen));

    Value report = json(kReport);
    check_golden("cafe_z_report", set, "z_report", report_data(report, s, info("z_report")));
    report.set("kind", "x");
    check_golden("cafe_x_report", set, "x_report", report_data(report, s, info("x_report")));
    check_golden("cafe_cash_movement", set, "cash_movement", movement_data(json(kMovement), "EUR", s, info("cash_movement")));
}

TEST_CASE("golden text: the retail sale receipt in German", "[golden]") {
    auto load = TemplateSet::load(std::string(TILL_SCRIPTS_DIR) + "/retail/receipts");
    for (const auto& e : load.errors) FAIL(e.to_string());
    REQUIRE(load.set);
    PrintingSettings s = settings();
    s.locale = *locale_format("de-DE");
    check_golden("retail_sale_de", *load.set, "sale", order_data(json(kOrder), json(kPayments), s, info("sale")), "de");
    check_golden("retail_sale_en", *load.set, "sale", order_data(json(kOrder), json(kPayments), s, info("sale")));
}
