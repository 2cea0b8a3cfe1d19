// printer_file test page and route handler, on a real FilePrinter.
#include <catch2/catch.hpp>

#include "file_printer.hpp"
#include "support/temp_dir.hpp"
#include "test_print.hpp"
#include "text_renderer.hpp"

using namespace till::printer_file;
using till::sdk::DeviceErrorCode;
using till::sdk::DeviceState;
using till::sdk::HttpRequest;

namespace {

std::size_t count_lines(const std::string& text) { return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')); }

}  // namespace

TEST_CASE("a test print from closed runs the whole lifecycle and closes again") {
    till::test::TempDir dir;
    auto printer = std::make_shared<FilePrinter>(FilePrinterOptions{"p1", 24});
    printer->set_output(dir.file("receipts.txt"), nullptr);
    auto job = test_page(*printer);
    REQUIRE(print_through_lifecycle(*printer, job, 100).ok());
    CHECK(printer->state() == DeviceState::closed);
    const std::string text = till::test::read_file(dir.file("receipts.txt"));
    CHECK(count_lines(text) == render_job(job, 24).size());
    CHECK(text.find("123456789012345678901234\n") != std::string::npos);
}

TEST_CASE("a test print reuses an existing claim and leaves the device as found") {
    till::test::TempDir dir;
    FilePrinter printer(FilePrinterOptions{"p1", 24});
    printer.set_output(dir.file("receipts.txt"), nullptr);
    REQUIRE(printer.open().ok());
    REQUIRE(printer.claim(0).ok());
    REQUIRE(print_through_lifecycle(printer, test_page(printer), 100).ok());
    CHECK(printer.state() == DeviceState::claimed);
}

TEST_CASE("a failed claim undoes the open") {
    till::test::TempDir dir;
    FilePrinter holder(FilePrinterOptions{"holder", 24});
    holder.set_output(dir.file("receipts.txt"), nullptr);
    REQUIRE(holder.open().ok());
    REQUIRE(holder.claim(0).ok());
    FilePrinter printer(FilePrinterOptions{"p1", 24});
    printer.set_output(dir.file("receipts.txt"), nullptr);
    auto r = print_through_lifecycle(printer, test_page(printer), 20);
    CHECK(r.code == DeviceErrorCode::claimed);
    CHECK(printer.state() == DeviceState::closed);
}

TEST_CASE("the route answers printed_lines, 404 for another id, 409 when claimed elsewhere") {
    till::test::TempDir dir;
    auto printer = std::make_shared<FilePrinter>(FilePrinterOptions{"p1", 30});
    printer->set_output(dir.file("receipts.txt"), nullptr);
    TestPrintRoute route(printer, 20);
    HttpRequest request;
    request.method = till::sdk::HttpMethod::post;
    request.path_params["device_id"] = "p1";
    auto ok = route(request);
    CHECK(ok.status == 200);
    const auto lines = render_job(test_page(*printer), 30).size();
    CHECK(ok.body == "{\"printed_lines\":" + std::to_string(lines) + "}");

    request.path_params["device_id"] = "nope";
    auto missing = route(request);
    CHECK(missing.status == 404);
    CHECK(missing.content_type == "application/problem+json");
    CHECK(missing.body.find("nope") != std::string::npos);

    FilePrinter holder(FilePrinterOptions{"holder", 30});
    holder.set_output(dir.file("receipts.txt"), nullptr);
    REQUIRE(holder.open().ok());
    REQUIRE(holder.claim(0).ok());
    request.path_params["device_id"] = "p1";
    auto busy = route(request);
    CHECK(busy.status == 409);
    CHECK(busy.body.find("claimed") != std::string::npos);
}
