// printer_escpos: how bytes reach a printer.
//
//  - StreamTransport: one file descriptor opened per job and closed after it
//    (TcpTransport: raw TCP, port 9100; DeviceFileTransport: /dev/usb/lp0, a
//    serial or pseudo-terminal). Every call is bounded by a deadline (poll);
//    none blocks past it.
//  - FileSink: the virtual printer, one <name>.bin (the bytes) and
//    <name>.txt (plain text) per job in a folder, written atomically.
//
// Not thread-safe: the printer serialises calls.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <till/sdk/device.hpp>

namespace till::printer_escpos {

using Deadline = std::chrono::steady_clock::time_point;

Deadline deadline_in(std::int64_t timeout_ms);
std::int64_t ms_left(Deadline deadline);

class StreamTransport {
public:
    virtual ~StreamTransport();
    /// "TCP 192.0.2.10:9100", "device /dev/usb/lp0".
    virtual std::string description() const = 0;
    /// Opens the connection (closing a previous one); offline or timeout.
    virtual sdk::DeviceResult connect(Deadline deadline) = 0;
    /// Whether the connection can carry the printer's answers.
    bool readable() const noexcept { return readable_; }

    /// Writes every byte before the deadline, or fails: timeout when the
    /// printer stopped taking bytes, offline when the connection broke. The
    /// message says how many bytes were sent. `written` receives the count.
    sdk::DeviceResult write_all(std::string_view bytes, Deadline deadline, std::size_t& written);
    /// Reads exactly n bytes before the deadline (appended to `out`).
    sdk::DeviceResult read_exact(std::size_t n, std::string& out, Deadline deadline);
    /// Waits until the other end has taken every byte written (TCP: all
    /// acknowledged); the default (device files) returns at once.
    virtual sdk::DeviceResult wait_acknowledged(Deadline deadline);
    /// Discards whatever the printer sent unasked (stale answers).
    void drain_input();
    void disconnect() noexcept;
    bool connected() const noexcept { return fd_ >= 0; }

protected:
    int fd_ = -1;
    bool readable_ = false;
};

class TcpTransport final : public StreamTransport {
public:
    /// `send_buffer_bytes` > 0 caps the kernel's send buffer, so a printer
    /// that stops reading is noticed within the timeout instead of after
    /// megabytes of buffering.
    TcpTransport(std::string host, int port, std::int64_t connect_timeout_ms, int send_buffer_bytes);
    ~TcpTransport() override;
    std::string description() const override;
    sdk::DeviceResult connect(Deadline deadline) override;
    /// Polls the socket's send queue (SIOCOUTQ) until it is empty.
    sdk::DeviceResult wait_acknowledged(Deadline deadline) override;

private:
    std::string host_;
    int port_;
    std::int64_t connect_timeout_ms_;
    int send_buffer_bytes_;
};

class DeviceFileTransport final : public StreamTransport {
public:
    explicit DeviceFileTransport(std::string path);
    ~DeviceFileTransport() override;
    std::string description() const override;
    /// Opens read-write when it can (status), else write-only; a terminal
    /// (serial port, pty) is switched to raw mode.
    sdk::DeviceResult connect(Deadline deadline) override;

private:
    std::string path_;
};

class FileSink {
public:
    explicit FileSink(std::string folder);
    const std::string& folder() const noexcept { return folder_; }
    /// Creates the folder and checks it can be written; "" or the problem.
    std::string check_writable() const;
    /// Writes <name>.bin and <name>.txt (each via a temporary file, fsync,
    /// rename): a job is there completely or not at all.
    sdk::DeviceResult write_job(const std::string& name, std::string_view bytes, std::string_view text) const;

private:
    std::string folder_;
};

}  // namespace till::printer_escpos
