// scanner_hid: a Linux input device (evdev) read as `struct input_event`
// records. claim grabs it (EVIOCGRAB) so its key presses reach only us, not
// the console or a focused window; a source that is not an evdev device
// (a FIFO of input_event records in tests) cannot be grabbed, which is noted
// and logged, not an error. When the device goes away (unplugged) it is
// reopened every reopen_ms, and grabbed again if it was.
#pragma once

#include <atomic>
#include <chrono>
#include <string>

#include "hid_options.hpp"
#include "scan_source.hpp"

namespace till::scanner_hid {

class EvdevSource final : public ScanSource {
public:
    explicit EvdevSource(const HidOptions& options);
    ~EvdevSource() override;

    sdk::DeviceResult open() override;
    void close() noexcept override;
    /// Grabs the device when `grab` is on. EBUSY (someone else grabbed it)
    /// is `claimed`; "not an input device" is success with grab_note().
    sdk::DeviceResult lock(std::int64_t timeout_ms) override;
    void unlock() noexcept override;
    void add_poll_fds(std::vector<pollfd>& fds) override;
    int poll_timeout_ms() const override;
    void service(const std::vector<pollfd>& fds, std::size_t first, std::vector<std::string>& scans,
                 std::string& problem) override;
    std::string description() const override;
    void add_statistics(std::map<std::string, std::int64_t>& extra) const override;

    /// Why the last lock() could not grab ("" when it did, or grab is off).
    const std::string& grab_note() const noexcept { return grab_note_; }
    bool grabbed() const noexcept { return grabbed_; }

private:
    sdk::DeviceResult open_fd();
    sdk::DeviceResult grab_fd();
    void lost(std::string& problem, const std::string& why);

    const HidOptions options_;
    KeyDecoder decoder_;
    int fd_ = -1;
    bool locked_ = false;
    std::atomic<bool> grabbed_{false};
    std::string grab_note_;
    std::string partial_;          ///< bytes of an input_event not yet complete
    std::chrono::steady_clock::time_point last_key_{};
    std::chrono::steady_clock::time_point lost_at_{};
    std::atomic<std::int64_t> key_events_{0};
    std::atomic<std::int64_t> unmapped_keys_{0};
    std::atomic<std::int64_t> overlong_dropped_{0};
    std::atomic<std::int64_t> reopens_{0};
};

}  // namespace till::scanner_hid
