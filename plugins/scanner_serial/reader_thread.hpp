// scanner_serial: the thread that waits on a source with poll() and hands
// each completed scan to `deliver`. stop() is bounded: a self-pipe wakes the
// poll at once, and the thread ends after the scan it is delivering.
#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <thread>

#include <till/sdk/device.hpp>

#include "scan_source.hpp"

namespace till::scanner_serial {

class ReaderThread {
public:
    using Deliver = std::function<void(std::string scan)>;
    using Report = std::function<void(const std::string& problem)>;

    ReaderThread() = default;
    ~ReaderThread();  ///< stop()
    ReaderThread(const ReaderThread&) = delete;
    ReaderThread& operator=(const ReaderThread&) = delete;

    /// Starts polling `source` (which must stay valid and untouched by others
    /// until stop() returns). `deliver` and `report` run on the thread.
    sdk::DeviceResult start(ScanSource& source, Deliver deliver, Report report);
    /// Wakes and joins the thread. Called from the thread itself (a scan
    /// handler disabling the device), it only asks the thread to end; the
    /// next start() or the destructor joins it.
    void stop() noexcept;
    bool running() const noexcept { return thread_.joinable() && !stop_requested_; }
    /// True on the reader thread itself (inside a scan handler).
    bool on_reader_thread() const noexcept { return reader_id_.load() == std::this_thread::get_id(); }

private:
    void run(ScanSource& source, const Deliver& deliver, const Report& report);
    void join_finished() noexcept;

    std::thread thread_;
    int wake_read_ = -1;
    int wake_write_ = -1;
    std::atomic<bool> stop_requested_{false};
    std::atomic<std::thread::id> reader_id_{};
};

}  // namespace till::scanner_serial
