// scanner_serial: a Scanner on a serial port, a pseudo-terminal, a FIFO, or
// the TCP loopback source. Lifecycle as in UnifiedPOS:
//   open    opens the port / binds the listener (offline when it cannot)
//   claim   exclusive lock on the port (flock + TIOCEXCL)
//   enable  starts the reader thread: scans go to the handler
//   disable stops it (bounded); bytes arriving meanwhile are not scans
//   release unlocks; close closes (and disables/releases first)
// Scans reach the handler on the reader thread as ScanData{data without
// prefix/suffix, symbology guess or "", time}. The kernel checks the digits.
//
// Thread-safe: calls take the device mutex; state() does not, so a scan
// handler may ask for it.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>

#include <till/sdk/clock.hpp>
#include <till/sdk/device.hpp>
#include <till/sdk/logger.hpp>

#include "reader_thread.hpp"
#include "scan_source.hpp"
#include "serial_options.hpp"

namespace till::scanner_serial {

class SerialScanner final : public sdk::Scanner {
public:
    explicit SerialScanner(SerialOptions options);
    ~SerialScanner() override;  ///< close()

    /// The node's clock and this plugin's logger (both may be null: system
    /// time, no logs); they must outlive the device's enabled period.
    void attach_host(const sdk::Clock* clock, sdk::Logger* logger);
    /// source tcp: the port listened on while open (0 otherwise).
    int tcp_port() const;

    std::string device_id() const override { return options_.device_id; }
    sdk::DeviceKind kind() const override { return sdk::DeviceKind::scanner; }
    std::string description() const override;
    sdk::DeviceState state() const override { return state_; }

    sdk::DeviceResult open() override;
    sdk::DeviceResult claim(std::int64_t timeout_ms) override;
    sdk::DeviceResult enable() override;
    sdk::DeviceResult disable() override;
    sdk::DeviceResult release() override;
    sdk::DeviceResult close() override;

    /// internal: the source can be opened (or is open). external: enabled
    /// and the reader running. interactive: illegal (scan something instead).
    sdk::DeviceResult check_health(sdk::HealthCheckLevel level, std::string& report) override;
    sdk::DeviceStatistics statistics() const override;

    void set_scan_handler(ScanHandler handler) override;

private:
    void deliver(std::string data);           ///< reader thread
    void report(const std::string& problem);  ///< reader thread
    sdk::DeviceResult failed(sdk::DeviceResult result);
    /// The device lock for a lifecycle call. On the reader thread (a scan
    /// handler calling its own device) it gives up, setting `stopping`, when
    /// another thread holds the lock to stop the reader: waiting would deadlock.
    std::unique_lock<std::mutex> lock_for_call(bool& stopping);
    std::int64_t now_utc_ms() const;

    const SerialOptions options_;
    mutable std::mutex mutex_;            ///< lifecycle and source_
    std::atomic<bool> stopping_{false};   ///< a thread holding mutex_ is stopping the reader
    std::atomic<sdk::DeviceState> state_{sdk::DeviceState::closed};
    std::unique_ptr<ScanSource> source_;
    ReaderThread reader_;

    std::mutex handler_mutex_;
    ScanHandler handler_;

    std::atomic<const sdk::Clock*> clock_{nullptr};
    std::atomic<sdk::Logger*> logger_{nullptr};

    mutable std::mutex stats_mutex_;
    sdk::DeviceStatistics stats_;
};

}  // namespace till::scanner_serial
