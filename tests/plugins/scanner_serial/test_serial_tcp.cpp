// The loopback scanner: scanner_serial with source tcp, fed over real sockets.
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "scanner_rig.hpp"

using namespace till;
using till::test::ScanCollector;
using till::test::ScannerPluginRig;

namespace {

struct Client {
    int fd = -1;
    explicit Client(int port) {
        fd = ::socket(AF_INET, SOCK_STREAM, 0);
        REQUIRE(fd >= 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        addr.sin_port = htons(static_cast<std::uint16_t>(port));
        REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    }
    ~Client() { close(); }
    void send(const std::string& bytes) const {
        REQUIRE(::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(bytes.size()));
    }
    void close() {
        if (fd >= 0) ::close(fd);
        fd = -1;
    }
};

}  // namespace

TEST_CASE("lines sent to the loopback port are scans", "[tcp]") {
    const int port = till::test::free_loopback_port();
    ScannerPluginRig rig("scanner_serial");
    sdk::Value config = sdk::Value::map();
    config.set("device_id", "loopback");
    config.set("source", "tcp");
    config.set("tcp_port", port);
    REQUIRE(rig.start(config).ok());
    auto scanner = rig.scanner("loopback");
    REQUIRE(scanner);
    ScanCollector scans;
    scanner->set_scan_handler(scans.handler());
    till::test::enable_scanner(*scanner);
    CHECK(scanner->description().find("127.0.0.1:" + std::to_string(port)) != std::string::npos);

    Client a(port);
    Client b(port);
    a.send("4006381333931\r\n40063");
    b.send("COFFEE\n");  // another client's partial line does not mix with a's
    a.send("81333931\n");
    auto got = scans.wait_for(3);
    REQUIRE(got.size() == 3);
    std::vector<std::string> data;
    for (const auto& s : got) data.push_back(s.data);
    CHECK(std::count(data.begin(), data.end(), "4006381333931") == 2);
    CHECK(std::count(data.begin(), data.end(), "COFFEE") == 1);

    // A client that closes ends its last line: `printf 123 | nc` works.
    b.send("TEA");
    b.close();
    got = scans.wait_for(4);
    REQUIRE(got.size() == 4);
    CHECK(got[3].data == "TEA");
    auto stats = scanner->statistics();
    CHECK(stats.extra["tcp_connections"] == 2);
    CHECK(stats.extra["tcp_port"] == port);
}

TEST_CASE("port 0 picks a free port shown in the statistics, close frees it", "[tcp]") {
    ScannerPluginRig rig("scanner_serial");
    sdk::Value config = sdk::Value::map();
    config.set("source", "tcp");
    REQUIRE(rig.start(config).ok());
    auto scanner = rig.scanner("scanner-serial");
    ScanCollector scans;
    scanner->set_scan_handler(scans.handler());
    till::test::enable_scanner(*scanner);
    const auto port = static_cast<int>(scanner->statistics().extra["tcp_port"]);
    REQUIRE(port > 0);
    {
        Client c(port);
        c.send("1\n");
        REQUIRE(scans.wait_for(1).size() == 1);
    }
    REQUIRE(scanner->close().ok());
    CHECK(scanner->statistics().extra["tcp_port"] == 0);
    // A second loopback scanner on the port of the first, now closed, can open.
    // (and a port in use is refused with `offline`)
    int holder = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    REQUIRE(::bind(holder, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    REQUIRE(::listen(holder, 1) == 0);
    ScannerPluginRig rig2("scanner_serial");
    config.set("tcp_port", port);
    REQUIRE(rig2.start(config).ok());
    auto busy = rig2.scanner("scanner-serial")->open();
    CHECK(busy.code == sdk::DeviceErrorCode::offline);
    CHECK(busy.message.find(std::to_string(port)) != std::string::npos);
    ::close(holder);
}
