#include "printer_listener.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>

namespace till::test {

PrinterListener::PrinterListener(ListenerBehaviour behaviour) : behaviour_(std::move(behaviour)) {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (listen_fd_ < 0) throw std::runtime_error("socket failed");
    const int one = 1;
    ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (behaviour_.receive_buffer_bytes > 0)  // inherited by accepted sockets; must precede listen()
        ::setsockopt(listen_fd_, SOL_SOCKET, SO_RCVBUF, &behaviour_.receive_buffer_bytes,
                     sizeof behaviour_.receive_buffer_bytes);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(listen_fd_, 8) != 0)
        throw std::runtime_error("bind/listen failed");
    socklen_t len = sizeof addr;
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { serve(); });
}

PrinterListener::~PrinterListener() {
    stop_ = true;
    thread_.join();
    ::close(listen_fd_);
}

std::string PrinterListener::received() const {
    std::lock_guard lock(mutex_);
    return received_;
}

int PrinterListener::connections() const {
    std::lock_guard lock(mutex_);
    return connections_;
}

bool PrinterListener::wait_closed(int connections, int timeout_ms) const {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, std::chrono::milliseconds(timeout_ms), [&] { return closed_ >= connections; });
}

void PrinterListener::serve() {
    while (!stop_) {
        pollfd p{listen_fd_, POLLIN, 0};
        if (::poll(&p, 1, 20) <= 0) continue;
        const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
        if (fd < 0) continue;
        {
            std::lock_guard lock(mutex_);
            ++connections_;
        }
        handle(fd);
        {
            std::lock_guard lock(mutex_);
            ++closed_;
        }
        changed_.notify_all();
    }
}

void PrinterListener::handle(int fd) {
    std::size_t total = 0;
    std::string tail;  // the last bytes, to find DLE EOT split across reads
    bool reading = true;
    char buf[4096];
    while (!stop_) {
        pollfd p{fd, static_cast<short>(reading ? POLLIN : 0), 0};
        if (::poll(&p, 1, 20) < 0) break;
        if (!reading) {
            if (p.revents & (POLLHUP | POLLERR)) break;
            continue;  // stalled: hold the connection, read nothing
        }
        if (!(p.revents & (POLLIN | POLLHUP | POLLERR))) continue;
        std::size_t want = sizeof buf;
        if (behaviour_.stall_after_bytes != std::string::npos)
            want = std::min(want, behaviour_.stall_after_bytes - total);
        if (behaviour_.drop_after_bytes != std::string::npos)
            want = std::min(want, behaviour_.drop_after_bytes - total);
        const ssize_t n = want == 0 ? 0 : ::read(fd, buf, want);
        if (n <= 0 && want > 0) break;  // the client closed
        total += static_cast<std::size_t>(std::max<ssize_t>(n, 0));
        {
            std::lock_guard lock(mutex_);
            received_.append(buf, static_cast<std::size_t>(std::max<ssize_t>(n, 0)));
        }
        tail.append(buf, static_cast<std::size_t>(std::max<ssize_t>(n, 0)));
        for (std::size_t i = 0; i + 2 < tail.size(); ++i) {
            if (tail[i] == 0x10 && tail[i + 1] == 0x04 && tail[i + 2] >= 1 && tail[i + 2] <= 4 &&
                behaviour_.status.size() == 4) {
                const char answer = behaviour_.status[static_cast<std::size_t>(tail[i + 2] - 1)];
                (void)::send(fd, &answer, 1, MSG_NOSIGNAL);
                i += 2;
            }
        }
        tail = tail.size() >= 2 ? tail.substr(tail.size() - 2) : tail;
        if (total == behaviour_.drop_after_bytes) {
            linger hard{1, 0};  // close with RST, like a printer losing power
            ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
            break;
        }
        if (total == behaviour_.stall_after_bytes) reading = false;
    }
    ::close(fd);
}

}  // namespace till::test
