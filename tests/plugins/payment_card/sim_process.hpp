// The card-terminal simulator as a real child process for tests: started on
// a free port with a state file in a temp dir, restartable on the same port
// (its outcomes survive, kill -9 included), and spoken to directly with the
// protocol for test hooks and checks (test code: failures are Catch2
// assertions).
#pragma once

#include <signal.h>

#include <catch2/catch.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "card_protocol.hpp"
#include "line_client.hpp"
#include "support/child_process.hpp"
#include "support/temp_dir.hpp"

namespace till::test::card {

inline std::string sim_binary() { return std::string(TILL_BIN_DIR) + "/till-card-terminal-sim"; }

class SimProcess {
public:
    explicit SimProcess(const TempDir& dir, const std::string& name = "sim")
        : state_file_(dir.file(name + "-state.json")), port_file_(dir.file(name + "-port")),
          log_(dir.file(name + ".log")) {
        start(0);
    }

    int port() const { return port_; }
    const std::string& log() const { return log_; }

    /// Starts it (again) on `port` (0: a free one) with the same state file.
    void start(int port) {
        std::remove(port_file_.c_str());
        process_ = std::make_unique<ChildProcess>(
            std::vector<std::string>{sim_binary(), "--port", std::to_string(port), "--port-file", port_file_,
                                     "--state-file", state_file_},
            log_ + "." + std::to_string(++starts_));
        const std::string text = wait_for_file(port_file_, 10000);
        REQUIRE_FALSE(text.empty());
        port_ = std::stoi(text);
    }

    void kill9() {
        REQUIRE(process_->send_signal(SIGKILL));
        REQUIRE(process_->wait_exit(10000) == 128 + SIGKILL);
    }

    void restart() { start(port_); }

    /// One raw exchange; REQUIREs an answer and returns it parsed.
    sdk::Value ask(const sdk::Value& request) const {
        auto x = payment_card::exchange_line("127.0.0.1", port_, request.to_json(), 2000, 5000);
        INFO(x.error);
        REQUIRE(x.stage == payment_card::ExchangeStage::answered);
        auto parsed = sdk::Value::parse_json(x.line);
        REQUIRE(parsed.ok());
        return *parsed;
    }

    sdk::Value status(const std::string& key) const {
        sdk::Value r = sdk::Value::map();
        r.set("v", 1);
        r.set("type", "status");
        r.set("key", key);
        return ask(r);
    }

    sdk::Value totals(bool close = false) const {
        sdk::Value r = sdk::Value::map();
        r.set("v", 1);
        r.set("type", "totals");
        if (close) r.set("close", true);
        return ask(r)["totals"];
    }

    void hang_next(int count) const {
        sdk::Value r = sdk::Value::map();
        r.set("v", 1);
        r.set("type", "test_hang");
        r.set("count", count);
        REQUIRE(ask(r)["result"].as_string() == "ok");
    }

    void release() const {
        sdk::Value r = sdk::Value::map();
        r.set("v", 1);
        r.set("type", "test_release");
        REQUIRE(ask(r)["result"].as_string() == "ok");
    }

private:
    std::string state_file_, port_file_, log_;
    std::unique_ptr<ChildProcess> process_;
    int port_ = 0;
    int starts_ = 0;
};

/// Waits (bounded: 10 s) for `condition`.
inline bool eventually(const std::function<bool()>& condition) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < deadline) {
        if (condition()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return condition();
}

}  // namespace till::test::card
