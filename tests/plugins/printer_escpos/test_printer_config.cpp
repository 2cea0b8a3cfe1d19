// Printer entries and the plugin config: every mistake named with its path.
#include <catch2/catch.hpp>

#include "printer_config.hpp"

using namespace till::printer_escpos;
using till::sdk::Value;

TEST_CASE("printer entries for the three transports") {
    PrinterConfig defaults;
    auto tcp = parse_printer_spec("receipt-1=tcp://192.0.2.10", defaults, "p");
    REQUIRE(tcp.ok());
    CHECK(tcp->transport == TransportKind::tcp);
    CHECK(tcp->host == "192.0.2.10");
    CHECK(tcp->port == 9100);
    CHECK(tcp->status);

    auto opts = parse_printer_spec("k=tcp://printer.local:9101?columns=32&code_page=cp437&status=off", defaults, "p");
    REQUIRE(opts.ok());
    CHECK(opts->port == 9101);
    CHECK(opts->columns == 32);
    CHECK(opts->paper_dots == 384);
    CHECK(opts->code_page == CodePage::cp437);
    CHECK_FALSE(opts->status);

    auto v6 = parse_printer_spec("k=tcp://[::1]:9100", defaults, "p");
    REQUIRE(v6.ok());
    CHECK(v6->host == "::1");

    auto dev = parse_printer_spec("usb=device:/dev/usb/lp0", defaults, "p");
    REQUIRE(dev.ok());
    CHECK(dev->transport == TransportKind::device);
    CHECK(dev->path == "/dev/usb/lp0");

    auto file = parse_printer_spec("preview=file:receipts", defaults, "p");
    REQUIRE(file.ok());
    CHECK(file->transport == TransportKind::file);
    CHECK(file->path == "receipts");
}

TEST_CASE("bad printer entries are refused with the entry's path") {
    PrinterConfig d;
    const std::string where = "printer_escpos.printers[2]";
    CHECK(parse_printer_spec("tcp://x", d, where).error().message.find(where + ": expected ID=") == 0);
    CHECK(parse_printer_spec("a b=file:x", d, where).error().message.find("printer id \"a b\"") != std::string::npos);
    CHECK(parse_printer_spec("a=usb:x", d, where).error().message.find("unknown transport") != std::string::npos);
    CHECK(parse_printer_spec("a=tcp://h:0", d, where).error().message.find("must be 1..65535") != std::string::npos);
    CHECK(parse_printer_spec("a=device:lp0", d, where).error().message.find("absolute path") != std::string::npos);
    CHECK(parse_printer_spec("a=file:x?columns=10", d, where).error().message ==
          where + ": option columns=10: expected an integer 20..80");
    CHECK(parse_printer_spec("a=file:x?speed=9", d, where).error().message.find("unknown option \"speed\"") !=
          std::string::npos);
    CHECK(parse_printer_spec("a=file:x?code_page=cp1251", d, where).error().message.find("one of cp437") !=
          std::string::npos);
}

TEST_CASE("the plugin config: defaults, duplicates, the drawer's printer") {
    Value config = Value::map();
    Value printers = Value::list();
    printers.push_back("a=file:a");
    printers.push_back("b=tcp://127.0.0.1");
    config.set("printers", printers);
    config.set("columns", 48);
    config.set("code_page", "wpc1252");
    Value drawer = Value::map();
    drawer.set("enabled", true);
    config.set("drawer", drawer);
    auto parsed = parse_plugin_config(config);
    REQUIRE(parsed.ok());
    CHECK(parsed->printers[1].columns == 48);
    CHECK(parsed->printers[1].code_page == CodePage::wpc1252);
    CHECK(parsed->drawer.printer == "a");

    drawer.set("printer", "zz");
    config.set("drawer", drawer);
    CHECK(parse_plugin_config(config).error().message.find("printer_escpos.drawer.printer") == 0);

    printers.push_back("a=file:again");
    config.set("printers", printers);
    CHECK(parse_plugin_config(config).error().message == "printer_escpos.printers[2]: printer id \"a\" is used twice");

    config.set("printers", Value::list());
    CHECK(parse_plugin_config(config).error().message.find("needs at least one printer") != std::string::npos);
}
