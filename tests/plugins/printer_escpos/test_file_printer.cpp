// The virtual printer: one .bin (the ESC/POS bytes) and one .txt (what the
// paper shows) per job, written whole.
#include <catch2/catch.hpp>

#include <filesystem>

#include "escpos_decoder.hpp"
#include "escpos_printer.hpp"
#include "sample_receipts.hpp"
#include "support/temp_dir.hpp"

namespace {

using namespace till::printer_escpos;

PrinterConfig file_config(int columns, CodePage page) {
    PrinterConfig c;
    c.id = "preview";
    c.transport = TransportKind::file;
    c.path = "unused";
    c.columns = columns;
    c.paper_dots = till::sdk::paper_dots_for_columns(columns);
    c.code_page = page;
    c.status = false;
    return c;
}

}  // namespace

TEST_CASE("the file printer writes the bytes and the text of each job") {
    till::test::TempDir dir("till-escpos-file");
    EscposPrinter printer(file_config(32, CodePage::cp437));
    CHECK(printer.open().code == till::sdk::DeviceErrorCode::offline);  // no folder yet
    printer.set_output_folder(dir.file("jobs"));
    REQUIRE(printer.open().ok());
    REQUIRE(printer.claim(0).ok());
    REQUIRE(printer.enable().ok());

    auto receipt = till::test::sale_with_items(3);
    receipt.job_id = "sale 42/1";  // not a safe file name
    REQUIRE(printer.print_receipt(receipt, 1000).ok());
    const std::string bin = till::test::read_file(dir.file("jobs/sale_42_1.bin"));
    const std::string txt = till::test::read_file(dir.file("jobs/sale_42_1.txt"));
    REQUIRE_FALSE(bin.empty());
    CHECK(till::test::decode_escpos(bin, 32).text() == txt);
    CHECK(txt.find("EUR 13.80") != std::string::npos);     // CP437: the euro sign transliterated
    CHECK(txt.find("Creme brulee") == std::string::npos);  // CP437 has é and û
    CHECK(txt.find("Crème brûlée") != std::string::npos);
    CHECK(txt.find("\"merci\"") != std::string::npos);
    for (const auto& entry : std::filesystem::directory_iterator(dir.file("jobs")))
        CHECK(entry.path().extension() != ".tmp");

    receipt.job_id.clear();
    REQUIRE(printer.print_receipt(receipt, 1000).ok());
    CHECK(std::filesystem::exists(dir.file("jobs/sale-2.bin")));

    std::string report;
    CHECK(printer.check_health(till::sdk::HealthCheckLevel::external, report).ok());
    CHECK(printer.printer_status(1000).online);
}

TEST_CASE("a receipt the printer cannot print is refused with the block named, and no file is written") {
    till::test::TempDir dir("till-escpos-file");
    EscposPrinter printer(file_config(42, CodePage::cp858));
    printer.set_output_folder(dir.path());
    REQUIRE(printer.open().ok());
    REQUIRE(printer.claim(0).ok());
    REQUIRE(printer.enable().ok());
    till::sdk::Receipt r;
    r.job_id = "bad";
    r.text("x").barcode(till::sdk::BarcodeSymbology::ean13, "12345");
    auto result = printer.print_receipt(r, 1000);
    CHECK(result.code == till::sdk::DeviceErrorCode::illegal);
    CHECK(result.message == "print job bad: blocks[1] (barcode): EAN-13 needs 12 or 13 digits, got 5 characters");
    CHECK_FALSE(std::filesystem::exists(dir.file("bad.bin")));
    CHECK(printer.statistics().failures == 1);
}

TEST_CASE("a folder that cannot be written makes the job fail, not vanish") {
    till::test::TempDir dir("till-escpos-file");
    const std::string blocker = dir.write("not-a-folder", "x");
    EscposPrinter printer(file_config(42, CodePage::cp858));
    printer.set_output_folder(blocker + "/jobs");
    REQUIRE(printer.open().ok());
    REQUIRE(printer.claim(0).ok());
    REQUIRE(printer.enable().ok());
    auto result = printer.print_receipt(till::sdk::Receipt().text("x"), 1000);
    CHECK(result.code == till::sdk::DeviceErrorCode::offline);
    CHECK_FALSE(printer.printer_status(100).online);
}
