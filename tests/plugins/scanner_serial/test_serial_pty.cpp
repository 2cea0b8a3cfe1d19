// The real scanner_serial .so reading a pseudo-terminal (a serial port as
// far as termios is concerned) and a FIFO.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <cstdlib>

#include "scanner_rig.hpp"

using namespace till;
using till::test::ScanCollector;
using till::test::ScannerPluginRig;

namespace {

/// The master side of a pseudo-terminal; the slave's path is what the
/// plugin opens as its serial port.
struct Pty {
    int master = -1;
    std::string slave_path;
    Pty() {
        master = ::posix_openpt(O_RDWR | O_NOCTTY);
        REQUIRE(master >= 0);
        REQUIRE(::grantpt(master) == 0);
        REQUIRE(::unlockpt(master) == 0);
        slave_path = ::ptsname(master);
    }
    ~Pty() {
        if (master >= 0) ::close(master);
    }
    void write(const std::string& bytes) const { REQUIRE(::write(master, bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size())); }
};

sdk::Value pty_config(const std::string& path) {
    sdk::Value c = sdk::Value::map();
    c.set("device_id", "scanner-1");
    c.set("path", path);
    c.set("baud", 19200);
    c.set("suffix", "crlf");
    c.set("prefix", "]E0");
    return c;
}

}  // namespace

TEST_CASE("scans typed into a serial port reach the handler without prefix and suffix", "[serial]") {
    Pty pty;
    ScannerPluginRig rig("scanner_serial");
    REQUIRE(rig.start(pty_config(pty.slave_path)).ok());
    auto scanner = rig.scanner("scanner-1");
    REQUIRE(scanner);
    CHECK(scanner->kind() == sdk::DeviceKind::scanner);
    CHECK(scanner->description().find(pty.slave_path + " 19200 8N1") != std::string::npos);

    ScanCollector scans;
    scanner->set_scan_handler(scans.handler());
    till::test::enable_scanner(*scanner);

    pty.write("]E04006381333931\r\n]E05901");
    pty.write("234123457\r\nCOFFEE\r\n");
    auto got = scans.wait_for(3);
    REQUIRE(got.size() == 3);
    CHECK(got[0].data == "4006381333931");
    CHECK(got[0].symbology == "ean13");
    CHECK(got[0].time_utc_ms > 0);
    CHECK(got[1].data == "5901234123457");
    CHECK(got[2].data == "COFFEE");
    CHECK(got[2].symbology.empty());

    auto stats = scanner->statistics();
    CHECK(stats.operations == 3);
    CHECK(stats.extra["scans"] == 3);
    CHECK(stats.extra["bytes_read"] > 30);
    std::string report;
    CHECK(scanner->check_health(sdk::HealthCheckLevel::external, report).ok());
}

TEST_CASE("the port is raw: no echo, no line editing, 8 data bits", "[serial]") {
    Pty pty;
    ScannerPluginRig rig("scanner_serial");
    auto config = pty_config(pty.slave_path);
    config.set("parity", "even");
    config.set("stop_bits", 2);
    REQUIRE(rig.start(config).ok());
    auto scanner = rig.scanner("scanner-1");
    ScanCollector scans;
    scanner->set_scan_handler(scans.handler());
    till::test::enable_scanner(*scanner);

    termios tio{};
    const int slave = ::open(pty.slave_path.c_str(), O_RDONLY | O_NOCTTY | O_NONBLOCK);
    // Opening the claimed port again is refused (TIOCEXCL) unless we are root.
    if (slave >= 0) {
        REQUIRE(::tcgetattr(slave, &tio) == 0);
        ::close(slave);
    } else {
        REQUIRE(::tcgetattr(pty.master, &tio) == 0);
    }
    CHECK((tio.c_lflag & (ICANON | ECHO)) == 0);
    CHECK((tio.c_cflag & CSIZE) == CS8);
    // (Linux pseudo-terminals drop PARENB; the stop bits and speed stick.)
    CHECK((tio.c_cflag & CSTOPB) != 0);
    CHECK(cfgetispeed(&tio) == B19200);

    // A backspace or ^C from the scanner is data, not line editing.
    pty.write("AB\x7f\x03""C\r\n");
    auto got = scans.wait_for(1);
    REQUIRE(got.size() == 1);
    CHECK(got[0].data == "AB\x7f\x03""C");
}

