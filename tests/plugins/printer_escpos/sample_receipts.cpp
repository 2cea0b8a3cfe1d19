#include "sample_receipts.hpp"

namespace till::test {
namespace {

using namespace till::sdk;

Column item(const std::string& t) {
    return Column::fill(t);
}
Column qty(const std::string& t) {
    return Column::chars(t, 3, TextAlign::right);
}
Column amount(const std::string& t) {
    return Column::chars(t, 9, TextAlign::right);
}

void header(Receipt& r, const std::string& title) {
    r.image(sample_logo(64, 16));
    r.text("Café Zürich", TextAlign::center, TextStyle{.bold = true, .double_width = true, .double_height = true});
    r.text("Hauptstraße 1, 8001 Zürich\nVAT CHE-123.456.789", TextAlign::center);
    r.text(title, TextAlign::center, TextStyle{.bold = true, .underline = true});
    r.rule();
}

}  // namespace

ImageBlock sample_logo(int width_dots, int height_dots) {
    ImageBlock im;
    im.width_dots = width_dots;
    im.height_dots = height_dots;
    im.row_bytes = (width_dots + 7) / 8;
    for (int y = 0; y < height_dots; ++y)
        for (int x = 0; x < im.row_bytes; ++x) im.bits.push_back(static_cast<std::uint8_t>((x + y) % 2 ? 0xAA : 0x55));
    return im;
}

Receipt sale_with_items(int item_lines) {
    Receipt r;
    r.kind = std::string(receipt_kind::sale);
    r.job_id = "sale-bench";
    r.text("Café Zürich", TextAlign::center, TextStyle{.bold = true, .double_width = true});
    r.text("Hauptstraße 1, 8001 Zürich", TextAlign::center);
    r.rule();
    for (int i = 0; i < item_lines; ++i)
        r.columns({item("Crème brûlée nº " + std::to_string(i + 1)), qty("2"), amount("€ 13.80")});
    r.rule('=');
    r.columns({item("TOTAL"), amount("€ 303.60")}, TextStyle{.bold = true});
    r.columns({item("Card"), amount("€ 303.60")});
    r.text("Danke schön — “merci” !", TextAlign::center);
    r.barcode(BarcodeSymbology::code128, "S0042-000123");
    r.cut();
    return r;
}

std::vector<SampleReceipt> sample_receipts() {
    std::vector<SampleReceipt> out;
    {
        Receipt r;
        r.kind = std::string(receipt_kind::sale);
        r.job_id = "sale-0042-1";
        header(r, "RECEIPT 0042");
        r.columns({item("Espresso"), qty("2"), amount("€ 7.00")});
        r.columns({item("Croissant au beurre, très croustillant"), qty("1"), amount("€ 3.20")});
        r.columns({item("Rösti mit Spiegelei"), qty("1"), amount("€ 18.50")});
        r.rule('=');
        r.columns({item("TOTAL"), amount("€ 28.70")}, TextStyle{.bold = true, .double_height = true});
        r.columns({item("VAT 8.1% incl."), amount("€ 2.15")});
        r.columns({item("Card Visa ****4242"), amount("€ 20.00")});
        r.columns({item("Cash"), amount("€ 8.70")});
        r.feed(1);
        r.text("Merci et à bientôt !", TextAlign::center);
        r.barcode(BarcodeSymbology::ean13, "400638133393");
        r.qr("https://till.example/r/0042?t=abc", QrErrorLevel::medium, 5);
        r.drawer_pulse();
        r.cut();
        out.push_back({"sale", 42, r});
    }
    {
        Receipt r;
        r.kind = std::string(receipt_kind::refund);
        r.job_id = "refund-0043-1";
        header(r, "REFUND 0043");
        r.text("Original: RECEIPT 0042", TextAlign::left);
        r.columns({item("Espresso"), qty("-1"), amount("€ -3.50")});
        r.rule('=');
        r.columns({item("REFUND TOTAL"), amount("€ -3.50")}, TextStyle{.bold = true});
        r.columns({item("Card Visa ****4242"), amount("€ -3.50")});
        r.text("Customer signature:\n\n________________________", TextAlign::left);
        r.barcode(BarcodeSymbology::code128, "R0043");
        r.cut(CutKind::full);
        out.push_back({"refund", 42, r});
    }
    {
        Receipt r;
        r.kind = std::string(receipt_kind::exchange);
        r.job_id = "exchange-0044-1";
        header(r, "EXCHANGE 0044");
        r.text("Returned", TextAlign::left, TextStyle{.underline = true});
        r.columns({item("T-shirt “Zürich” M"), qty("-1"), amount("€ -25.00")});
        r.text("Taken", TextAlign::left, TextStyle{.underline = true});
        r.columns({item("T-shirt “Zürich” L"), qty("1"), amount("€ 25.00")});
        r.rule('=');
        r.columns({item("BALANCE"), amount("€ 0.00")}, TextStyle{.bold = true});
        r.barcode(BarcodeSymbology::code128, "12345678");
        r.cut();
        out.push_back({"exchange", 48, r});
    }
    for (const bool z : {false, true}) {
        Receipt r;
        r.kind = std::string(z ? receipt_kind::z_report : receipt_kind::x_report);
        r.job_id = z ? "z-2026-01-15-reg1" : "x-2026-01-15-1430-reg1";
        r.text(z ? "Z REPORT #118" : "X REPORT", TextAlign::center, TextStyle{.bold = true, .double_height = true});
        r.text("Register 1 — 15.01.2026 14:30", TextAlign::center);
        r.rule();
        r.columns({item("Sales"), qty("42"), amount("1,234.50")});
        r.columns({item("Refunds"), qty("2"), amount("-12.00")});
        r.columns({item("Net"), amount("1,222.50")}, TextStyle{.bold = true});
        r.rule();
        r.columns({Column::fill("Tender"), Column::fill("Expected", TextAlign::right),
                   Column::fill("Counted", TextAlign::right)});
        r.columns(
            {Column::fill("Cash"), Column::fill("402.10", TextAlign::right), Column::fill("402.00", TextAlign::right)});
        r.columns(
            {Column::fill("Card"), Column::fill("820.40", TextAlign::right), Column::fill("820.40", TextAlign::right)});
        r.columns({item("Difference"), amount("-0.10")});
        r.rule('=');
        if (z) r.text("Register closed. Counter reset.", TextAlign::center);
        r.cut(CutKind::full);
        out.push_back({z ? "z_report" : "x_report", 32, r});
    }
    {
        Receipt r;
        r.kind = std::string(receipt_kind::kitchen);
        r.job_id = "kitchen-0042-1";
        r.text("TABLE 12", TextAlign::center, TextStyle{.bold = true, .double_width = true, .double_height = true});
        r.text("Order 0042 · 12:31 · Anna", TextAlign::center);
        r.rule();
        r.columns({Column::chars("2x", 3), Column::fill("Rösti mit Spiegelei")}, TextStyle{.double_height = true});
        r.columns({Column::chars("", 3), Column::fill("- no onions\n- extra crispy")});
        r.columns({Column::chars("1x", 3), Column::fill("Salade niçoise")}, TextStyle{.double_height = true});
        r.rule();
        r.feed(2);
        r.cut();
        out.push_back({"kitchen", 42, r});
    }
    {
        Receipt r;
        r.kind = std::string(receipt_kind::cash_movement);
        r.job_id = "cash-out-17";
        r.text("CASH OUT", TextAlign::center, TextStyle{.bold = true, .double_width = true});
        r.rule();
        r.columns({item("Reason"), Column::fill("Supplier: Bäckerei Müller", TextAlign::right, 2)});
        r.columns({item("Amount"), amount("€ 45.00")}, TextStyle{.bold = true});
        r.columns({item("By"), Column::fill("Anna (cashier 3)", TextAlign::right, 2)});
        r.drawer_pulse(0, 100, 100);
        r.cut();
        out.push_back({"cash_movement", 32, r});
    }
    return out;
}

}  // namespace till::test
