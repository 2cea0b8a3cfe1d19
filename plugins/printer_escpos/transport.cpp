#include "transport.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/sockios.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>

namespace till::printer_escpos {
namespace {

using sdk::DeviceErrorCode;
using sdk::DeviceResult;

std::string errno_text(int e) {
    return std::strerror(e);
}

int poll_ms(Deadline deadline) {
    const auto left = ms_left(deadline);
    return static_cast<int>(std::min<std::int64_t>(left, 60'000));
}

/// Waits for `events` on fd until the deadline: 1 ready, 0 timed out, -1 error (errno).
int wait_fd(int fd, short events, Deadline deadline, short& revents) {
    while (true) {
        pollfd p{fd, events, 0};
        const int left = poll_ms(deadline);
        const int r = ::poll(&p, 1, left);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) return -1;
        revents = p.revents;
        if (r == 0) return ms_left(deadline) > 0 ? wait_fd(fd, events, deadline, revents) : 0;
        return 1;
    }
}

bool write_file_durably(const std::filesystem::path& path, std::string_view data, std::string& error) {
    const std::string tmp = path.string() + ".tmp";
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        error = "cannot create " + tmp + ": " + errno_text(errno);
        return false;
    }
    std::size_t done = 0;
    while (done < data.size()) {
        const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            error = "cannot write " + tmp + ": " + errno_text(errno);
            ::close(fd);
            return false;
        }
        done += static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0) {
        error = "cannot sync " + tmp + ": " + errno_text(errno);
        ::close(fd);
        return false;
    }
    ::close(fd);
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        error = "cannot rename " + tmp + ": " + errno_text(errno);
        return false;
    }
    return true;
}

}  // namespace

Deadline deadline_in(std::int64_t timeout_ms) {
    return std::chrono::steady_clock::now() + std::chrono::milliseconds(std::max<std::int64_t>(0, timeout_ms));
}

std::int64_t ms_left(Deadline deadline) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    return std::max<std::int64_t>(0, left.count());
}

// ---------------------------------------------------------------------------

StreamTransport::~StreamTransport() {
    disconnect();
}

void StreamTransport::disconnect() noexcept {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
}

DeviceResult StreamTransport::write_all(std::string_view bytes, Deadline deadline, std::size_t& written) {
    written = 0;
    auto sent = [&] { return " (" + std::to_string(written) + " of " + std::to_string(bytes.size()) + " bytes sent)"; };
    if (fd_ < 0) return DeviceResult::failure(DeviceErrorCode::offline, "not connected");
    while (written < bytes.size()) {
        const ssize_t n = ::send(fd_, bytes.data() + written, bytes.size() - written, MSG_NOSIGNAL | MSG_DONTWAIT);
        const int e = errno;
        if (n < 0 && e == ENOTSOCK) {  // a device file: plain write (the fd is non-blocking)
            const ssize_t w = ::write(fd_, bytes.data() + written, bytes.size() - written);
            if (w >= 0) {
                written += static_cast<std::size_t>(w);
                continue;
            }
            if (errno != EAGAIN && errno != EINTR)
                return DeviceResult::failure(DeviceErrorCode::offline, "write failed: " + errno_text(errno) + sent());
        } else if (n >= 0) {
            written += static_cast<std::size_t>(n);
            continue;
        } else if (e != EAGAIN && e != EWOULDBLOCK && e != EINTR) {
            return DeviceResult::failure(DeviceErrorCode::offline, "connection lost: " + errno_text(e) + sent());
        }
        short revents = 0;
        const int r = wait_fd(fd_, POLLOUT, deadline, revents);
        if (r == 0) return DeviceResult::failure(DeviceErrorCode::timeout, "the printer stopped taking data" + sent());
        if (r < 0) return DeviceResult::failure(DeviceErrorCode::failure, "poll: " + errno_text(errno) + sent());
        if ((revents & (POLLERR | POLLHUP)) && !(revents & POLLOUT))
            return DeviceResult::failure(DeviceErrorCode::offline, "connection closed by the printer" + sent());
    }
    return DeviceResult::success();
}

