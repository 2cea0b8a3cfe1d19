// A terminal that puts a full card number where Till does not expect one (an
// error message, an unknown result, a wrong key): the real plugin must not
// pass it on, whatever path the answer takes. The "terminal" is a TCP
// listener answering each connection with one fixed line.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <mutex>
#include <thread>

#include "card_rig.hpp"
#include "plugin_kernel.hpp"

using namespace till;
using namespace till::test::card;
using sdk::PaymentOutcome;

namespace {

constexpr const char* kPan = "4242424242424242";

/// Accepts connections on 127.0.0.1, reads one line, answers `answer()`.
class FixedAnswerTerminal {
public:
    FixedAnswerTerminal() {
        fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        REQUIRE(fd_ >= 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
        REQUIRE(::listen(fd_, 8) == 0);
        socklen_t len = sizeof addr;
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
        port_ = ntohs(addr.sin_port);
        thread_ = std::thread([this] { run(); });
    }
    ~FixedAnswerTerminal() {
        stop_ = true;
        thread_.join();
        ::close(fd_);
    }
    int port() const { return port_; }
    void set_answer(std::string line) {
        std::lock_guard lock(mutex_);
        answer_ = std::move(line);
    }

private:
    void run() {
        while (!stop_) {
            pollfd p{fd_, POLLIN, 0};
            if (::poll(&p, 1, 50) <= 0) continue;
            int c = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
            if (c < 0) continue;
            std::string got;
            char buf[512];
            for (int i = 0; i < 200 && got.find('\n') == std::string::npos; ++i) {
                pollfd q{c, POLLIN, 0};
                if (::poll(&q, 1, 50) <= 0) continue;
                ssize_t n = ::read(c, buf, sizeof buf);
                if (n <= 0) break;
                got.append(buf, static_cast<std::size_t>(n));
            }
            std::string line;
            {
                std::lock_guard lock(mutex_);
                line = answer_ + "\n";
            }
            [[maybe_unused]] auto w = ::send(c, line.data(), line.size(), MSG_NOSIGNAL);
            ::close(c);
        }
    }

    int fd_ = -1;
    int port_ = 0;
    std::atomic<bool> stop_{false};
    std::mutex mutex_;
    std::string answer_;
    std::thread thread_;
};

struct LeakRig {
    FixedAnswerTerminal terminal;
    till::test::DomainFixture fixture;
    till::test::PluginRig rig{fixture, {"payment_card"}, {{"payment_card", card_config(terminal.port())}}};
    std::shared_ptr<sdk::PaymentMethod> card = rig.registry().payment_method("card");
};

}  // namespace

TEST_CASE("a card number in a terminal's status error is masked", "[payment_card][pci]") {
    LeakRig r;
    REQUIRE(r.card);
    r.terminal.set_answer(std::string(R"({"v":1,"type":"status","of":"sale","key":"k-1","result":"error",)") +
                          R"("error":"card_)" + kPan + R"(","message":"card )" + kPan + R"( could not be read"})");
    auto status = r.card->query_status("k-1");
    CHECK(status.outcome == PaymentOutcome::uncertain);
    INFO(status.message);
    CHECK(status.message.find(kPan) == std::string::npos);
    CHECK_THAT(status.message, Catch::Contains("4242"));
}

TEST_CASE("a card number in an unknown result or a wrong key is masked", "[payment_card][pci]") {
    LeakRig r;
    REQUIRE(r.card);
    r.terminal.set_answer(std::string(R"({"v":1,"type":"sale","key":"k-2","result":"card )") + kPan + R"("})");
    auto sale = r.card->sale(card_request("k-2", 1000));
    CHECK(sale.outcome == PaymentOutcome::uncertain);
    INFO(sale.message);
    CHECK(sale.message.find(kPan) == std::string::npos);

    r.terminal.set_answer(std::string(R"({"v":1,"type":"sale","key":")") + kPan +
                          R"(","result":"approved","amount_minor":1000,"approved_minor":1000,"currency":"EUR"})");
    auto other = r.card->sale(card_request("k-3", 1000));
    CHECK(other.outcome == PaymentOutcome::uncertain);
    INFO(other.message);
    CHECK(other.message.find(kPan) == std::string::npos);
}

TEST_CASE("a card number in a terminal's totals error is not shown by the route", "[payment_card][pci]") {
    FixedAnswerTerminal terminal;
    terminal.set_answer(std::string(R"({"v":1,"type":"totals","result":"error","error":"x","message":"last card )") +
                        kPan + R"("})");
    till::test::PluginKernel kernel;
    sdk::Value config = sdk::Value::map();
    config.set("port", terminal.port());
    REQUIRE(kernel.start("payment_card", config).ok());
    auto reply = kernel.get("/api/v1/payment-card/totals");
    INFO(reply.body);
    CHECK(reply.status == 503);
    CHECK(reply.body.find(kPan) == std::string::npos);
}
