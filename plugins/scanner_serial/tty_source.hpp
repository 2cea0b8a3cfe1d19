// scanner_serial: a serial port (termios raw mode, baud/data bits/parity/stop
// bits), or anything else that reads like one: a pseudo-terminal, a FIFO, a
// character device. A FIFO is opened read-write so that writers coming and
// going never end the stream. When the device goes away (USB unplugged) it
// is reopened every reopen_ms.
#pragma once

#include <atomic>
#include <chrono>

#include "scan_source.hpp"
#include "serial_options.hpp"

namespace till::scanner_serial {

class TtySource final : public ScanSource {
public:
    explicit TtySource(const SerialOptions& options);
    ~TtySource() override;

    sdk::DeviceResult open() override;
    void close() noexcept override;
    sdk::DeviceResult lock(std::int64_t timeout_ms) override;
    void unlock() noexcept override;
    void add_poll_fds(std::vector<pollfd>& fds) override;
    int poll_timeout_ms() const override;
    void service(const std::vector<pollfd>& fds, std::size_t first, std::vector<std::string>& scans,
                 std::string& problem) override;
    std::string description() const override;
    void add_statistics(std::map<std::string, std::int64_t>& extra) const override;

private:
    sdk::DeviceResult open_fd();  ///< opens and configures fd_
    void lost(std::string& problem, const std::string& why);

    const SerialOptions options_;
    ScanFramer framer_;
    int fd_ = -1;
    bool is_tty_ = false;
    bool locked_ = false;
    std::chrono::steady_clock::time_point lost_at_{};
    // Written by the reader thread, read by statistics().
    std::atomic<std::int64_t> bytes_read_{0};
    std::atomic<std::int64_t> reopens_{0};
    std::atomic<std::int64_t> overlong_dropped_{0};
};

}  // namespace till::scanner_serial
