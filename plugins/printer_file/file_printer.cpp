#include "file_printer.hpp"

#include <chrono>
#include <thread>
#include <utility>

#include "device_lifecycle.hpp"
#include "text_renderer.hpp"

namespace till::printer_file {
namespace {

using sdk::DeviceErrorCode;
using sdk::DeviceResult;
using sdk::DeviceState;

constexpr std::chrono::milliseconds kClaimPollInterval{10};

}  // namespace

FilePrinter::FilePrinter(FilePrinterOptions options) : options_(std::move(options)) {
    stats_.extra = {{"jobs_printed", 0}, {"lines_printed", 0}, {"bytes_written", 0}, {"cuts", 0}, {"drawer_kicks", 0}};
}

FilePrinter::~FilePrinter() = default;  // ReceiptFile closes and unlocks

void FilePrinter::set_output(std::string path, const sdk::Clock* clock) {
    std::lock_guard lock(mutex_);
    path_ = std::move(path);
    clock_ = clock;
}

std::string FilePrinter::output_path() const {
    std::lock_guard lock(mutex_);
    return path_;
}

std::string FilePrinter::device_id() const { return options_.device_id; }

std::string FilePrinter::description() const {
    std::lock_guard lock(mutex_);
    return "text file printer: " + (path_.empty() ? std::string("(file not set)") : path_);
}

DeviceState FilePrinter::state() const {
    std::lock_guard lock(mutex_);
    return state_;
}

std::int64_t FilePrinter::now_utc_ms() const {
    if (clock_) return clock_->now_utc_ms();
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

DeviceResult FilePrinter::failed(DeviceResult result) {
    ++stats_.failures;
    stats_.last_failure_utc_ms = now_utc_ms();
    stats_.last_failure = result.message;
    return result;
}

DeviceResult FilePrinter::open() {
    std::lock_guard lock(mutex_);
    auto step = lifecycle_step(state_, LifecycleCall::open);
    if (!step.result.ok()) return step.result;
    if (path_.empty()) return failed(DeviceResult::failure(DeviceErrorCode::offline, "open: no output file set (plugin not started)"));
    if (auto error = file_.open(path_); !error.empty())
        return failed(DeviceResult::failure(DeviceErrorCode::offline, "open: " + error));
    state_ = step.next;
    return DeviceResult::success();
}

DeviceResult FilePrinter::claim(std::int64_t timeout_ms) {
    std::lock_guard lock(mutex_);
    auto step = lifecycle_step(state_, LifecycleCall::claim);
    if (!step.result.ok() || state_ != DeviceState::opened) return step.result;  // refused, or already ours
    if (timeout_ms < 0)
        return DeviceResult::failure(DeviceErrorCode::illegal, "claim: timeout_ms must be 0 or more");
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    while (true) {
        std::string error;
        switch (file_.try_lock(error)) {
            case ReceiptFile::LockResult::locked: state_ = step.next; return DeviceResult::success();
            case ReceiptFile::LockResult::error: return failed(DeviceResult::failure(DeviceErrorCode::failure, "claim: " + error));
            case ReceiptFile::LockResult::held_elsewhere: break;
        }
        if (std::chrono::steady_clock::now() >= deadline) {
            return failed(DeviceResult::failure(DeviceErrorCode::claimed,
                                                "claim: " + path_ + " is claimed by another device or process (waited " +
                                                    std::to_string(timeout_ms) + " ms)"));
        }
        std::this_thread::sleep_for(kClaimPollInterval);
    }
}

DeviceResult FilePrinter::enable() {
    std::lock_guard lock(mutex_);
    auto step = lifecycle_step(state_, LifecycleCall::enable);
    if (!step.result.ok()) return step.result;
    state_ = step.next;
    return DeviceResult::success();
}

DeviceResult FilePrinter::disable() {
    std::lock_guard lock(mutex_);
    auto step = lifecycle_step(state_, LifecycleCall::disable);
    if (!step.result.ok()) return step.result;
    state_ = step.next;
    return DeviceResult::success();
}

DeviceResult FilePrinter::release() {
    std::lock_guard lock(mutex_);
    auto step = lifecycle_step(state_, LifecycleCall::release);
    if (!step.result.ok()) return step.result;
    file_.unlock();
    state_ = step.next;
    return DeviceResult::success();
}

DeviceResult FilePrinter::close() {
    std::lock_guard lock(mutex_);
    auto step = lifecycle_step(state_, LifecycleCall::close);
    if (!step.result.ok()) return step.result;
    file_.close();  // disables and releases implicitly, as UnifiedPOS close does
    state_ = step.next;
    return DeviceResult::success();
}

DeviceResult FilePrinter::check_health(sdk::HealthCheckLevel level, std::string& report) {
    std::lock_guard lock(mutex_);
    ++stats_.operations;
    if (level == sdk::HealthCheckLevel::interactive) {
        report = "interactive check not supported; POST /api/v1/devices/" + options_.device_id + "/test-print";
        return DeviceResult::failure(DeviceErrorCode::illegal, report);
    }
    if (level == sdk::HealthCheckLevel::external) {
        auto step = lifecycle_step(state_, LifecycleCall::io);
        if (!step.result.ok()) {
            report = step.result.message;
            return step.result;
        }
    }
    if (path_.empty()) {
        report = "no output file set (plugin not started)";
        return failed(DeviceResult::failure(DeviceErrorCode::offline, report));
    }
    std::string detail;
    if (!ReceiptFile::check_writable(path_, detail)) {
        report = "unhealthy: " + detail;
        return failed(DeviceResult::failure(DeviceErrorCode::offline, report));
    }
    if (level == sdk::HealthCheckLevel::external) {
        if (auto error = file_.append_durably({}); !error.empty()) {
            report = "unhealthy: " + error;
            return failed(DeviceResult::failure(DeviceErrorCode::failure, report));
        }
    }
    report = "healthy: " + detail + " (state " + state_name(state_) + ")";
    return DeviceResult::success();
}

sdk::DeviceStatistics FilePrinter::statistics() const {
    std::lock_guard lock(mutex_);
    return stats_;
}

DeviceResult FilePrinter::print(const sdk::PrintJob& job, std::int64_t timeout_ms) {
    std::lock_guard lock(mutex_);
    ++stats_.operations;
    auto step = lifecycle_step(state_, LifecycleCall::io);
    if (!step.result.ok()) return failed(step.result);
    if (timeout_ms < 0) return failed(DeviceResult::failure(DeviceErrorCode::illegal, "print: timeout_ms must be 0 or more"));

    const auto rows = render_job(job, options_.columns);
    std::string text;
    for (const auto& row : rows) {
        text += row;
        text += '\n';
    }
    if (auto error = file_.append_durably(text); !error.empty()) {
        return failed(DeviceResult::failure(DeviceErrorCode::failure,
                                            "print" + (job.job_id.empty() ? std::string() : " job " + job.job_id) +
                                                ": " + error));
    }
    stats_.extra["jobs_printed"] += 1;
    stats_.extra["lines_printed"] += static_cast<std::int64_t>(rows.size());
    stats_.extra["bytes_written"] += static_cast<std::int64_t>(text.size());
    if (job.cut_after) stats_.extra["cuts"] += 1;
    if (job.open_drawer) stats_.extra["drawer_kicks"] += 1;
    return DeviceResult::success();
}

}  // namespace till::printer_file