DeviceResult StreamTransport::read_exact(std::size_t n, std::string& out, Deadline deadline) {
    if (fd_ < 0) return DeviceResult::failure(DeviceErrorCode::offline, "not connected");
    std::size_t got = 0;
    char buf[64];
    while (got < n) {
        short revents = 0;
        const int r = wait_fd(fd_, POLLIN, deadline, revents);
        if (r == 0)
            return DeviceResult::failure(DeviceErrorCode::timeout,
                                         "no answer (" + std::to_string(got) + " of " + std::to_string(n) + " bytes)");
        if (r < 0) return DeviceResult::failure(DeviceErrorCode::failure, "poll: " + errno_text(errno));
        const ssize_t k = ::read(fd_, buf, std::min(sizeof buf, n - got));
        if (k < 0 && (errno == EAGAIN || errno == EINTR)) continue;
        if (k < 0) return DeviceResult::failure(DeviceErrorCode::offline, "read failed: " + errno_text(errno));
        if (k == 0) return DeviceResult::failure(DeviceErrorCode::offline, "connection closed by the printer");
        out.append(buf, static_cast<std::size_t>(k));
        got += static_cast<std::size_t>(k);
    }
    return DeviceResult::success();
}

DeviceResult StreamTransport::wait_acknowledged(Deadline) {
    return DeviceResult::success();
}

void StreamTransport::drain_input() {
    if (fd_ < 0 || !readable_) return;
    char buf[256];
    for (int i = 0; i < 64; ++i) {  // bounded: a chatty device cannot hold us here
        pollfd p{fd_, POLLIN, 0};
        if (::poll(&p, 1, 0) <= 0 || !(p.revents & POLLIN)) return;
        if (::read(fd_, buf, sizeof buf) <= 0) return;
    }
}

// ---------------------------------------------------------------------------

TcpTransport::TcpTransport(std::string host, int port, std::int64_t connect_timeout_ms, int send_buffer_bytes)
    : host_(std::move(host)),
      port_(port),
      connect_timeout_ms_(connect_timeout_ms),
      send_buffer_bytes_(send_buffer_bytes) {}

TcpTransport::~TcpTransport() = default;

std::string TcpTransport::description() const {
    return "TCP " + host_ + ":" + std::to_string(port_);
}

DeviceResult TcpTransport::connect(Deadline deadline) {
    disconnect();
    const Deadline connect_deadline = std::min(deadline, deadline_in(connect_timeout_ms_));
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV;
    addrinfo* found = nullptr;
    // getaddrinfo cannot be bounded; printers are configured by address, so
    // a name here is the integrator's choice (an /etc/hosts entry is instant).
    const std::string port = std::to_string(port_);
    if (int rc = ::getaddrinfo(host_.c_str(), port.c_str(), &hints, &found); rc != 0)
        return DeviceResult::failure(DeviceErrorCode::offline, description() + ": " + ::gai_strerror(rc));
    std::unique_ptr<addrinfo, void (*)(addrinfo*)> guard(found, ::freeaddrinfo);
    std::string last_error = "no address";
    for (addrinfo* a = found; a; a = a->ai_next) {
        const int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
        if (fd < 0) {
            last_error = errno_text(errno);
            continue;
        }
        const int one = 1;
        ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        if (send_buffer_bytes_ > 0)
            ::setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &send_buffer_bytes_, sizeof send_buffer_bytes_);
        if (::connect(fd, a->ai_addr, a->ai_addrlen) == 0) {
            fd_ = fd;
            readable_ = true;
            return DeviceResult::success();
        }
        if (errno != EINPROGRESS) {
            last_error = errno_text(errno);
            ::close(fd);
            continue;
        }
        short revents = 0;
        const int r = wait_fd(fd, POLLOUT, connect_deadline, revents);
        if (r == 0) {
            ::close(fd);
            return DeviceResult::failure(DeviceErrorCode::timeout, description() + ": no connection within " +
                                                                       std::to_string(connect_timeout_ms_) + " ms");
        }
        int err = 0;
        socklen_t len = sizeof err;
        ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
        if (r > 0 && err == 0) {
            fd_ = fd;
            readable_ = true;
            return DeviceResult::success();
        }
        last_error = errno_text(err != 0 ? err : errno);
        ::close(fd);
    }
    return DeviceResult::failure(DeviceErrorCode::offline, description() + ": " + last_error);
}