TEST_CASE("nothing is delivered while the scanner is disabled, lifecycle errors are codes", "[serial]") {
    Pty pty;
    ScannerPluginRig rig("scanner_serial");
    REQUIRE(rig.start(pty_config(pty.slave_path)).ok());
    auto scanner = rig.scanner("scanner-1");
    ScanCollector scans;
    scanner->set_scan_handler(scans.handler());

    CHECK(scanner->enable().code == sdk::DeviceErrorCode::closed);
    REQUIRE(scanner->open().ok());
    CHECK(scanner->open().code == sdk::DeviceErrorCode::illegal);
    CHECK(scanner->enable().code == sdk::DeviceErrorCode::not_claimed);
    REQUIRE(scanner->claim(1000).ok());
    CHECK(scanner->claim(-1).code == sdk::DeviceErrorCode::illegal);
    std::string report;
    CHECK(scanner->check_health(sdk::HealthCheckLevel::external, report).code == sdk::DeviceErrorCode::disabled);

    REQUIRE(scanner->enable().ok());
    pty.write("]E0111\r\n");
    REQUIRE(scans.wait_for(1).size() == 1);
    REQUIRE(scanner->disable().ok());
    CHECK(scanner->state() == sdk::DeviceState::claimed);
    pty.write("]E0222\r\n");  // typed while disabled: the terminal driver keeps it, we do not read it
    REQUIRE(scanner->release().ok());
    REQUIRE(scanner->close().ok());
    CHECK(scanner->state() == sdk::DeviceState::closed);
    CHECK(scans.scans().size() == 1);

    // Reopened: what was typed while closed is flushed, new scans arrive.
    till::test::enable_scanner(*scanner);
    pty.write("]E0333\r\n");
    auto got = scans.wait_for(2);
    REQUIRE(got.size() == 2);
    CHECK(got[1].data == "333");
}

TEST_CASE("a scan handler may disable its own scanner", "[serial]") {
    Pty pty;
    ScannerPluginRig rig("scanner_serial");
    REQUIRE(rig.start(pty_config(pty.slave_path)).ok());
    auto scanner = rig.scanner("scanner-1");
    ScanCollector scans;
    auto collect = scans.handler();
    scanner->set_scan_handler([&, collect](const sdk::ScanData& s) {
        scanner->disable();
        collect(s);
    });
    till::test::enable_scanner(*scanner);
    pty.write("]E0111\r\n]E0222\r\n");
    REQUIRE(scans.wait_for(1).size() >= 1);
    CHECK(scanner->state() == sdk::DeviceState::claimed);
    REQUIRE(scanner->close().ok());
    CHECK(scans.scans().size() == 1);  // the second scan of the same read was not delivered
}

TEST_CASE("a FIFO works as a scan source and survives writers coming and going", "[serial]") {
    ScannerPluginRig rig("scanner_serial");
    const std::string fifo = rig.dir().file("scanner.fifo");
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    sdk::Value config = sdk::Value::map();
    config.set("path", fifo);
    REQUIRE(rig.start(config).ok());
    auto scanner = rig.scanner("scanner-serial");  // the default id
    REQUIRE(scanner);
    ScanCollector scans;
    scanner->set_scan_handler(scans.handler());
    till::test::enable_scanner(*scanner);
    for (const std::string line : {"96385074\n", "036000291452\n"}) {
        const int w = ::open(fifo.c_str(), O_WRONLY);
        REQUIRE(w >= 0);
        REQUIRE(::write(w, line.data(), line.size()) == static_cast<ssize_t>(line.size()));
        ::close(w);
    }
    auto got = scans.wait_for(2);
    REQUIRE(got.size() == 2);
    CHECK(got[0].symbology == "ean8");
    CHECK(got[1].symbology == "upca");
}

TEST_CASE("a port that cannot be opened is offline with the reason", "[serial]") {
    ScannerPluginRig rig("scanner_serial");
    sdk::Value config = sdk::Value::map();
    config.set("path", rig.dir().file("no-such-tty"));
    REQUIRE(rig.start(config).ok());  // the plugin runs; the device is what fails
    auto scanner = rig.scanner("scanner-serial");
    auto r = scanner->open();
    CHECK(r.code == sdk::DeviceErrorCode::offline);
    CHECK(r.message.find("no-such-tty") != std::string::npos);
    CHECK(scanner->statistics().failures == 1);
    std::string report;
    CHECK_FALSE(scanner->check_health(sdk::HealthCheckLevel::internal, report).ok());
}

TEST_CASE("a bad config keeps the plugin from starting, naming the key", "[serial]") {
    ScannerPluginRig rig("scanner_serial");
    sdk::Value config = sdk::Value::map();
    config.set("path", "/dev/ttyUSB0");
    config.set("baud", 12345);
    auto started = rig.start(config);
    REQUIRE_FALSE(started.ok());
    CHECK(started.message().find("baud") != std::string::npos);
}
