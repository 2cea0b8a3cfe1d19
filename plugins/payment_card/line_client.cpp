#include "line_client.hpp"

#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include "card_protocol.hpp"

namespace till::payment_card {
namespace {

using Clock = std::chrono::steady_clock;

class Fd {
public:
    explicit Fd(int fd) : fd_(fd) {}
    ~Fd() {
        if (fd_ >= 0) ::close(fd_);
    }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    int get() const { return fd_; }

private:
    int fd_;
};

int remaining_ms(Clock::time_point deadline) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    return left <= 0 ? 0 : static_cast<int>(left);
}

std::string errno_text(int e) { return std::strerror(e); }

/// Waits for `events` on `fd` until `deadline`; false on timeout or error.
bool wait_for(int fd, short events, Clock::time_point deadline, std::string& error) {
    for (;;) {
        pollfd p{fd, events, 0};
        int n = ::poll(&p, 1, remaining_ms(deadline));
        if (n > 0) return true;
        if (n == 0) {
            error = "timed out";
            return false;
        }
        if (errno != EINTR) {
            error = "poll: " + errno_text(errno);
            return false;
        }
    }
}

/// Connects `fd` to `addr` within `deadline`; "" on success, else why.
std::string connect_within(int fd, const addrinfo& addr, Clock::time_point deadline) {
    if (::connect(fd, addr.ai_addr, addr.ai_addrlen) == 0) return {};
    if (errno != EINPROGRESS) return errno_text(errno);
    std::string error;
    if (!wait_for(fd, POLLOUT, deadline, error)) return "connect " + error;
    int so_error = 0;
    socklen_t len = sizeof so_error;
    if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &so_error, &len) != 0) return errno_text(errno);
    return so_error == 0 ? std::string() : errno_text(so_error);
}

}  // namespace

Exchange exchange_line(const std::string& host, int port, const std::string& request_line,
                       std::int64_t connect_timeout_ms, std::int64_t answer_timeout_ms) {
    Exchange out;
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    const std::string service = std::to_string(port);
    if (int rc = ::getaddrinfo(host.c_str(), service.c_str(), &hints, &found); rc != 0) {
        out.error = "cannot resolve " + host + ": " + ::gai_strerror(rc);
        return out;
    }
    const auto connect_deadline = Clock::now() + std::chrono::milliseconds(connect_timeout_ms);
    std::string why = "no address for " + host;
    int connected = -1;
    for (addrinfo* a = found; a && connected < 0; a = a->ai_next) {
        int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
        if (fd < 0) {
            why = "socket: " + errno_text(errno);
            continue;
        }
        why = connect_within(fd, *a, connect_deadline);
        if (why.empty())
            connected = fd;
        else
            ::close(fd);
    }
    ::freeaddrinfo(found);
    if (connected < 0) {
        out.error = "cannot connect to " + host + ":" + service + ": " + why;
        return out;
    }
    Fd fd(connected);

    // From the first byte on, the terminal may act on the request.
    out.stage = ExchangeStage::sent;
    const auto deadline = Clock::now() + std::chrono::milliseconds(answer_timeout_ms);
    const std::string data = request_line + "\n";
    std::size_t written = 0;
    while (written < data.size()) {
        ssize_t n = ::send(fd.get(), data.data() + written, data.size() - written, MSG_NOSIGNAL);
        if (n > 0) {
            written += static_cast<std::size_t>(n);
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            if (!wait_for(fd.get(), POLLOUT, deadline, out.error)) {
                out.error = "sending the request: " + out.error;
                return out;
            }
            continue;
        }
        out.error = "sending the request: " + errno_text(errno);
        return out;
    }

    std::string buffer;
    char chunk[4096];
    for (;;) {
        if (!wait_for(fd.get(), POLLIN, deadline, out.error)) {
            out.error = "waiting for the answer: " + out.error;
            return out;
        }
        ssize_t n = ::recv(fd.get(), chunk, sizeof chunk, 0);
        if (n < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)) continue;
        if (n < 0) {
            out.error = "reading the answer: " + errno_text(errno);
            return out;
        }
        if (n == 0) {
            out.error = "the terminal closed the connection without answering";
            return out;
        }
        buffer.append(chunk, static_cast<std::size_t>(n));
        if (auto eol = buffer.find('\n'); eol != std::string::npos) {
            out.line = buffer.substr(0, eol);
            if (!out.line.empty() && out.line.back() == '\r') out.line.pop_back();
            out.stage = ExchangeStage::answered;
            return out;
        }
        if (buffer.size() > kMaxLineBytes) {
            out.error = "the terminal's answer is longer than " + std::to_string(kMaxLineBytes) + " bytes";
            return out;
        }
    }
}

}  // namespace till::payment_card
