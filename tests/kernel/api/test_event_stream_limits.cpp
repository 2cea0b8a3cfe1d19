// The WebSocket event stream under abuse: a client that floods frames and
// never reads, frames over the size limit, and stop() during a flood.
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <fcntl.h>
#include <string>
#include <thread>

#include "api/http_server.hpp"
#include "api_test_support.hpp"

using namespace till;
using till::test::WsClient;
using Poco::Net::WebSocket;

namespace {

using Node = till::test::ServerNode;

/// One masked client frame (mask 0, so the payload goes as is).
std::string client_frame(int opcode, const std::string& payload) {
    std::string f;
    f += static_cast<char>(0x80 | opcode);
    f += static_cast<char>(0x80 | static_cast<int>(payload.size()));  // < 126 here
    f.append(4, '\0');
    f += payload;
    return f;
}

std::string repeat(const std::string& s, int times) {
    std::string out;
    out.reserve(s.size() * static_cast<std::size_t>(times));
    for (int i = 0; i < times; ++i) out += s;
    return out;
}

/// A raw WebSocket client that upgrades, then only ever sends (never reads
/// after the handshake).
class Flooder {
public:
    enum class Sent { some, full, closed };

    explicit Flooder(int port, std::string chunk) : chunk_(std::move(chunk)) {
        fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        REQUIRE(fd_ >= 0);
        timeval tv{10, 0};
        ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(static_cast<std::uint16_t>(port));
        ::inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
        REQUIRE(::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
        const std::string request =
            "GET /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
            "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
            "Sec-WebSocket-Version: 13\r\n\r\n";
        REQUIRE(::send(fd_, request.data(), request.size(), MSG_NOSIGNAL) ==
                static_cast<ssize_t>(request.size()));
        std::string response;
        char buf[512];
        for (int i = 0; i < 100 && response.find("\r\n\r\n") == std::string::npos; ++i) {
            ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
            if (n <= 0) break;
            response.append(buf, static_cast<std::size_t>(n));
        }
        REQUIRE(response.rfind("HTTP/1.1 101", 0) == 0);
        ::fcntl(fd_, F_SETFL, ::fcntl(fd_, F_GETFL) | O_NONBLOCK);
    }
    ~Flooder() {
        if (fd_ >= 0) ::close(fd_);
    }
    Flooder(const Flooder&) = delete;
    Flooder& operator=(const Flooder&) = delete;

    /// Sends what the socket takes now (keeping frames whole across calls);
    /// when it takes nothing, waits up to 50 ms for room. `closed` once the
    /// server closed or reset the connection.
    Sent send_some() {
        ssize_t n = ::send(fd_, chunk_.data() + offset_, chunk_.size() - offset_,
                           MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n > 0) {
            offset_ = (offset_ + static_cast<std::size_t>(n)) % chunk_.size();
            sent_bytes += n;
            return Sent::some;
        }
        if (n < 0 && errno == EINTR) return Sent::some;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            pollfd p{fd_, POLLOUT, 0};
            ::poll(&p, 1, 50);
            return Sent::full;
        }
        return Sent::closed;
    }

    std::atomic<long long> sent_bytes{0};

private:
    int fd_ = -1;
    std::string chunk_;
    std::size_t offset_ = 0;
};

}  // namespace

TEST_CASE("a client that floods frames and never reads is closed and the others keep their events") {
    Node node;
    WsClient good(node.port(), "?topics=tick");
    REQUIRE(good.receive_json()["type"].as_string() == "hello");
    // Each 1-byte text frame is invalid JSON and earns an error reply it never reads.
    Flooder flooder(node.port(), repeat(client_frame(0x1, "x"), 1000));

    bool closed = false;
    int ticks = 0;
    const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    for (int round = 0; round < 100000 && !closed && std::chrono::steady_clock::now() < end;
         ++round) {
        for (int i = 0; i < 64; ++i) {
            auto r = flooder.send_some();
            if (r == Flooder::Sent::closed) closed = true;
            if (r != Flooder::Sent::some) break;
        }
        if (round % 8 == 0) {
            sdk::Value payload = sdk::Value::map();
            payload.set("n", ticks);
            node.bus.publish("tick", payload);
            auto e = good.receive_json();
            REQUIRE(e["topic"].as_string() == "tick");
            CHECK(e["payload"]["n"].as_int() == ticks);
            ++ticks;
        }
    }
    CHECK(closed);
    CHECK(flooder.sent_bytes.load() > 0);
    CHECK(ticks > 1);
    CHECK(node.logger->contains("does not read its replies", "1008"));
    node.bus.publish("tick", nullptr);
    CHECK(good.receive_json()["topic"].as_string() == "tick");
}

TEST_CASE("a frame or a fragmented message over the size limit is closed with 1009") {
    Node node;
    WsClient one(node.port());
    REQUIRE(one.receive_json()["type"].as_string() == "hello");
    one.send_text(std::string(70000, 'x'));  // completes: the hub reads and drops the rest
    auto close = one.receive();
    CHECK(close.opcode == WebSocket::FRAME_OP_CLOSE);
    CHECK(close.close_code() == 1009);

    WsClient two(node.port());
    REQUIRE(two.receive_json()["type"].as_string() == "hello");
    const std::string half(40000, 'y');
    two.socket->sendFrame(half.data(), static_cast<int>(half.size()),
                          WebSocket::FRAME_OP_TEXT);  // no FIN: more follows
    two.socket->sendFrame(half.data(), static_cast<int>(half.size()),
                          int(WebSocket::FRAME_FLAG_FIN) | int(WebSocket::FRAME_OP_CONT));
    auto close2 = two.receive();
    CHECK(close2.opcode == WebSocket::FRAME_OP_CLOSE);
    CHECK(close2.close_code() == 1009);

    // The hub still serves new clients.
    WsClient three(node.port());
    CHECK(three.receive_json()["type"].as_string() == "hello");
    three.send_text(R"({"subscribe":["z"]})");
    CHECK(three.receive_json()["type"].as_string() == "subscribed");
}

TEST_CASE("stop() returns while a client floods frames, and the flooder is closed or reset") {
    Node node;
    Flooder flooder(node.port(), repeat(client_frame(0x1, "x"), 1000));
    std::atomic<bool> saw_close{false};
    std::thread flood([&] {
        const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(60);
        while (std::chrono::steady_clock::now() < end) {
            if (flooder.send_some() == Flooder::Sent::closed) {
                saw_close = true;
                return;
            }
        }
    });
    const bool flooding = test::wait_until([&] { return flooder.sent_bytes.load() > 256 * 1024; },
                                           20000);
    node.server->stop();  // must come back although the flood goes on
    flood.join();         // ends when the flooder sees the close (or after its bound)
    CHECK(flooding);
    CHECK(saw_close.load());
}
