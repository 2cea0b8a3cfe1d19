#include "reader_thread.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

namespace till::scanner_hid {

ReaderThread::~ReaderThread() {
    stop();
    join_finished();
}

void ReaderThread::join_finished() noexcept {
    if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
    if (thread_.joinable()) thread_.detach();  // only when destroyed from its own thread
    if (wake_read_ >= 0) ::close(wake_read_);
    if (wake_write_ >= 0) ::close(wake_write_);
    wake_read_ = wake_write_ = -1;
}

sdk::DeviceResult ReaderThread::start(ScanSource& source, Deliver deliver, Report report) {
    join_finished();
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0)
        return sdk::DeviceResult::failure(sdk::DeviceErrorCode::failure, std::string("pipe: ") + std::strerror(errno));
    wake_read_ = fds[0];
    wake_write_ = fds[1];
    stop_requested_ = false;
    try {
        thread_ = std::thread([this, &source, d = std::move(deliver), r = std::move(report)] { run(source, d, r); });
    } catch (const std::exception& e) {
        join_finished();
        return sdk::DeviceResult::failure(sdk::DeviceErrorCode::failure, std::string("cannot start reader: ") + e.what());
    }
    return sdk::DeviceResult::success();
}

void ReaderThread::stop() noexcept {
    if (!thread_.joinable()) return;
    stop_requested_ = true;
    const char byte = 1;
    [[maybe_unused]] auto n = ::write(wake_write_, &byte, 1);
    if (thread_.get_id() == std::this_thread::get_id()) return;  // the loop ends when the handler returns
    join_finished();
}

void ReaderThread::run(ScanSource& source, const Deliver& deliver, const Report& report) {
    reader_id_ = std::this_thread::get_id();
    std::vector<pollfd> fds;
    std::vector<std::string> scans;
    while (!stop_requested_) {
        fds.clear();
        fds.push_back({wake_read_, POLLIN, 0});
        source.add_poll_fds(fds);
        const int ready = ::poll(fds.data(), static_cast<nfds_t>(fds.size()), source.poll_timeout_ms());
        if (ready < 0 && errno != EINTR) {
            report(std::string("poll: ") + std::strerror(errno));
            break;
        }
        if (stop_requested_) break;
        scans.clear();
        std::string problem;
        source.service(fds, 1, scans, problem);
        if (!problem.empty()) report(problem);
        for (auto& scan : scans) {
            if (stop_requested_) break;  // disabled midway: the rest is not delivered
            deliver(std::move(scan));
        }
    }
}

}  // namespace till::scanner_hid
