#include "serial_scanner.hpp"

#include <chrono>
#include <thread>

#include "device_lifecycle.hpp"
#include "tcp_source.hpp"
#include "tty_source.hpp"

namespace till::scanner_serial {

using sdk::DeviceErrorCode;
using sdk::DeviceResult;
using sdk::DeviceState;

SerialScanner::SerialScanner(SerialOptions options) : options_(std::move(options)) {
    if (options_.source == SourceKind::tcp) source_ = std::make_unique<TcpSource>(options_);
    else source_ = std::make_unique<TtySource>(options_);
}

SerialScanner::~SerialScanner() { close(); }

void SerialScanner::attach_host(const sdk::Clock* clock, sdk::Logger* logger) {
    clock_ = clock;
    logger_ = logger;
}

// source_ never changes after construction and its description and counters
// are atomics or constants: no device lock, so a scan handler may call these.
int SerialScanner::tcp_port() const {
    auto* tcp = dynamic_cast<TcpSource*>(source_.get());
    return tcp ? tcp->port() : 0;
}

std::string SerialScanner::description() const {
    return "barcode scanner, " + source_->description();
}

std::int64_t SerialScanner::now_utc_ms() const {
    if (const sdk::Clock* c = clock_) return c->now_utc_ms();
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

DeviceResult SerialScanner::failed(DeviceResult result) {
    std::lock_guard lock(stats_mutex_);
    ++stats_.failures;
    stats_.last_failure = result.message;
    stats_.last_failure_utc_ms = now_utc_ms();
    return result;
}

std::unique_lock<std::mutex> SerialScanner::lock_for_call(bool& stopping) {
    std::unique_lock lock(mutex_, std::defer_lock);
    stopping = false;
    if (!reader_.on_reader_thread()) {
        lock.lock();
        return lock;
    }
    while (!lock.try_lock()) {
        if (stopping_) {
            stopping = true;
            return lock;
        }
        std::this_thread::yield();
    }
    return lock;
}

DeviceResult SerialScanner::open() {
    bool stopping = false;
    auto lock = lock_for_call(stopping);
    if (stopping) return DeviceResult::failure(DeviceErrorCode::busy, "open: the device is being stopped");  // by the thread stopping the reader
    auto step = lifecycle_step(state_, LifecycleCall::open);
    if (!step.result.ok()) return step.result;
    if (auto r = source_->open(); !r.ok()) return failed(r);
    state_ = step.next;
    return DeviceResult::success();
}

DeviceResult SerialScanner::claim(std::int64_t timeout_ms) {
    bool stopping = false;
    auto lock = lock_for_call(stopping);
    if (stopping) return DeviceResult::failure(DeviceErrorCode::busy, "claim: the device is being stopped");  // by the thread stopping the reader
    if (timeout_ms < 0) return DeviceResult::failure(DeviceErrorCode::illegal, "claim: negative timeout");
    auto step = lifecycle_step(state_, LifecycleCall::claim);
    if (!step.result.ok()) return step.result;
    if (state_ == DeviceState::opened) {
        if (auto r = source_->lock(timeout_ms); !r.ok()) return failed(r);
    }
    state_ = step.next;
    return DeviceResult::success();
}

DeviceResult SerialScanner::enable() {
    bool stopping = false;
    auto lock = lock_for_call(stopping);
    if (stopping) return DeviceResult::failure(DeviceErrorCode::busy, "enable: the device is being stopped");  // by the thread stopping the reader
    auto step = lifecycle_step(state_, LifecycleCall::enable);
    if (!step.result.ok()) return step.result;
    if (state_ == DeviceState::enabled) return DeviceResult::success();
    auto started = reader_.start(
        *source_, [this](std::string scan) { deliver(std::move(scan)); },
        [this](const std::string& problem) { report(problem); });
    if (!started.ok()) return failed(started);
    state_ = step.next;
    return DeviceResult::success();
}

DeviceResult SerialScanner::disable() {
    bool stopping = false;
    auto lock = lock_for_call(stopping);
    if (stopping) return DeviceResult::success();  // by the thread stopping the reader
    auto step = lifecycle_step(state_, LifecycleCall::disable);
    if (!step.result.ok()) return step.result;
    stopping_ = true;
    reader_.stop();
    stopping_ = false;
    state_ = step.next;
    return DeviceResult::success();
}

DeviceResult SerialScanner::release() {
    bool stopping = false;
    auto lock = lock_for_call(stopping);
    if (stopping) return DeviceResult::success();  // by the thread stopping the reader
    auto step = lifecycle_step(state_, LifecycleCall::release);
    if (!step.result.ok()) return step.result;
    stopping_ = true;
    reader_.stop();
    stopping_ = false;
    source_->unlock();
    state_ = step.next;
    return DeviceResult::success();
}

DeviceResult SerialScanner::close() {
    bool stopping = false;
    auto lock = lock_for_call(stopping);
    if (stopping) return DeviceResult::success();  // by the thread stopping the reader
    auto step = lifecycle_step(state_, LifecycleCall::close);
    if (!step.result.ok()) return step.result;
    stopping_ = true;
    reader_.stop();
    stopping_ = false;
    source_->close();
    state_ = step.next;
    return DeviceResult::success();
}

DeviceResult SerialScanner::check_health(sdk::HealthCheckLevel level, std::string& report) {
    std::lock_guard lock(mutex_);
    const std::string what = source_->description();
    switch (level) {
        case sdk::HealthCheckLevel::internal: {
            if (state_ != DeviceState::closed) {
                report = what + ": open (" + state_name(state_) + ")";
                return DeviceResult::success();
            }
            // Open and close again to prove the port (or the listen address) is usable.
            auto r = source_->open();
            source_->close();
            report = what + (r.ok() ? ": can be opened" : ": " + r.message);
            return r;
        }
        case sdk::HealthCheckLevel::external: {
            auto step = lifecycle_step(state_, LifecycleCall::io);
            if (!step.result.ok()) {
                report = step.result.message;
                return step.result;
            }
            report = what + ": enabled, " + (reader_.running() ? "reading" : "reader stopped");
            return reader_.running() ? DeviceResult::success()
                                     : DeviceResult::failure(DeviceErrorCode::failure, report);
        }
        case sdk::HealthCheckLevel::interactive:
            report = "not supported: scan a barcode and watch scan.received on the event stream";
            return DeviceResult::failure(DeviceErrorCode::illegal, report);
    }
    return DeviceResult::failure(DeviceErrorCode::illegal, "unknown health check level");
}

sdk::DeviceStatistics SerialScanner::statistics() const {
    sdk::DeviceStatistics out;
    {
        std::lock_guard lock(stats_mutex_);
        out = stats_;
    }
    // Source counters are atomics: safe to read while the reader runs.
    source_->add_statistics(out.extra);
    return out;
}

void SerialScanner::set_scan_handler(ScanHandler handler) {
    std::lock_guard lock(handler_mutex_);
    handler_ = std::move(handler);
}

void SerialScanner::deliver(std::string data) {
    sdk::ScanData scan;
    scan.symbology = guess_symbology(data);
    scan.data = std::move(data);
    scan.time_utc_ms = now_utc_ms();
    ScanHandler handler;
    {
        std::lock_guard lock(handler_mutex_);
        handler = handler_;  // a copy: the handler may replace itself
    }
    {
        std::lock_guard lock(stats_mutex_);
        ++stats_.operations;
        ++stats_.extra["scans"];
        if (!handler) ++stats_.extra["scans_without_handler"];
    }
    if (!handler) return;
    try {
        handler(scan);
    } catch (const std::exception& e) {
        report(std::string("scan handler threw: ") + e.what());
    } catch (...) {
        report("scan handler threw");
    }
}

void SerialScanner::report(const std::string& problem) {
    if (sdk::Logger* log = logger_) log->warn("scanner " + options_.device_id + ": " + problem);
    if (problem.find("reopened") == std::string::npos) failed(DeviceResult::failure(DeviceErrorCode::offline, problem));
}

}  // namespace till::scanner_serial