DeviceResult TcpTransport::wait_acknowledged(Deadline deadline) {
    if (fd_ < 0) return DeviceResult::failure(DeviceErrorCode::offline, "not connected");
    while (true) {
        int err = 0;
        socklen_t len = sizeof err;
        ::getsockopt(fd_, SOL_SOCKET, SO_ERROR, &err, &len);
        if (err != 0) return DeviceResult::failure(DeviceErrorCode::offline, "connection lost: " + errno_text(err));
        int queued = 0;
        if (::ioctl(fd_, SIOCOUTQ, &queued) != 0) return DeviceResult::success();  // cannot tell: trust the writes
        if (queued == 0) return DeviceResult::success();
        if (ms_left(deadline) == 0)
            return DeviceResult::failure(
                DeviceErrorCode::timeout,
                "the printer stopped taking data (" + std::to_string(queued) + " bytes not acknowledged)");
        // No event says "send queue empty": look again shortly (bounded by the deadline).
        pollfd p{fd_, 0, 0};
        ::poll(&p, 1, static_cast<int>(std::min<std::int64_t>(ms_left(deadline), 5)));
        if (p.revents & (POLLERR | POLLHUP)) {
            ::getsockopt(fd_, SOL_SOCKET, SO_ERROR, &err, &len);
            return DeviceResult::failure(DeviceErrorCode::offline,
                                         "connection closed by the printer" + (err ? ": " + errno_text(err) : ""));
        }
    }
}

// ---------------------------------------------------------------------------

DeviceFileTransport::DeviceFileTransport(std::string path) : path_(std::move(path)) {}
DeviceFileTransport::~DeviceFileTransport() = default;

std::string DeviceFileTransport::description() const {
    return "device " + path_;
}

DeviceResult DeviceFileTransport::connect(Deadline) {
    disconnect();
    int fd = ::open(path_.c_str(), O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    readable_ = fd >= 0;
    if (fd < 0) fd = ::open(path_.c_str(), O_WRONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) return DeviceResult::failure(DeviceErrorCode::offline, path_ + ": " + errno_text(errno));
    if (::isatty(fd)) {
        termios t{};
        if (::tcgetattr(fd, &t) == 0) {
            ::cfmakeraw(&t);
            ::tcsetattr(fd, TCSANOW, &t);
        }
    }
    fd_ = fd;
    return DeviceResult::success();
}

// ---------------------------------------------------------------------------

FileSink::FileSink(std::string folder) : folder_(std::move(folder)) {}

std::string FileSink::check_writable() const {
    namespace fs = std::filesystem;
    std::error_code ec;
    fs::create_directories(folder_, ec);
    if (ec) return "cannot create " + folder_ + ": " + ec.message();
    if (::access(folder_.c_str(), W_OK | X_OK) != 0) return folder_ + " is not writable: " + errno_text(errno);
    return {};
}

DeviceResult FileSink::write_job(const std::string& name, std::string_view bytes, std::string_view text) const {
    if (auto problem = check_writable(); !problem.empty())
        return DeviceResult::failure(DeviceErrorCode::offline, problem);
    const std::filesystem::path base = std::filesystem::path(folder_) / name;
    std::string error;
    // The text first: a .bin present means the job is complete.
    if (!write_file_durably(base.string() + ".txt", text, error) ||
        !write_file_durably(base.string() + ".bin", bytes, error))
        return DeviceResult::failure(DeviceErrorCode::failure, error);
    return DeviceResult::success();
}

}  // namespace till::printer_escpos
