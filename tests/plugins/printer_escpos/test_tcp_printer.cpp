// The printer over raw TCP against a real listener on 127.0.0.1 that
// accepts, answers DLE EOT, stalls or drops the connection mid-job.
#include <catch2/catch.hpp>

#include <chrono>

#include "escpos_decoder.hpp"
#include "escpos_drawer.hpp"
#include "escpos_encoder.hpp"
#include "escpos_printer.hpp"
#include "printer_listener.hpp"
#include "realtime_status.hpp"
#include "sample_receipts.hpp"
#include "support/temp_dir.hpp"

namespace {

using namespace till::printer_escpos;
using till::sdk::DeviceErrorCode;
using till::test::ListenerBehaviour;
using till::test::PrinterListener;

PrinterConfig tcp_config(int port, bool status = true) {
    PrinterConfig c;
    c.id = "net-1";
    c.transport = TransportKind::tcp;
    c.host = "127.0.0.1";
    c.port = port;
    c.status = status;
    c.status_timeout_ms = 500;
    c.connect_timeout_ms = 1000;
    return c;
}

std::shared_ptr<EscposPrinter> enabled_printer(const PrinterConfig& c) {
    auto p = std::make_shared<EscposPrinter>(c);
    REQUIRE(p->open().ok());
    REQUIRE(p->claim(0).ok());
    REQUIRE(p->enable().ok());
    return p;
}

/// A receipt far bigger than the socket buffers: a 576 x 1200 dot logo (86 KB).
till::sdk::Receipt big_receipt() {
    till::sdk::Receipt r;
    r.job_id = "big-1";
    r.text("before the logo");
    r.image(till::test::sample_logo(576, 1200));
    r.text("after the logo");
    r.cut();
    return r;
}

std::int64_t elapsed_ms(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

TEST_CASE("a job goes to a network printer after its status says ready, one connection per job") {
    PrinterListener listener(ListenerBehaviour{});
    auto printer = enabled_printer(tcp_config(listener.port()));
    const auto receipt = till::test::sample_receipts().front().receipt;
    REQUIRE(printer->print_receipt(receipt, 3000).ok());
    REQUIRE(listener.wait_closed(1, 3000));

    auto expected = encode_receipt(receipt, {42, CodePage::cp858, 576});
    REQUIRE(expected.ok());
    const std::string received = listener.received();
    REQUIRE(received.size() == status_request().size() + expected->bytes.size());
    CHECK(received.substr(0, 12) == status_request());
    CHECK(received.substr(12) == expected->bytes);
    CHECK(till::test::decode_escpos(received.substr(12), 42).text() == expected->plain_text);

    REQUIRE(printer->print_receipt(receipt, 3000).ok());
    REQUIRE(listener.wait_closed(2, 3000));
    CHECK(listener.connections() == 2);
    const auto stats = printer->statistics();
    CHECK(stats.extra.at("jobs_printed") == 2);
    CHECK(stats.failures == 0);
}

TEST_CASE("cover open or paper out: the job is refused with the extended code and nothing is printed") {
    SECTION("cover open") {
        PrinterListener listener(ListenerBehaviour{std::string("\x1A\x16\x12\x12", 4)});
        auto printer = enabled_printer(tcp_config(listener.port()));
        auto r = printer->print_receipt(till::sdk::Receipt().text("x").cut(), 3000);
        CHECK(r.code == DeviceErrorCode::extended);
        CHECK(r.extended_code == till::sdk::kPrinterExtendedCoverOpen);
        CHECK(r.message.find("cover open") != std::string::npos);
        REQUIRE(listener.wait_closed(1, 3000));
        CHECK(listener.received() == status_request());
        CHECK(printer->statistics().failures == 1);
    }
    SECTION("paper out") {
        PrinterListener listener(ListenerBehaviour{std::string("\x1A\x32\x12\x72", 4)});
        auto printer = enabled_printer(tcp_config(listener.port()));
        auto r = printer->print_receipt(till::sdk::Receipt().text("x"), 3000);
        CHECK(r.code == DeviceErrorCode::extended);
        CHECK(r.extended_code == till::sdk::kPrinterExtendedPaperOut);
        const auto st = printer->printer_status(1000);
        CHECK(st.paper_out);
        CHECK_FALSE(st.online);
    }
}

TEST_CASE("a printer that never answers DLE EOT: refused within the status timeout unless status is off") {
    PrinterListener listener(ListenerBehaviour{""});
    auto printer = enabled_printer(tcp_config(listener.port()));
    const auto start = std::chrono::steady_clock::now();
    auto r = printer->print_receipt(till::sdk::Receipt().text("x"), 5000);
    CHECK(r.code == DeviceErrorCode::offline);
    CHECK(r.message.find("no status answer within 500 ms") != std::string::npos);
    CHECK(elapsed_ms(start) < 3000);

    auto quiet = enabled_printer(tcp_config(listener.port(), false));
    CHECK(quiet->print_receipt(till::sdk::Receipt().text("x"), 3000).ok());
}

TEST_CASE("a stalled printer: the write times out within the job's timeout and the job is not reported printed") {
    ListenerBehaviour stall;
    stall.stall_after_bytes = 2000;
    stall.receive_buffer_bytes = 4096;
    PrinterListener listener(stall);
    auto config = tcp_config(listener.port(), false);
    config.send_buffer_bytes = 4096;
    auto printer = enabled_printer(config);

    const auto start = std::chrono::steady_clock::now();
    auto r = printer->print_receipt(big_receipt(), 400);
    const auto took = elapsed_ms(start);
    CHECK(r.code == DeviceErrorCode::timeout);
    CHECK(r.message.find("stopped taking data") != std::string::npos);
    CHECK(r.message.find("may have printed") != std::string::npos);
    CHECK(took >= 350);
    CHECK(took < 2000);
    CHECK(printer->statistics().extra.at("jobs_printed") == 0);
}

TEST_CASE("a printer that drops the connection mid-job: an error, never a success") {
    ListenerBehaviour drop;
    drop.drop_after_bytes = 3000;
    drop.receive_buffer_bytes = 4096;
    PrinterListener listener(drop);
    auto config = tcp_config(listener.port(), false);
    config.send_buffer_bytes = 4096;
    auto printer = enabled_printer(config);
    auto r = printer->print_receipt(big_receipt(), 5000);
    CHECK_FALSE(r.ok());
    CHECK(r.code == DeviceErrorCode::offline);
    INFO(r.message);
    CHECK(r.message.find("print job big-1: ") == 0);
    CHECK(listener.received().size() == 3000);
}

TEST_CASE("nobody listening: offline, quickly") {
    const int port = till::test::free_loopback_port();
    auto printer = enabled_printer(tcp_config(port));
    auto r = printer->print_receipt(till::sdk::Receipt().text("x"), 2000);
    CHECK(r.code == DeviceErrorCode::offline);
    CHECK(r.message.find("TCP 127.0.0.1:" + std::to_string(port)) != std::string::npos);
    const auto st = printer->printer_status(1000);
    CHECK_FALSE(st.online);
}

TEST_CASE("printing needs the device enabled and print(PrintJob) still works") {
    PrinterListener listener(ListenerBehaviour{});
    auto printer = std::make_shared<EscposPrinter>(tcp_config(listener.port()));
    CHECK(printer->print_receipt(till::sdk::Receipt().text("x"), 1000).code == DeviceErrorCode::closed);
    REQUIRE(printer->open().ok());
    REQUIRE(printer->claim(0).ok());
    CHECK(printer->print_receipt(till::sdk::Receipt().text("x"), 1000).code == DeviceErrorCode::disabled);
    REQUIRE(printer->enable().ok());
    CHECK(printer->print_receipt(till::sdk::Receipt(), -1).code == DeviceErrorCode::illegal);

    till::sdk::PrintJob job;
    job.job_id = "legacy-1";
    job.lines = {{"Title", till::sdk::PrintLine::Align::center, till::sdk::PrintLine::Style::bold}, {"body"}};
    job.barcode = "4006381333931";
    job.open_drawer = true;
    REQUIRE(printer->print(job, 3000).ok());
    REQUIRE(listener.wait_closed(1, 3000));
    const auto decoded = till::test::decode_escpos(listener.received().substr(12), 42);
    CHECK(decoded.text() ==
          "                  Title\nbody\n         [EAN-13: 4006381333931]\n[drawer]\n- - - cut - - -\n");
    REQUIRE_FALSE(decoded.lines.empty());
    CHECK(decoded.lines[0].bold);
}

TEST_CASE("the cash drawer pulses through the printer and reads its sensor from DLE EOT 1") {
    PrinterListener listener(ListenerBehaviour{std::string("\x16\x12\x12\x12", 4)});  // pin 3 high
    auto printer = enabled_printer(tcp_config(listener.port()));
    DrawerConfig dc;
    dc.enabled = true;
    dc.pin = 1;
    dc.on_ms = 50;
    dc.off_ms = 200;
    EscposDrawer drawer(dc, printer);
    CHECK(drawer.open_drawer().code == DeviceErrorCode::closed);
    REQUIRE(drawer.open().ok());
    REQUIRE(drawer.claim(0).ok());
    REQUIRE(drawer.enable().ok());
    REQUIRE(drawer.open_drawer().ok());
    REQUIRE(listener.wait_closed(1, 3000));
    CHECK(listener.received() == std::string("\x1Bp\x01\x19\x64", 5));
    CHECK(drawer.drawer_state() == till::sdk::DrawerState::open);
    printer->set_drawer_sensor(DrawerSensor::open_when_low);
    CHECK(drawer.drawer_state() == till::sdk::DrawerState::closed);
    CHECK(drawer.statistics().extra.at("pulses") == 1);
}
