// The real scanner_hid .so reading a FIFO of `struct input_event` records,
// as a USB scanner's /dev/input/eventN delivers them.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <linux/input.h>
#include <sys/stat.h>
#include <unistd.h>

#include "scanner_rig.hpp"

using namespace till;
using till::test::ScanCollector;
using till::test::ScannerPluginRig;

namespace {

/// The writing end of the FIFO: key presses as input_event records with
/// the EV_MSC / EV_SYN records a real keyboard sends around them.
class KeyWriter {
public:
    explicit KeyWriter(const std::string& path) : fd_(::open(path.c_str(), O_WRONLY)) { REQUIRE(fd_ >= 0); }
    ~KeyWriter() { ::close(fd_); }
    void key(int code, int value) {
        events_.push_back(event(EV_MSC, MSC_SCAN, 0x70000 + code));
        events_.push_back(event(EV_KEY, code, value));
        events_.push_back(event(EV_SYN, SYN_REPORT, 0));
    }
    void tap(int code, bool shifted = false) {
        if (shifted) key(KEY_LEFTSHIFT, 1);
        key(code, 1);
        key(code, 0);
        if (shifted) key(KEY_LEFTSHIFT, 0);
    }
    /// Writes what was queued, in chunks that split records, as reads may.
    void flush() {
        const auto* bytes = reinterpret_cast<const char*>(events_.data());
        std::size_t left = events_.size() * sizeof(input_event);
        while (left > 0) {
            const std::size_t chunk = std::min<std::size_t>(left, 37);
            REQUIRE(::write(fd_, bytes, chunk) == static_cast<ssize_t>(chunk));
            bytes += chunk;
            left -= chunk;
        }
        events_.clear();
    }

private:
    static input_event event(int type, int code, int value) {
        input_event e{};
        e.type = static_cast<__u16>(type);
        e.code = static_cast<__u16>(code);
        e.value = value;
        return e;
    }
    int fd_;
    std::vector<input_event> events_;
};

const int kDigits[] = {KEY_0, KEY_1, KEY_2, KEY_3, KEY_4, KEY_5, KEY_6, KEY_7, KEY_8, KEY_9};

struct HidRig {
    ScannerPluginRig rig{"scanner_hid"};
    std::string fifo;
    std::shared_ptr<sdk::Scanner> scanner;
    ScanCollector scans;

    explicit HidRig(sdk::Value config) {
        fifo = rig.dir().file("event-kbd.fifo");
        REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
        config.set("device_id", "scanner-1");
        config.set("path", fifo);
        auto started = rig.start(config);
        INFO(started.message());
        REQUIRE(started.ok());
        scanner = rig.scanner("scanner-1");
        REQUIRE(scanner);
        scanner->set_scan_handler(scans.handler());
        till::test::enable_scanner(*scanner);
    }
};

}  // namespace

TEST_CASE("key presses from an input device become scans (us layout, Enter suffix)", "[hid]") {
    HidRig h(sdk::Value::map());
    KeyWriter w(h.fifo);
    for (char c : std::string("4006381333931")) w.tap(kDigits[c - '0']);
    w.tap(KEY_ENTER);
    for (int code : {KEY_C, KEY_O, KEY_F, KEY_F, KEY_E, KEY_E}) w.tap(code, true);
    w.tap(KEY_KPENTER);
    w.flush();
    auto got = h.scans.wait_for(2);
    REQUIRE(got.size() == 2);
    CHECK(got[0].data == "4006381333931");
    CHECK(got[0].symbology == "ean13");
    CHECK(got[1].data == "COFFEE");
    auto stats = h.scanner->statistics();
    CHECK(stats.operations == 2);
    CHECK(stats.extra["grabbed"] == 0);  // a FIFO cannot be grabbed
    CHECK(h.rig.log_text().find("grab unavailable") != std::string::npos);
}

TEST_CASE("an AZERTY scanner types digits with shift", "[hid]") {
    sdk::Value config = sdk::Value::map();
    config.set("layout", "fr");
    HidRig h(config);
    KeyWriter w(h.fifo);
    for (char c : std::string("96385074")) w.tap(kDigits[c - '0'], true);
    w.tap(KEY_ENTER);
    w.tap(KEY_Q);  // 'a' on AZERTY
    w.tap(KEY_1);  // '&'
    w.tap(KEY_ENTER);
    w.flush();
    auto got = h.scans.wait_for(2);
    REQUIRE(got.size() == 2);
    CHECK(got[0].data == "96385074");
    CHECK(got[1].data == "a&");
}

TEST_CASE("without a suffix a pause ends the scan", "[hid]") {
    sdk::Value config = sdk::Value::map();
    config.set("suffix", "none");
    config.set("gap_ms", 20);
    HidRig h(config);
    KeyWriter w(h.fifo);
    for (char c : std::string("123")) w.tap(kDigits[c - '0']);
    w.flush();
    auto got = h.scans.wait_for(1);
    REQUIRE(got.size() == 1);
    CHECK(got[0].data == "123");
}

TEST_CASE("keys typed while disabled are not scans", "[hid]") {
    HidRig h(sdk::Value::map());
    KeyWriter w(h.fifo);
    REQUIRE(h.scanner->disable().ok());
    REQUIRE(h.scanner->enable().ok());
    w.tap(KEY_7);
    w.tap(KEY_ENTER);
    w.flush();
    REQUIRE(h.scans.wait_for(1).size() == 1);
    REQUIRE(h.scanner->close().ok());
    CHECK(h.scanner->state() == sdk::DeviceState::closed);
    std::string report;
    CHECK(h.scanner->check_health(sdk::HealthCheckLevel::internal, report).ok());
    CHECK(h.scanner->check_health(sdk::HealthCheckLevel::interactive, report).code == sdk::DeviceErrorCode::illegal);
}

TEST_CASE("a missing input device is offline and says where to look", "[hid]") {
    ScannerPluginRig rig("scanner_hid");
    sdk::Value config = sdk::Value::map();
    config.set("path", rig.dir().file("no-such-event"));
    REQUIRE(rig.start(config).ok());
    auto r = rig.scanner("scanner-hid")->open();
    CHECK(r.code == sdk::DeviceErrorCode::offline);
    CHECK(r.message.find("/dev/input/by-id") != std::string::npos);
}
