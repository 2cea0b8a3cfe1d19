// A network printer for tests: a TCP listener on 127.0.0.1 (port 0) served
// by its own thread, one connection at a time. It records every byte,
// answers DLE EOT n with the configured status bytes, and can misbehave:
// stop reading after some bytes (a stalled printer whose buffer is full) or
// reset the connection after some bytes (a printer switched off mid-job).
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <string>
#include <thread>

namespace till::test {

struct ListenerBehaviour {
    /// Answers to DLE EOT 1..4; "" = never answer.
    std::string status = std::string(4, '\x12');
    std::size_t stall_after_bytes = std::string::npos;  ///< stop reading (keep the connection)
    std::size_t drop_after_bytes = std::string::npos;   ///< reset the connection
    int receive_buffer_bytes = 0;                       ///< SO_RCVBUF for accepted sockets (0 = default)
};

class PrinterListener {
public:
    explicit PrinterListener(ListenerBehaviour behaviour);
    ~PrinterListener();
    PrinterListener(const PrinterListener&) = delete;
    PrinterListener& operator=(const PrinterListener&) = delete;

    int port() const noexcept { return port_; }
    /// Every byte received, all connections in order.
    std::string received() const;
    int connections() const;
    /// Waits (bounded) until `connections` connections have been closed by the client.
    bool wait_closed(int connections, int timeout_ms) const;

private:
    void serve();
    void handle(int fd);

    ListenerBehaviour behaviour_;
    int listen_fd_ = -1;
    int port_ = 0;
    std::atomic<bool> stop_{false};
    mutable std::mutex mutex_;
    mutable std::condition_variable changed_;
    std::string received_;
    int connections_ = 0;
    int closed_ = 0;
    std::thread thread_;
};

}  // namespace till::test
