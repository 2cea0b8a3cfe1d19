// scanner_serial: the loopback scanner. Listens on 127.0.0.1:tcp_port; every
// client sends scans as lines (the configured suffix; a connection closing
// ends its last line). Several clients may be connected at once, each with
// its own line buffer. For demos (`printf '4006381333931\r\n' | nc 127.0.0.1 PORT`)
// and tests.
#pragma once

#include <atomic>
#include <memory>

#include "scan_source.hpp"
#include "serial_options.hpp"

namespace till::scanner_serial {

class TcpSource final : public ScanSource {
public:
    explicit TcpSource(const SerialOptions& options);
    ~TcpSource() override;

    /// Binds and listens; the port stays until close().
    sdk::DeviceResult open() override;
    void close() noexcept override;
    /// The listener is ours alone once bound: nothing to wait for.
    sdk::DeviceResult lock(std::int64_t) override { return sdk::DeviceResult::success(); }
    void unlock() noexcept override {}
    void add_poll_fds(std::vector<pollfd>& fds) override;
    int poll_timeout_ms() const override { return -1; }
    void service(const std::vector<pollfd>& fds, std::size_t first, std::vector<std::string>& scans,
                 std::string& problem) override;
    std::string description() const override;
    void add_statistics(std::map<std::string, std::int64_t>& extra) const override;

    /// The bound port (tcp_port, or the one the system chose for 0); 0 when closed.
    int port() const noexcept { return port_; }

private:
    struct Client {
        int fd = -1;
        ScanFramer framer;
    };
    static constexpr std::size_t kMaxClients = 8;

    const SerialOptions options_;
    int listen_fd_ = -1;
    std::atomic<int> port_{0};
    std::vector<std::unique_ptr<Client>> clients_;
    std::atomic<std::int64_t> bytes_read_{0};
    std::atomic<std::int64_t> connections_{0};
    std::atomic<std::int64_t> overlong_dropped_{0};
};

}  // namespace till::scanner_serial
