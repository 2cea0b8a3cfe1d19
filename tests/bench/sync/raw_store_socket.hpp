// One simulated store's notify WebSocket as a raw non-blocking socket, so a
// single thread can hold 1,000 of them (Poco's WebSocket client is blocking).
#pragma once

#include <cstdint>
#include <string>

namespace till::bench {

class RawStoreSocket {
public:
    RawStoreSocket() = default;
    ~RawStoreSocket();
    RawStoreSocket(const RawStoreSocket&) = delete;
    RawStoreSocket& operator=(const RawStoreSocket&) = delete;

    /// Connects to 127.0.0.1:port, upgrades /sync/v1/notify with the bearer
    /// token (blocking, bounded by timeout_ms) and reads the first revision.
    /// Returns an error text, "" on success.
    std::string open(int port, const std::string& token, int timeout_ms);
    int fd() const noexcept { return fd_; }
    std::int64_t first_revision() const noexcept { return first_revision_; }
    /// Reads what is available (non-blocking); returns the newest revision
    /// announced so far, -1 when none; answers nothing (pings are ignored).
    std::int64_t read_available();

private:
    bool parse_frames();
    int fd_ = -1;
    std::string in_;
    std::int64_t newest_ = -1;
    std::int64_t first_revision_ = -1;
};

}  // namespace till::bench
