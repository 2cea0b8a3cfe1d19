#include "sim_server.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>

namespace till::payment_card::sim {
namespace {

constexpr int kTickMs = 50;

bool send_line(int fd, const std::string& line) {
    const std::string data = line + "\n";
    std::size_t done = 0;
    while (done < data.size()) {
        ssize_t n = ::send(fd, data.data() + done, data.size() - done, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        done += static_cast<std::size_t>(n);
    }
    return true;
}

/// True when the peer closed its side (or the socket broke).
bool client_gone(int fd) {
    pollfd p{fd, POLLIN | POLLRDHUP, 0};
    if (::poll(&p, 1, 0) <= 0) return false;
    if (p.revents & (POLLRDHUP | POLLHUP | POLLERR)) return true;
    char c;
    ssize_t n = ::recv(fd, &c, 1, MSG_PEEK | MSG_DONTWAIT);
    return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR);
}

}  // namespace

void Server::say(const std::string& line) {
    std::lock_guard lock(say_mutex_);
    std::cout << line << std::endl;
}

Server::~Server() {
    stop();
    if (listen_fd_ >= 0) ::close(listen_fd_);
    for (int fd : wake_pipe_)
        if (fd >= 0) ::close(fd);
}

sdk::Status Server::listen(const std::string& host, int port) {
    if (::pipe2(wake_pipe_, O_CLOEXEC) != 0) return sdk::Status::failure("io_error", std::strerror(errno));
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (listen_fd_ < 0) return sdk::Status::failure("io_error", std::string("socket: ") + std::strerror(errno));
    int one = 1;
    ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    if (::inet_pton(AF_INET, host.c_str(), &addr.sin_addr) != 1)
        return sdk::Status::failure("invalid_argument", "--host " + host + ": not an IPv4 address");
    if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
        return sdk::Status::failure("io_error", "bind " + host + ":" + std::to_string(port) + ": " + std::strerror(errno));
    if (::listen(listen_fd_, 64) != 0) return sdk::Status::failure("io_error", std::string("listen: ") + std::strerror(errno));
    socklen_t len = sizeof addr;
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    return {};
}

void Server::stop() {
    if (stopping_.exchange(true)) return;
    if (wake_pipe_[1] >= 0) {
        char c = 'x';
        [[maybe_unused]] auto n = ::write(wake_pipe_[1], &c, 1);
    }
}

void Server::run() {
    while (!stopping_) {
        pollfd p[2] = {{listen_fd_, POLLIN, 0}, {wake_pipe_[0], POLLIN, 0}};
        int n = ::poll(p, 2, -1);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 || (p[1].revents & POLLIN)) break;
        if (!(p[0].revents & POLLIN)) continue;
        int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
        if (fd < 0) continue;
        std::lock_guard lock(threads_mutex_);
        threads_.emplace_back([this, fd] { serve(fd); });
    }
    std::vector<std::thread> threads;
    {
        std::lock_guard lock(threads_mutex_);
        threads.swap(threads_);
    }
    for (auto& t : threads) t.join();
}

void Server::carry_out(int fd, const Decision& d, bool& keep_open) {
    if (!d.summary.empty()) say(d.summary);
    switch (d.delivery) {
        case Delivery::answer:
            keep_open = send_line(fd, d.answer_line);
            return;
        case Delivery::close_silently:
            keep_open = false;
            return;
        case Delivery::hold_silently:
            // Never answer; wait for the client to give up (or for shutdown).
            while (!stopping_ && !client_gone(fd)) {
                pollfd p{wake_pipe_[0], POLLIN, 0};
                ::poll(&p, 1, kTickMs);
            }
            keep_open = false;
            return;
        case Delivery::hang:
            for (;;) {
                if (stopping_) {
                    keep_open = false;
                    return;
                }
                if (terminal_.wait_release(d.release_generation, kTickMs)) {
                    Decision done = terminal_.finish_hung(d.request);
                    carry_out(fd, done, keep_open);
                    return;
                }
                if (client_gone(fd)) {
                    terminal_.abandon_hung(d.request.key);
                    say(std::string(operation_name(d.request.op)) + " " + d.request.key +
                        ": the client left while it hung; nothing charged");
                    keep_open = false;
                    return;
                }
            }
    }
}

void Server::serve(int fd) {
    std::string buffer;
    char chunk[4096];
    bool keep_open = true;
    while (keep_open && !stopping_) {
        if (auto eol = buffer.find('\n'); eol != std::string::npos) {
            std::string line = buffer.substr(0, eol);
            buffer.erase(0, eol + 1);
            if (!line.empty() && line.back() == '\r') line.pop_back();
            if (line.empty()) continue;
            carry_out(fd, terminal_.handle(line), keep_open);
            continue;
        }
        if (buffer.size() > kMaxLineBytes) {
            send_line(fd, R"({"v":1,"type":"error","result":"error","error":"bad_request","message":"line too long"})");
            break;
        }
        pollfd p[2] = {{fd, POLLIN, 0}, {wake_pipe_[0], POLLIN, 0}};
        int n = ::poll(p, 2, -1);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 || (p[1].revents & POLLIN)) break;
        ssize_t got = ::recv(fd, chunk, sizeof chunk, 0);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) break;
        buffer.append(chunk, static_cast<std::size_t>(got));
    }
    ::close(fd);
}

}  // namespace till::payment_card::sim
