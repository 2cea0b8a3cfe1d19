// Every kind of template mistake is found when the template is parsed and
// named with file:line:col; a whole folder reports all of its problems.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "domain/printing/receipt_template.hpp"
#include "domain/printing/template_set.hpp"
#include "support/temp_dir.hpp"

using namespace till::domain::printing;

namespace {

const std::vector<std::string> kRoots = {"order", "store", "receipt", "currency"};

std::string first_error(const std::string& text, const std::string& base_dir = "/nonexistent") {
    std::vector<TemplateError> errors;
    auto t = ReceiptTemplate::parse(text, "sale.receipt", kRoots, base_dir, &errors);
    REQUIRE_FALSE(t);
    REQUIRE_FALSE(errors.empty());
    CHECK(t.error().message == errors.front().to_string());
    return errors.front().to_string();
}

void write(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
}

}  // namespace

TEST_CASE("template mistakes name file:line:col", "[template]") {
    CHECK(first_error("ok\n@centre Hello") ==
          "sale.receipt:2:1: unknown directive \"@centre\" (style words: left, center, right, bold, underline, wide, "
          "tall, double; blocks: columns, rule, barcode, qr, logo, feed, cut, drawer)");
    CHECK(first_error("Total {{order.total_minor|mony}}") ==
          "sale.receipt:1:9: unknown filter \"mony\" (known: money, amount, qty, percent, date, time, datetime, upper, "
          "lower, default, neg, abs, short, count)");
    CHECK(first_error("Total {{order.total_minor") == "sale.receipt:1:7: \"{{\" is not closed by \"}}\" on this line");
    CHECK(first_error("{{ordr.order_id}}") ==
          "sale.receipt:1:3: unknown value \"ordr\" (known here: order, store, receipt, currency)");
    CHECK(first_error("{{#order.lines}}\n{{name}}\n") ==
          "sale.receipt:1:1: this block is never closed (expected {{/order.lines}})");
    CHECK(first_error("{{?order.note}}\nx\n{{/order.note}}") ==
          "sale.receipt:3:1: {{/order.note}} does not close the open block (line 1), which ends with {{/?}}");
    CHECK(first_error("x {{?order.note}} y {{/?}}") ==
          "sale.receipt:1:3: sections and conditionals ({{#...}}, {{?...}}, {{^...}}, {{/...}}) stand on a line of "
          "their own");
    CHECK(first_error("@columns 1* 10> | {{order.order_id}}") == "sale.receipt:1:18: @columns has 2 columns but 1 cells");
    CHECK(first_error("@columns 1* ten | a | b") ==
          "sale.receipt:1:13: column \"ten\" is not N (N characters), N* (N shares of the rest), each optionally "
          "followed by < > or ^ (left, right, centre)");
    CHECK(first_error("@barcode upc {{order.order_id}}") == "sale.receipt:1:10: @barcode needs a symbology first: ean13 or code128");
    CHECK(first_error("@qr level=X {{order.order_id}}") ==
          "sale.receipt:1:5: @qr option \"level=X\" is not one of level=L|M|Q|H, size=1..16");
    CHECK(first_error("@rule ==") == "sale.receipt:1:7: @rule takes one character, got \"==\"");
    CHECK(first_error("@feed 300") == "sale.receipt:1:7: @feed takes a number of lines 0..255");
    CHECK(first_error("@cut half") == "sale.receipt:1:6: @cut takes full or partial");
    CHECK(first_error("{{order.total_minor|money:euro}}") ==
          "sale.receipt:1:3: filter money: the argument is an ISO 4217 code such as EUR, got \"euro\"");
    CHECK(first_error("@logo ../secret.pbm") ==
          "sale.receipt:1:7: @logo needs a .pbm file name in the templates folder (no '..', not absolute)");
    CHECK(first_error("@logo logo.pbm").rfind("sale.receipt:1:7: cannot read /nonexistent/logo.pbm", 0) == 0);
}

