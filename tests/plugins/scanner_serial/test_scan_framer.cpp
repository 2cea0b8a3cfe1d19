// Bytes → scans: suffixes, prefix, split reads, overlong lines.
#include <catch2/catch.hpp>

#include "scan_framer.hpp"
#include "serial_options.hpp"

using namespace till::scanner_serial;
using Scans = std::vector<std::string>;

TEST_CASE("any suffix ends a scan at CR, LF or CRLF, without empty scans", "[framer]") {
    ScanFramer f({Suffix::any, "", 256});
    CHECK(f.feed("4006381333931\r\n5901234123457\r") == Scans{"4006381333931", "5901234123457"});
    CHECK(f.feed("\n96385074\n") == Scans{"96385074"});
}

TEST_CASE("a scan split over several reads is joined", "[framer]") {
    ScanFramer f({Suffix::crlf, "", 256});
    CHECK(f.feed("40063").empty());
    CHECK(f.feed("81333931\r").empty());
    CHECK(f.feed("\n") == Scans{"4006381333931"});
}

TEST_CASE("with crlf a lone CR is data, with cr a trailing LF is not", "[framer]") {
    ScanFramer crlf({Suffix::crlf, "", 256});
    CHECK(crlf.feed("A\rB\r\n") == Scans{"A\rB"});
    ScanFramer cr({Suffix::cr, "", 256});
    CHECK(cr.feed("123\r\n456\r") == Scans{"123", "456"});
    ScanFramer lf({Suffix::lf, "", 256});
    CHECK(lf.feed("123\r\n") == Scans{"123"});
}

TEST_CASE("the configured prefix is stripped only where it is", "[framer]") {
    ScanFramer f({Suffix::any, "]E0", 256});
    CHECK(f.feed("]E04006381333931\nCOFFEE\n") == Scans{"4006381333931", "COFFEE"});
}

TEST_CASE("a line longer than max_length is dropped whole and counted", "[framer]") {
    ScanFramer f({Suffix::any, "", 5});
    CHECK(f.feed("123456789\n12345\n") == Scans{"12345"});
    CHECK(f.overlong_dropped() == 1);
}

TEST_CASE("flush ends an unterminated scan", "[framer]") {
    ScanFramer f({Suffix::crlf, "", 256});
    CHECK(f.feed("COFFEE").empty());
    CHECK(f.flush() == Scans{"COFFEE"});
    CHECK(f.flush().empty());
}

TEST_CASE("symbology is guessed from the shape of the data", "[framer]") {
    CHECK(guess_symbology("4006381333931") == "ean13");
    CHECK(guess_symbology("036000291452") == "upca");
    CHECK(guess_symbology("96385074") == "ean8");
    CHECK(guess_symbology("COFFEE").empty());
}

TEST_CASE("config errors name the key", "[options]") {
    till::sdk::Value config = till::sdk::Value::map();
    auto missing = serial_options_from(config);
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.error().message.find("scanner_serial.path") != std::string::npos);
    config.set("path", "/dev/ttyUSB0");
    config.set("baud", 12345);
    auto baud = serial_options_from(config);
    REQUIRE_FALSE(baud.ok());
    CHECK(baud.error().message.find("scanner_serial.baud: 12345 is not a standard speed") != std::string::npos);
    config.set("baud", 115200);
    config.set("suffix", "crlf");
    auto good = serial_options_from(config);
    REQUIRE(good.ok());
    CHECK(good->baud == 115200);
    CHECK(good->framer.suffix == Suffix::crlf);
    till::sdk::Value tcp = till::sdk::Value::map();
    tcp.set("source", "tcp");
    CHECK(serial_options_from(tcp).ok());  // no path needed
}
