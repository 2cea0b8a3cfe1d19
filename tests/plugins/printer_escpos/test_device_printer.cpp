// The device-file transport through a pseudo-terminal: the test holds the
// master side (the "printer"), the printer opens the slave path as it would
// open /dev/usb/lp0 or a serial port.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <mutex>
#include <thread>

#include "escpos_decoder.hpp"
#include "escpos_encoder.hpp"
#include "escpos_printer.hpp"
#include "realtime_status.hpp"

namespace {

using namespace till::printer_escpos;

/// The master side of a pty, read on its own thread; answers DLE EOT with
/// `status` (4 bytes) unless empty.
class PtyPrinter {
public:
    explicit PtyPrinter(std::string status) : status_(std::move(status)) {
        master_ = ::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
        REQUIRE(master_ >= 0);
        REQUIRE(::grantpt(master_) == 0);
        REQUIRE(::unlockpt(master_) == 0);
        path_ = ::ptsname(master_);
        // Hold the slave open too, so the master never sees a hang-up between jobs.
        slave_ = ::open(path_.c_str(), O_RDWR | O_NOCTTY | O_CLOEXEC);
        REQUIRE(slave_ >= 0);
        thread_ = std::thread([this] { run(); });
    }
    ~PtyPrinter() {
        stop_ = true;
        thread_.join();
        ::close(slave_);
        ::close(master_);
    }
    const std::string& path() const { return path_; }
    std::string received() {
        std::lock_guard lock(mutex_);
        return received_;
    }
    bool wait_bytes(std::size_t n, int timeout_ms) {
        const auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
        while (std::chrono::steady_clock::now() < end) {
            {
                std::lock_guard lock(mutex_);
                if (received_.size() >= n) return true;
            }
            pollfd none{-1, 0, 0};
            ::poll(&none, 0, 5);  // bounded wait between looks
        }
        return false;
    }

private:
    void run() {
        char buf[4096];
        while (!stop_) {
            pollfd p{master_, POLLIN, 0};
            if (::poll(&p, 1, 20) <= 0 || !(p.revents & POLLIN)) continue;
            const ssize_t n = ::read(master_, buf, sizeof buf);
            if (n <= 0) continue;
            std::lock_guard lock(mutex_);
            received_.append(buf, static_cast<std::size_t>(n));
            for (ssize_t i = 0; i + 2 < n; ++i)
                if (buf[i] == 0x10 && buf[i + 1] == 0x04 && status_.size() == 4)
                    (void)!::write(master_, &status_[static_cast<std::size_t>(buf[i + 2] - 1)], 1);
        }
    }

    std::string status_;
    int master_ = -1;
    int slave_ = -1;
    std::string path_;
    std::atomic<bool> stop_{false};
    std::mutex mutex_;
    std::string received_;
    std::thread thread_;
};

PrinterConfig device_config(const std::string& path, bool status) {
    PrinterConfig c;
    c.id = "usb-1";
    c.transport = TransportKind::device;
    c.path = path;
    c.status = status;
    c.status_timeout_ms = 500;
    return c;
}

}  // namespace

TEST_CASE("a device printer gets the exact bytes, unchanged by the terminal layer") {
    PtyPrinter pty(std::string(4, '\x12'));
    EscposPrinter printer(device_config(pty.path(), true));
    REQUIRE(printer.open().ok());
    REQUIRE(printer.claim(0).ok());
    REQUIRE(printer.enable().ok());
    till::sdk::Receipt r;
    r.text("Line one\nLine two").feed(2).cut();
    REQUIRE(printer.print_receipt(r, 3000).ok());
    auto expected = encode_receipt(r, {42, CodePage::cp858, 576});
    REQUIRE(expected.ok());
    REQUIRE(pty.wait_bytes(12 + expected->bytes.size(), 3000));
    const std::string got = pty.received();
    CHECK(got.substr(0, 12) == status_request());
    CHECK(got.substr(12) == expected->bytes);  // LF stays LF: the transport made the line raw
    CHECK(printer.description().find("device " + pty.path()) != std::string::npos);
}

TEST_CASE("a device printer reports its status, and a missing device is offline") {
    PtyPrinter pty(std::string("\x1A\x16\x12\x12", 4));
    EscposPrinter printer(device_config(pty.path(), true));
    REQUIRE(printer.open().ok());
    REQUIRE(printer.claim(0).ok());
    REQUIRE(printer.enable().ok());
    const auto st = printer.printer_status(1000);
    CHECK(st.cover_open);
    CHECK_FALSE(st.online);
    auto r = printer.print_receipt(till::sdk::Receipt().text("x"), 2000);
    CHECK(r.extended_code == till::sdk::kPrinterExtendedCoverOpen);

    EscposPrinter missing(device_config("/dev/nonexistent-printer-lp9", false));
    REQUIRE(missing.open().ok());
    REQUIRE(missing.claim(0).ok());
    REQUIRE(missing.enable().ok());
    auto m = missing.print_receipt(till::sdk::Receipt().text("x"), 1000);
    CHECK(m.code == till::sdk::DeviceErrorCode::offline);
    CHECK(m.message.find("/dev/nonexistent-printer-lp9") != std::string::npos);
}