TEST_CASE("a template renders values, sections, conditionals and blocks", "[template]") {
    till::test::TempDir dir("till-logo");
    write(dir.file("logo.pbm"), "P1\n# a 3x2 logo\n3 2\n1 0 1\n0 1 0\n");
    auto t = ReceiptTemplate::parse(
        "@logo logo.pbm\n"
        "@center @bold {{store.name|upper}}\n"
        "{{#order.lines}}\n"
        "@columns 1* 8> | {{name}} | {{total_minor|money}}\n"
        "{{/order.lines}}\n"
        "{{?order.customer_id}}\n"
        "Customer {{order.customer_id}}\n"
        "{{/?}}\n"
        "{{^order.customer_id}}\n"
        "No customer\n"
        "{{/^}}\n"
        "@@home {{order.missing|default:-}}\n"
        "@barcode ean13 notext 400638133393\n"
        "@drawer pin=1\n"
        "@cut full\n",
        "sale.receipt", kRoots, dir.path());
    REQUIRE(t);
    till::sdk::Value data = till::sdk::Value::parse_json(
        R"({"store":{"name":"Corner Café"},"order":{"currency":"EUR","customer_id":null,
            "lines":[{"name":"Coffee","total_minor":250},{"name":"Cake","total_minor":-1200}]}})").value();
    RenderOptions options;
    options.locale = *locale_format("de-DE");
    auto r = t->render(data, options);
    REQUIRE(r);
    const auto lines = till::sdk::render_plain_text(*r, 24);
    const std::vector<std::string> expected = {"[image 3x2]", "      CORNER CAFé", "Coffee            2,50 €",
                                               "Cake            -12,00 €", "No customer", "@home -",
                                               "[EAN-13: 4006381333931]", "[drawer]", "--- cut ---"};
    CHECK(lines == expected);

    till::sdk::Value wrong = till::sdk::Value::parse_json(R"({"order":{"lines":[{"name":"x","total_minor":"5"}]}})").value();
    auto failed = t->render(wrong, options);
    REQUIRE_FALSE(failed);
    CHECK(failed.error().message == "sale.receipt:4:31: {{total_minor}}: filter money needs an integer, got string");
}

TEST_CASE("a template folder reports every problem and needs every kind", "[template]") {
    till::test::TempDir dir("till-receipts");
    for (const auto& kind : template_kinds()) write(dir.file(kind + ".receipt"), "@center {{store.name}}\n@cut\n");
    {
        auto load = TemplateSet::load(dir.path());
        REQUIRE(load.set);
        CHECK(load.files == 7);
    }
    std::filesystem::create_directories(dir.file("de"));
    write(dir.file("de/sale.receipt"), "@center Beleg {{store.name}}\n");
    write(dir.file("kitchen.receipt"), "{{#lines}}\n{{name}}\n{{/lines}}\n@bold {{station.printer_id|upper}\n");
    write(dir.file("sael.receipt"), "x\n");
    std::filesystem::remove(dir.file("z_report.receipt"));
    auto load = TemplateSet::load(dir.path());
    CHECK_FALSE(load.set);
    std::vector<std::string> messages;
    for (const auto& e : load.errors) messages.push_back(e.to_string());
    REQUIRE(messages.size() == 3);
    CHECK(messages[0] == dir.file("kitchen.receipt") + ":4:7: \"{{\" is not closed by \"}}\" on this line");
    CHECK(messages[1].find("sael.receipt:1:1: \"sael\" is not a receipt kind") != std::string::npos);
    CHECK(messages[2] == dir.file("z_report.receipt") + ":0:0: missing: every deployment has a template for each receipt kind");

    write(dir.file("kitchen.receipt"), "x\n");
    std::filesystem::remove(dir.file("sael.receipt"));
    write(dir.file("z_report.receipt"), "z\n");
    auto good = TemplateSet::load(dir.path());
    REQUIRE(good.set);
    CHECK(good.set->language_of("sale", "de-AT") == "de");
    CHECK(good.set->language_of("sale", "fr-FR") == "");
    CHECK(good.set->language_of("refund", "de-DE") == "");
}

TEST_CASE("a list index too large for a number prints nothing instead of throwing", "[template]") {
    auto t = ReceiptTemplate::parse("Line {{order.lines.99999999999999999999999.name}}|", "sale.receipt", kRoots,
                                    "/nonexistent");
    REQUIRE(t);
    till::sdk::Value data = till::sdk::Value::map();
    till::sdk::Value order = till::sdk::Value::map();
    till::sdk::Value line = till::sdk::Value::map();
    line.set("name", "Tea");
    till::sdk::Value lines = till::sdk::Value::list();
    lines.push_back(line);
    order.set("lines", lines);
    data.set("order", order);
    till::sdk::Result<till::sdk::Receipt> receipt = till::sdk::Error{"unset", ""};
    REQUIRE_NOTHROW(receipt = t->render(data, RenderOptions{}));
    REQUIRE(receipt);
    REQUIRE(receipt->blocks.size() == 1);
    CHECK(std::get<till::sdk::TextBlock>(receipt->blocks[0]).text == "Line |");
}
