#include "raw_store_socket.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <chrono>

#include "till/sdk/value.hpp"

namespace till::bench {

RawStoreSocket::~RawStoreSocket() {
    if (fd_ >= 0) ::close(fd_);
}

std::string RawStoreSocket::open(int port, const std::string& token, int timeout_ms) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0) return std::string("socket: ") + std::strerror(errno);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
        return std::string("connect: ") + std::strerror(errno);
    const std::string request = "GET /sync/v1/notify HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                                "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                                "Sec-WebSocket-Version: 13\r\nAuthorization: Bearer " +
                                token + "\r\n\r\n";
    if (::send(fd_, request.data(), request.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(request.size()))
        return "send failed";
    const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    bool headers_done = false;
    char buf[4096];
    while (first_revision_ < 0) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now()).count();
        if (left <= 0) return "timed out waiting for the upgrade and the first revision";
        pollfd p{fd_, POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(left)) <= 0) continue;
        ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
        if (n <= 0) return "connection closed during the upgrade: " + in_.substr(0, 200);
        in_.append(buf, static_cast<std::size_t>(n));
        if (!headers_done) {
            auto end = in_.find("\r\n\r\n");
            if (end == std::string::npos) continue;
            if (in_.compare(0, 12, "HTTP/1.1 101") != 0) return "upgrade refused: " + in_.substr(0, in_.find("\r\n"));
            in_.erase(0, end + 4);
            headers_done = true;
        }
        parse_frames();
        first_revision_ = newest_;
    }
    int flags_one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &flags_one, sizeof flags_one);
    return {};
}

bool RawStoreSocket::parse_frames() {
    bool any = false;
    while (in_.size() >= 2) {
        const auto b1 = static_cast<unsigned char>(in_[1]);
        std::size_t pos = 2;
        std::uint64_t n = b1 & 0x7F;
        if (n == 126) {
            if (in_.size() < 4) break;
            n = (std::uint64_t(static_cast<unsigned char>(in_[2])) << 8) | static_cast<unsigned char>(in_[3]);
            pos = 4;
        } else if (n == 127) {
            if (in_.size() < 10) break;
            n = 0;
            for (int i = 0; i < 8; ++i) n = (n << 8) | static_cast<unsigned char>(in_[2 + i]);
            pos = 10;
        }
        if (in_.size() < pos + n) break;
        const int opcode = static_cast<unsigned char>(in_[0]) & 0x0F;
        if (opcode == 0x1) {
            auto v = sdk::Value::parse_json(std::string_view(in_).substr(pos, n));
            if (v && (*v)["type"].as_string() == "revision") {
                newest_ = std::max(newest_, (*v)["revision"].as_int(-1));
                any = true;
            }
        }
        in_.erase(0, pos + n);
    }
    return any;
}

std::int64_t RawStoreSocket::read_available() {
    char buf[4096];
    while (true) {
        ssize_t n = ::recv(fd_, buf, sizeof buf, MSG_DONTWAIT);
        if (n <= 0) break;
        in_.append(buf, static_cast<std::size_t>(n));
    }
    parse_frames();
    return newest_;
}

}  // namespace till::bench
