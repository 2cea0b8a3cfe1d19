#include "tcp_source.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace till::scanner_serial {

using sdk::DeviceErrorCode;
using sdk::DeviceResult;

TcpSource::TcpSource(const SerialOptions& options) : options_(options) {}

TcpSource::~TcpSource() { close(); }

DeviceResult TcpSource::open() {
    if (listen_fd_ >= 0) return DeviceResult::success();
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) return DeviceResult::failure(DeviceErrorCode::failure, std::string("socket: ") + std::strerror(errno));
    int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);  // loopback only: this is not a network service
    addr.sin_port = htons(static_cast<std::uint16_t>(options_.tcp_port));
    if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd, 8) != 0) {
        const int e = errno;
        ::close(fd);
        return DeviceResult::failure(DeviceErrorCode::offline, "cannot listen on 127.0.0.1:" +
                                                                   std::to_string(options_.tcp_port) + ": " +
                                                                   std::strerror(e));
    }
    socklen_t len = sizeof addr;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    listen_fd_ = fd;
    port_ = ntohs(addr.sin_port);
    return DeviceResult::success();
}

void TcpSource::close() noexcept {
    for (auto& c : clients_) ::close(c->fd);
    clients_.clear();
    if (listen_fd_ >= 0) ::close(listen_fd_);
    listen_fd_ = -1;
    port_ = 0;
}

void TcpSource::add_poll_fds(std::vector<pollfd>& fds) {
    // The listener is only polled while there is room for another client.
    fds.push_back({listen_fd_, static_cast<short>(clients_.size() < kMaxClients ? POLLIN : 0), 0});
    for (const auto& c : clients_) fds.push_back({c->fd, POLLIN, 0});
}

void TcpSource::service(const std::vector<pollfd>& fds, std::size_t first, std::vector<std::string>& scans,
                        std::string& problem) {
    if (listen_fd_ < 0 || first >= fds.size()) return;
    // Clients first (their entries follow the listener's), in reverse so erasing keeps indexes valid.
    const std::size_t polled = std::min(clients_.size(), fds.size() - first - 1);
    for (std::size_t i = polled; i-- > 0;) {
        if (fds[first + 1 + i].revents == 0) continue;
        Client& c = *clients_[i];
        char buffer[512];
        bool closed = false;
        for (;;) {
            const ssize_t n = ::read(c.fd, buffer, sizeof buffer);
            if (n > 0) {
                bytes_read_ += n;
                for (auto& scan : c.framer.feed(std::string_view(buffer, static_cast<std::size_t>(n))))
                    scans.push_back(std::move(scan));
                continue;
            }
            if (n < 0 && errno == EINTR) continue;
            if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
            closed = true;  // EOF or reset
            break;
        }
        if (closed) {
            for (auto& scan : c.framer.flush()) scans.push_back(std::move(scan));
            overlong_dropped_ += static_cast<std::int64_t>(c.framer.overlong_dropped());
            ::close(c.fd);
            clients_.erase(clients_.begin() + static_cast<std::ptrdiff_t>(i));
        }
    }
    if ((fds[first].revents & POLLIN) != 0) {
        while (clients_.size() < kMaxClients) {
            int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
            if (fd < 0) {
                if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
                    problem = std::string("accept: ") + std::strerror(errno);
                break;
            }
            auto client = std::make_unique<Client>(Client{fd, ScanFramer(options_.framer)});
            clients_.push_back(std::move(client));
            ++connections_;
        }
    }
}

std::string TcpSource::description() const {
    return "loopback scanner on TCP 127.0.0.1:" + std::to_string(port_ != 0 ? port_.load() : options_.tcp_port);
}

void TcpSource::add_statistics(std::map<std::string, std::int64_t>& extra) const {
    extra["bytes_read"] = bytes_read_;
    extra["tcp_connections"] = connections_;
    extra["tcp_port"] = port_;
    extra["overlong_dropped"] = overlong_dropped_;
}

}  // namespace till::scanner_serial
