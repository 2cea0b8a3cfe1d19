// The simulator's TCP side: accepts connections on 127.0.0.1 (or --host),
// one thread per connection, one JSON line per request (PROTOCOL.md), and
// carries out each Decision: answer, drop the connection, hold it without
// answering, or hang until released.
#pragma once

#include <atomic>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <till/sdk/status.hpp>

#include "sim_terminal.hpp"

namespace till::payment_card::sim {

class Server {
public:
    explicit Server(Terminal& terminal) : terminal_(terminal) {}
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    /// Binds and listens; port 0 picks a free one (see port()).
    sdk::Status listen(const std::string& host, int port);
    int port() const { return port_; }
    /// Accepts until stop(); then joins the connection threads.
    void run();
    /// Safe from any thread (and from a signal-waiting thread).
    void stop();

private:
    void serve(int fd);
    void carry_out(int fd, const Decision& decision, bool& keep_open);
    void say(const std::string& line);  ///< one line to stdout

    Terminal& terminal_;
    int listen_fd_ = -1;
    int port_ = 0;
    int wake_pipe_[2] = {-1, -1};
    std::atomic<bool> stopping_{false};
    std::mutex say_mutex_;
    std::mutex threads_mutex_;
    std::vector<std::thread> threads_;
};

}  // namespace till::payment_card::sim
