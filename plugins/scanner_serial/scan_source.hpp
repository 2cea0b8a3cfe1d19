// scanner_serial: where scan bytes come from. A source is opened and closed
// by the device (under its lock) and polled by the reader thread while the
// device is enabled — never both at once.
#pragma once

#include <poll.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <till/sdk/device.hpp>

namespace till::scanner_serial {

class ScanSource {
public:
    virtual ~ScanSource() = default;

    /// Acquires the device or the listener. `offline` with the reason when it cannot.
    virtual sdk::DeviceResult open() = 0;
    virtual void close() noexcept = 0;
    /// Exclusive use (claim); waits at most timeout_ms for another holder.
    virtual sdk::DeviceResult lock(std::int64_t timeout_ms) = 0;
    virtual void unlock() noexcept = 0;

    /// Reader thread: the descriptors to wait on, and how long at most
    /// (-1: forever; a source retrying to reopen asks to be woken).
    virtual void add_poll_fds(std::vector<pollfd>& fds) = 0;
    virtual int poll_timeout_ms() const = 0;
    /// Reader thread, after poll(): reads what is ready (the entries this
    /// source added are at `first`...), retries a lost device, and appends
    /// completed scans to `scans`. A problem is described in `problem` (logged).
    virtual void service(const std::vector<pollfd>& fds, std::size_t first, std::vector<std::string>& scans,
                         std::string& problem) = 0;

    virtual std::string description() const = 0;
    /// Source-specific counters for DeviceStatistics::extra.
    virtual void add_statistics(std::map<std::string, std::int64_t>& extra) const = 0;
};

}  // namespace till::scanner_serial
