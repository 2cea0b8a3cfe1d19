// The real built plugin (.so) loaded by the kernel's PluginHost: its
// manifest schema fills the defaults, its printers and drawer are registered
// devices, and a Receipt printed through ReceiptPrinter lands in the files
// and on the network printer.
#include <catch2/catch.hpp>

#include "escpos_decoder.hpp"
#include "escpos_plugin_rig.hpp"
#include "printer_listener.hpp"
#include "sample_receipts.hpp"

namespace {

using namespace till::sdk;

Value config_with(std::vector<std::string> printers) {
    Value config = Value::map();
    Value list = Value::list();
    for (auto& p : printers) list.push_back(std::move(p));
    config.set("printers", list);
    return config;
}

std::shared_ptr<ReceiptPrinter> ready(const std::shared_ptr<Device>& device) {
    auto printer = std::dynamic_pointer_cast<ReceiptPrinter>(device);
    REQUIRE(printer);
    REQUIRE(printer->open().ok());
    REQUIRE(printer->claim(100).ok());
    REQUIRE(printer->enable().ok());
    return printer;
}

}  // namespace

TEST_CASE("the plugin registers its printers and drawer, and prints receipts") {
    till::test::PrinterListener kitchen_printer(till::test::ListenerBehaviour{});
    till::test::EscposPluginRig rig;
    Value config = config_with(
        {"receipt-1=file:receipts?columns=32", "kitchen=tcp://127.0.0.1:" + std::to_string(kitchen_printer.port())});
    Value drawer = Value::map();
    drawer.set("enabled", true);
    config.set("drawer", drawer);
    auto started = rig.start(config);
    INFO(started.message());
    REQUIRE(started.ok());

    auto receipt_printer = ready(rig.device("receipt-1"));
    CHECK(receipt_printer->kind() == DeviceKind::printer);
    CHECK(receipt_printer->paper_width_columns() == 32);
    auto sample = till::test::sample_receipts()[5];  // kitchen ticket
    REQUIRE(sample.name == "kitchen");
    REQUIRE(receipt_printer->print_receipt(sample.receipt, 2000).ok());
    const std::string bin = till::test::read_file(rig.plugin_data_dir() + "/receipts/kitchen-0042-1.bin");
    const std::string txt = till::test::read_file(rig.plugin_data_dir() + "/receipts/kitchen-0042-1.txt");
    REQUIRE_FALSE(bin.empty());
    CHECK(till::test::decode_escpos(bin, 32).text() == txt);
    CHECK(txt.find("TABLE 12") != std::string::npos);

    auto kitchen = ready(rig.device("kitchen"));
    REQUIRE(kitchen->print_receipt(sample.receipt, 3000).ok());
    REQUIRE(kitchen_printer.wait_closed(1, 3000));
    CHECK(till::test::decode_escpos(kitchen_printer.received().substr(12), 42).text().find("TABLE 12") !=
          std::string::npos);

    auto cash_drawer = std::dynamic_pointer_cast<CashDrawer>(rig.device("drawer-1"));
    REQUIRE(cash_drawer);
    REQUIRE(cash_drawer->open().ok());
    REQUIRE(cash_drawer->claim(0).ok());
    REQUIRE(cash_drawer->enable().ok());
    REQUIRE(cash_drawer->open_drawer().ok());
    CHECK(cash_drawer->drawer_state() == DrawerState::unknown);  // a file printer cannot tell
    rig.stop();
}

TEST_CASE("the default config is one virtual printer and a bad entry stops the plugin with its path") {
    {
        till::test::EscposPluginRig rig;
        auto started = rig.start(Value::map());
        INFO(started.message());
        REQUIRE(started.ok());
        auto printer = ready(rig.device("receipt-1"));
        CHECK(printer->paper_width_columns() == 42);
        REQUIRE(printer->print_receipt(Receipt().text("hello").cut(), 1000).ok());
        CHECK(till::test::read_file(rig.plugin_data_dir() + "/receipts/sale-1.txt") == "hello\n- - - cut - - -\n");
    }
    {
        till::test::EscposPluginRig rig;
        auto started = rig.start(config_with({"receipt-1=usb:/dev/lp0"}));
        REQUIRE_FALSE(started.ok());
        CHECK(started.message().find("printer_escpos.printers[0]: unknown transport") != std::string::npos);
    }
}
