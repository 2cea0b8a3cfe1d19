#include "evdev_source.hpp"

#include <fcntl.h>
#include <linux/input.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace till::scanner_hid {

using sdk::DeviceErrorCode;
using sdk::DeviceResult;

EvdevSource::EvdevSource(const HidOptions& options) : options_(options), decoder_(options.decoder) {}

EvdevSource::~EvdevSource() { close(); }

DeviceResult EvdevSource::open_fd() {
    struct stat st {};
    const bool is_fifo = ::stat(options_.path.c_str(), &st) == 0 && S_ISFIFO(st.st_mode);
    // A FIFO is opened read-write: writers coming and going are not EOF.
    int fd = ::open(options_.path.c_str(), (is_fifo ? O_RDWR : O_RDONLY) | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        const int e = errno;
        std::string hint;
        if (e == EACCES) hint = " (the till user needs read access: see the udev rule in the plugin README)";
        if (e == ENOENT) hint = " (is the scanner plugged in? ls -l /dev/input/by-id/)";
        return DeviceResult::failure(DeviceErrorCode::offline, "cannot open " + options_.path + ": " + std::strerror(e) + hint);
    }
    fd_ = fd;
    partial_.clear();
    decoder_.reset();
    return DeviceResult::success();
}

DeviceResult EvdevSource::open() {
    if (fd_ >= 0) return DeviceResult::success();
    return open_fd();
}

void EvdevSource::close() noexcept {
    unlock();
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
}

DeviceResult EvdevSource::grab_fd() {
    grab_note_.clear();
    if (!options_.grab) return DeviceResult::success();
    if (::ioctl(fd_, EVIOCGRAB, 1) == 0) {
        grabbed_ = true;
        return DeviceResult::success();
    }
    const int e = errno;
    if (e == EBUSY)
        return DeviceResult::failure(DeviceErrorCode::claimed,
                                     options_.path + " is grabbed by another program (EVIOCGRAB: busy)");
    grab_note_ = "grab unavailable on " + options_.path + " (" + std::strerror(e) +
                 "): not an input device; its key presses are not hidden from others";
    return DeviceResult::success();
}

DeviceResult EvdevSource::lock(std::int64_t) {
    if (locked_) return DeviceResult::success();
    if (fd_ < 0) return DeviceResult::failure(DeviceErrorCode::offline, options_.path + " is not open");
    if (auto r = grab_fd(); !r.ok()) return r;
    locked_ = true;
    return DeviceResult::success();
}

void EvdevSource::unlock() noexcept {
    if (grabbed_ && fd_ >= 0) ::ioctl(fd_, EVIOCGRAB, 0);
    grabbed_ = false;
    locked_ = false;
}

void EvdevSource::add_poll_fds(std::vector<pollfd>& fds) {
    if (fd_ >= 0) fds.push_back({fd_, POLLIN, 0});
}

int EvdevSource::poll_timeout_ms() const {
    if (fd_ < 0) return options_.reopen_ms;
    if (options_.decoder.suffix == HidSuffix::none && decoder_.pending()) {
        const auto since = std::chrono::steady_clock::now() - last_key_;
        const auto left = options_.gap_ms - std::chrono::duration_cast<std::chrono::milliseconds>(since).count();
        return left > 0 ? static_cast<int>(left) : 0;
    }
    return -1;
}

void EvdevSource::lost(std::string& problem, const std::string& why) {
    problem = options_.path + ": " + why + "; reopening every " + std::to_string(options_.reopen_ms) + " ms";
    const bool was_locked = locked_;
    close();
    locked_ = was_locked;  // grab again once it is back
    lost_at_ = std::chrono::steady_clock::now();
}

void EvdevSource::service(const std::vector<pollfd>& fds, std::size_t first, std::vector<std::string>& scans,
                          std::string& problem) {
    const auto now = std::chrono::steady_clock::now();
    if (fd_ < 0) {
        if (now - lost_at_ < std::chrono::milliseconds(options_.reopen_ms)) return;
        lost_at_ = now;
        const bool relock = locked_;
        locked_ = false;
        if (!open_fd().ok()) {
            locked_ = relock;
            return;
        }
        ++reopens_;
        if (relock) lock(0);
        problem = options_.path + ": reopened";
        return;
    }
    const bool readable = first < fds.size() && fds[first].fd == fd_ && fds[first].revents != 0;
    if (readable) {
        char buffer[64 * sizeof(input_event)];
        for (;;) {
            const ssize_t n = ::read(fd_, buffer, sizeof buffer);
            if (n > 0) {
                partial_.append(buffer, static_cast<std::size_t>(n));
                continue;
            }
            if (n < 0 && errno == EINTR) continue;
            if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
            lost(problem, n == 0 ? "end of file" : std::strerror(errno));  // ENODEV: unplugged
            return;
        }
        std::size_t used = 0;
        while (partial_.size() - used >= sizeof(input_event)) {
            input_event ev;
            std::memcpy(&ev, partial_.data() + used, sizeof ev);
            used += sizeof ev;
            if (ev.type != EV_KEY) continue;
            ++key_events_;
            last_key_ = now;
            for (auto& scan : decoder_.key(ev.code, ev.value)) scans.push_back(std::move(scan));
        }
        partial_.erase(0, used);
    } else if (options_.decoder.suffix == HidSuffix::none && decoder_.pending() &&
               now - last_key_ >= std::chrono::milliseconds(options_.gap_ms)) {
        for (auto& scan : decoder_.end_of_pause()) scans.push_back(std::move(scan));
    }
    unmapped_keys_ = decoder_.unmapped_keys();
    overlong_dropped_ = decoder_.overlong_dropped();
}

std::string EvdevSource::description() const {
    return "input device " + options_.path + (options_.grab ? ", grabbed while claimed" : ", not grabbed");
}

void EvdevSource::add_statistics(std::map<std::string, std::int64_t>& extra) const {
    extra["key_events"] = key_events_;
    extra["unmapped_keys"] = unmapped_keys_;
    extra["overlong_dropped"] = overlong_dropped_;
    extra["reopens"] = reopens_;
    extra["grabbed"] = grabbed_ ? 1 : 0;
}

}  // namespace till::scanner_hid
