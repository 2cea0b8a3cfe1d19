#include "tty_source.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

namespace till::scanner_serial {
namespace {

using sdk::DeviceErrorCode;
using sdk::DeviceResult;

speed_t speed_of(int baud) {
    switch (baud) {
        case 1200: return B1200;
        case 2400: return B2400;
        case 4800: return B4800;
        case 19200: return B19200;
        case 38400: return B38400;
        case 57600: return B57600;
        case 115200: return B115200;
        case 230400: return B230400;
        default: return B9600;
    }
}

tcflag_t size_of(int data_bits) {
    switch (data_bits) {
        case 5: return CS5;
        case 6: return CS6;
        case 7: return CS7;
        default: return CS8;
    }
}

std::string errno_text(int e) { return std::strerror(e); }

}  // namespace

TtySource::TtySource(const SerialOptions& options) : options_(options), framer_(options.framer) {}

TtySource::~TtySource() { close(); }

DeviceResult TtySource::open_fd() {
    struct stat st {};
    const bool is_fifo = ::stat(options_.path.c_str(), &st) == 0 && S_ISFIFO(st.st_mode);
    // O_RDWR on a FIFO: we are a writer too, so the last writer leaving is not EOF.
    int fd = ::open(options_.path.c_str(), O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        const int e = errno;
        std::string hint;
        if (e == EACCES) hint = " (add the till user to the group owning it, usually dialout; see the plugin README)";
        if (e == ENOENT) hint = " (is the scanner plugged in? ls -l /dev/serial/by-id/)";
        return DeviceResult::failure(DeviceErrorCode::offline, "cannot open " + options_.path + ": " + errno_text(e) + hint);
    }
    is_tty_ = !is_fifo && ::isatty(fd) == 1;
    if (is_tty_) {
        termios tio{};
        if (::tcgetattr(fd, &tio) != 0) {
            const int e = errno;
            ::close(fd);
            return DeviceResult::failure(DeviceErrorCode::failure, "tcgetattr " + options_.path + ": " + errno_text(e));
        }
        ::cfmakeraw(&tio);
        ::cfsetispeed(&tio, speed_of(options_.baud));
        ::cfsetospeed(&tio, speed_of(options_.baud));
        tio.c_cflag &= ~static_cast<tcflag_t>(CSIZE | PARENB | PARODD | CSTOPB | CRTSCTS);
        tio.c_cflag |= size_of(options_.data_bits) | CLOCAL | CREAD;
        if (options_.parity != Parity::none) tio.c_cflag |= PARENB;
        if (options_.parity == Parity::odd) tio.c_cflag |= PARODD;
        if (options_.stop_bits == 2) tio.c_cflag |= CSTOPB;
        tio.c_cc[VMIN] = 1;
        tio.c_cc[VTIME] = 0;
        if (::tcsetattr(fd, TCSANOW, &tio) != 0) {
            const int e = errno;
            ::close(fd);
            return DeviceResult::failure(DeviceErrorCode::failure, "tcsetattr " + options_.path + ": " + errno_text(e));
        }
        ::tcflush(fd, TCIFLUSH);  // bytes from before we opened are not ours
    }
    fd_ = fd;
    framer_.reset();
    return DeviceResult::success();
}

DeviceResult TtySource::open() {
    if (fd_ >= 0) return DeviceResult::success();
    return open_fd();
}

void TtySource::close() noexcept {
    unlock();
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
}

DeviceResult TtySource::lock(std::int64_t timeout_ms) {
    if (locked_) return DeviceResult::success();
    if (fd_ < 0) return DeviceResult::failure(DeviceErrorCode::offline, options_.path + " is not open");
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    // flock: another till (or minicom with locking) holding the port makes us wait, then give up.
    while (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
        if (errno != EWOULDBLOCK && errno != EINTR)
            return DeviceResult::failure(DeviceErrorCode::failure, "flock " + options_.path + ": " + errno_text(errno));
        if (std::chrono::steady_clock::now() >= deadline)
            return DeviceResult::failure(DeviceErrorCode::claimed, options_.path + " is held by another process");
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    if (is_tty_) ::ioctl(fd_, TIOCEXCL);  // no other open() of the port while claimed
    locked_ = true;
    return DeviceResult::success();
}

void TtySource::unlock() noexcept {
    if (!locked_) return;
    if (fd_ >= 0) {
        if (is_tty_) ::ioctl(fd_, TIOCNXCL);
        ::flock(fd_, LOCK_UN);
    }
    locked_ = false;
}

void TtySource::add_poll_fds(std::vector<pollfd>& fds) {
    if (fd_ >= 0) fds.push_back({fd_, POLLIN, 0});
}

int TtySource::poll_timeout_ms() const { return fd_ >= 0 ? -1 : options_.reopen_ms; }

void TtySource::lost(std::string& problem, const std::string& why) {
    problem = options_.path + ": " + why + "; reopening every " + std::to_string(options_.reopen_ms) + " ms";
    const bool was_locked = locked_;
    close();
    locked_ = was_locked;  // the claim carries over to the reopened device
    lost_at_ = std::chrono::steady_clock::now();
}

void TtySource::service(const std::vector<pollfd>& fds, std::size_t first, std::vector<std::string>& scans,
                        std::string& problem) {
    if (fd_ < 0) {
        if (std::chrono::steady_clock::now() - lost_at_ < std::chrono::milliseconds(options_.reopen_ms)) return;
        lost_at_ = std::chrono::steady_clock::now();
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
    if (first >= fds.size() || fds[first].fd != fd_) return;
    const short revents = fds[first].revents;
    if (revents == 0) return;
    char buffer[512];
    for (;;) {
        const ssize_t n = ::read(fd_, buffer, sizeof buffer);
        if (n > 0) {
            bytes_read_ += n;
            for (auto& scan : framer_.feed(std::string_view(buffer, static_cast<std::size_t>(n))))
                scans.push_back(std::move(scan));
            overlong_dropped_ = static_cast<std::int64_t>(framer_.overlong_dropped());
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            // Readable with nothing to read but hung up: the other side is gone.
            if ((revents & (POLLHUP | POLLERR)) != 0 && (revents & POLLIN) == 0) lost(problem, "hung up");
            return;
        }
        lost(problem, n == 0 ? "end of file" : errno_text(errno));
        return;
    }
}

std::string TtySource::description() const {
    static const char* parity_letter[] = {"N", "E", "O"};
    return "serial " + options_.path + " " + std::to_string(options_.baud) + " " + std::to_string(options_.data_bits) +
           parity_letter[static_cast<int>(options_.parity)] + std::to_string(options_.stop_bits);
}

void TtySource::add_statistics(std::map<std::string, std::int64_t>& extra) const {
    extra["bytes_read"] = bytes_read_;
    extra["reopens"] = reopens_;
    extra["overlong_dropped"] = overlong_dropped_;
}

}  // namespace till::scanner_serial
