#include "escpos_printer.hpp"

#include <chrono>
#include <thread>
#include <utility>

#include "device_lifecycle.hpp"
#include "escpos_encoder.hpp"
#include "realtime_status.hpp"

namespace till::printer_escpos {
namespace {

using sdk::DeviceErrorCode;
using sdk::DeviceResult;
using sdk::DeviceState;

std::unique_ptr<StreamTransport> make_stream(const PrinterConfig& c) {
    switch (c.transport) {
        case TransportKind::tcp:
            return std::make_unique<TcpTransport>(c.host, c.port, c.connect_timeout_ms, c.send_buffer_bytes);
        case TransportKind::device:
            return std::make_unique<DeviceFileTransport>(c.path);
        case TransportKind::file:
            return nullptr;
    }
    return nullptr;
}

DeviceResult with_context(DeviceResult r, const std::string& context) {
    r.message = context + ": " + r.message;
    return r;
}

}  // namespace

sdk::Receipt receipt_from_print_job(const sdk::PrintJob& job) {
    sdk::Receipt r;
    r.kind = std::string(sdk::receipt_kind::sale);
    r.job_id = job.job_id;
    for (const auto& line : job.lines) {
        sdk::TextStyle style;
        style.bold = line.style == sdk::PrintLine::Style::bold;
        style.double_height = line.style == sdk::PrintLine::Style::double_height;
        const auto align = line.align == sdk::PrintLine::Align::center  ? sdk::TextAlign::center
                           : line.align == sdk::PrintLine::Align::right ? sdk::TextAlign::right
                                                                        : sdk::TextAlign::left;
        r.text(line.text, align, style);
    }
    if (!job.barcode.empty())
        r.barcode(sdk::normalize_ean13(job.barcode).ok() && job.barcode.size() == 13 ? sdk::BarcodeSymbology::ean13
                                                                                     : sdk::BarcodeSymbology::code128,
                  job.barcode);
    if (job.open_drawer) r.drawer_pulse();
    if (job.cut_after) r.cut();
    return r;
}

std::string job_file_name(const sdk::Receipt& receipt, std::uint64_t sequence) {
    std::string name;
    for (char c : receipt.job_id) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                        c == '_' || c == '.';
        name += ok ? c : '_';
    }
    if (name.empty() || name.front() == '.')
        name = (receipt.kind.empty() ? std::string("job") : receipt.kind) + "-" + std::to_string(sequence) + name;
    return name;
}

EscposPrinter::EscposPrinter(PrinterConfig config) : config_(std::move(config)), stream_(make_stream(config_)) {
    stats_.extra = {
        {"jobs_printed", 0}, {"bytes_written", 0}, {"unknown_chars", 0}, {"drawer_pulses", 0}, {"status_queries", 0}};
}

EscposPrinter::~EscposPrinter() = default;

void EscposPrinter::set_output_folder(std::string folder) {
    std::lock_guard lock(mutex_);
    folder_ = std::move(folder);
}

void EscposPrinter::set_clock(const sdk::Clock* clock) {
    std::lock_guard lock(mutex_);
    clock_ = clock;
}

void EscposPrinter::set_drawer_sensor(DrawerSensor sensor) {
    std::lock_guard lock(mutex_);
    sensor_ = sensor;
}

std::string EscposPrinter::description() const {
    const std::string how = stream_ ? stream_->description() : "file " + [this] {
        std::lock_guard lock(mutex_);
        return folder_.empty() ? std::string("(folder not set)") : folder_;
    }();
    return "ESC/POS printer, " + how + ", " + std::to_string(config_.columns) + " columns, " +
           code_page_info(config_.code_page).name;
}

DeviceState EscposPrinter::state() const {
    std::lock_guard lock(mutex_);
    return state_;
}

std::int64_t EscposPrinter::now_utc_ms() const {
    if (clock_) return clock_->now_utc_ms();
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

DeviceResult EscposPrinter::failed(DeviceResult result) {
    std::lock_guard lock(mutex_);
    ++stats_.failures;
    stats_.last_failure_utc_ms = now_utc_ms();
    stats_.last_failure = result.message;
    return result;
}

DeviceResult EscposPrinter::lifecycle(int call) {
    std::lock_guard lock(mutex_);
    auto step = lifecycle_step(state_, static_cast<LifecycleCall>(call));
    if (step.result.ok()) state_ = step.next;
    return step.result;
}

DeviceResult EscposPrinter::open() {
    if (!stream_) {
        std::lock_guard lock(mutex_);
        if (state_ == DeviceState::closed && folder_.empty())
            return DeviceResult::failure(DeviceErrorCode::offline, "open: no output folder set (plugin not started)");
    }
    return lifecycle(static_cast<int>(LifecycleCall::open));
}

DeviceResult EscposPrinter::claim(std::int64_t timeout_ms) {
    if (timeout_ms < 0) return DeviceResult::failure(DeviceErrorCode::illegal, "claim: timeout_ms must be 0 or more");
    return lifecycle(static_cast<int>(LifecycleCall::claim));
}
DeviceResult EscposPrinter::enable() {
    return lifecycle(static_cast<int>(LifecycleCall::enable));
}
DeviceResult EscposPrinter::disable() {
    return lifecycle(static_cast<int>(LifecycleCall::disable));
}
DeviceResult EscposPrinter::release() {
    return lifecycle(static_cast<int>(LifecycleCall::release));
}
DeviceResult EscposPrinter::close() {
    return lifecycle(static_cast<int>(LifecycleCall::close));
}

DeviceResult EscposPrinter::check_health(sdk::HealthCheckLevel level, std::string& report) {
    {
        std::lock_guard lock(mutex_);
        ++stats_.operations;
    }
    if (level == sdk::HealthCheckLevel::interactive) {
        report = "interactive check not supported: print a test receipt";
        return DeviceResult::failure(DeviceErrorCode::illegal, report);
    }
    if (!stream_) {
        std::string folder;
        {
            std::lock_guard lock(mutex_);
            folder = folder_;
        }
        if (folder.empty()) {
            report = "no output folder set (plugin not started)";
            return failed(DeviceResult::failure(DeviceErrorCode::offline, report));
        }
        if (auto problem = FileSink(folder).check_writable(); !problem.empty()) {
            report = "unhealthy: " + problem;
            return failed(DeviceResult::failure(DeviceErrorCode::offline, report));
        }
        report = "healthy: jobs go to " + folder;
        return DeviceResult::success();
    }
    if (level == sdk::HealthCheckLevel::internal) {
        report = "configured: " + stream_->description();
        return DeviceResult::success();
    }
    {
        std::lock_guard lock(mutex_);
        auto step = lifecycle_step(state_, LifecycleCall::io);
        if (!step.result.ok()) {
            report = step.result.message;
            return step.result;
        }
    }
    const auto st = printer_status(config_.status_timeout_ms);
    report = (st.online ? "healthy: " : "unhealthy: ") + st.message;
    return st.online ? DeviceResult::success() : failed(DeviceResult::failure(DeviceErrorCode::offline, report));
}

sdk::DeviceStatistics EscposPrinter::statistics() const {
    std::lock_guard lock(mutex_);
    return stats_;
}

DeviceResult EscposPrinter::print(const sdk::PrintJob& job, std::int64_t timeout_ms) {
    return print_receipt(receipt_from_print_job(job), timeout_ms);
}

DeviceResult EscposPrinter::print_receipt(const sdk::Receipt& receipt, std::int64_t timeout_ms) {
    const std::string context = "print" + (receipt.job_id.empty() ? std::string() : " job " + receipt.job_id);
    {
        std::lock_guard lock(mutex_);
        ++stats_.operations;
    }
    if (timeout_ms < 0)
        return failed(DeviceResult::failure(DeviceErrorCode::illegal, context + ": timeout_ms must be 0 or more"));
    const Deadline deadline = deadline_in(timeout_ms);
    std::unique_lock io(io_, std::defer_lock);
    if (!io.try_lock_for(std::chrono::milliseconds(timeout_ms)))
        return failed(DeviceResult::failure(
            DeviceErrorCode::busy,
            context + ": the printer is busy with another job (waited " + std::to_string(timeout_ms) + " ms)"));
    std::uint64_t sequence = 0;
    {
        std::lock_guard lock(mutex_);
        auto step = lifecycle_step(state_, LifecycleCall::io);
        if (!step.result.ok()) {
            step.result.message = context + ": " + step.result.message;
            stats_.failures++;
            stats_.last_failure = step.result.message;
            stats_.last_failure_utc_ms = now_utc_ms();
            return step.result;
        }
        sequence = ++sequence_;
    }
    // Only the file printer writes the plain text; a real printer needs only the bytes.
    auto encoded = encode_receipt(receipt, {config_.columns, config_.code_page, config_.paper_dots, !stream_});
    if (!encoded)
        return failed(DeviceResult::failure(DeviceErrorCode::illegal, context + ": " + encoded.error().message));

    auto result =
        deliver(job_file_name(receipt, sequence), encoded->bytes, encoded->plain_text, deadline, config_.status);
    if (!result.ok()) return failed(with_context(std::move(result), context));
    std::lock_guard lock(mutex_);
    stats_.extra["jobs_printed"] += 1;
    stats_.extra["bytes_written"] += static_cast<std::int64_t>(encoded->bytes.size());
    stats_.extra["unknown_chars"] += static_cast<std::int64_t>(encoded->unknown_chars);
    return DeviceResult::success();
}

DeviceResult EscposPrinter::deliver(const std::string& name, std::string_view bytes, std::string_view text,
                                    Deadline deadline, bool check_status) {
    if (!stream_) {
        std::string folder;
        {
            std::lock_guard lock(mutex_);
            folder = folder_;
        }
        if (folder.empty()) return DeviceResult::failure(DeviceErrorCode::offline, "no output folder set");
        return FileSink(folder).write_job(name, bytes, text);
    }
    if (auto r = stream_->connect(deadline); !r.ok()) return r;
    struct Closer {
        StreamTransport& t;
        ~Closer() { t.disconnect(); }
    } closer{*stream_};

    if (check_status && stream_->readable()) {
        const auto st = query_status(std::min(deadline, deadline_in(config_.status_timeout_ms)));
        if (st.cover_open)
            return DeviceResult::failure(DeviceErrorCode::extended, "not printed: " + st.message,
                                         sdk::kPrinterExtendedCoverOpen);
        if (st.paper_out)
            return DeviceResult::failure(DeviceErrorCode::extended, "not printed: " + st.message,
                                         sdk::kPrinterExtendedPaperOut);
        if (!st.online) return DeviceResult::failure(DeviceErrorCode::offline, "not printed: " + st.message);
    }
    std::size_t written = 0;
    auto r = stream_->write_all(bytes, deadline, written);
    if (r.ok()) r = stream_->wait_acknowledged(deadline);
    if (!r.ok() && written > 0) r.message += "; part of the receipt may have printed";
    return r;
}

sdk::PrinterStatus EscposPrinter::query_status(Deadline deadline) {
    {
        std::lock_guard lock(mutex_);
        stats_.extra["status_queries"] += 1;
    }
    sdk::PrinterStatus st;
    stream_->drain_input();
    std::size_t written = 0;
    if (auto r = stream_->write_all(status_request(), deadline, written); !r.ok()) {
        st.message = "status request failed: " + r.message;
        return st;
    }
    std::string answers;
    if (auto r = stream_->read_exact(4, answers, deadline); !r.ok()) {
        st.message = "no status answer within " + std::to_string(config_.status_timeout_ms) + " ms (" + r.message +
                     "); a printer that does not answer DLE EOT needs status=off";
        return st;
    }
    DrawerSensor sensor;
    {
        std::lock_guard lock(mutex_);
        sensor = sensor_;
    }
    return parse_status(answers, sensor);
}

sdk::PrinterStatus EscposPrinter::printer_status(std::int64_t timeout_ms) {
    sdk::PrinterStatus st;
    const Deadline deadline = deadline_in(std::max<std::int64_t>(0, timeout_ms));
    std::unique_lock io(io_, std::defer_lock);
    if (!io.try_lock_for(std::chrono::milliseconds(std::max<std::int64_t>(0, timeout_ms)))) {
        st.message = "busy printing";
        return st;
    }
    if (!stream_) {
        std::string folder;
        {
            std::lock_guard lock(mutex_);
            folder = folder_;
        }
        const std::string problem = folder.empty() ? "no output folder set" : FileSink(folder).check_writable();
        st.online = problem.empty();
        st.message = problem.empty() ? "virtual printer: writes to " + folder : problem;
        return st;
    }
    if (auto r = stream_->connect(deadline); !r.ok()) {
        st.message = r.message;
        return st;
    }
    if (!stream_->readable()) {
        stream_->disconnect();
        st.online = true;
        st.message = "connected; " + stream_->description() + " cannot report status";
        return st;
    }
    st = query_status(deadline);
    stream_->disconnect();
    return st;
}

DeviceResult EscposPrinter::pulse_drawer(int pin, int on_ms, int off_ms, std::int64_t timeout_ms) {
    if (timeout_ms < 0) return DeviceResult::failure(DeviceErrorCode::illegal, "drawer: timeout_ms must be 0 or more");
    const Deadline deadline = deadline_in(timeout_ms);
    std::unique_lock io(io_, std::defer_lock);
    if (!io.try_lock_for(std::chrono::milliseconds(timeout_ms)))
        return failed(DeviceResult::failure(DeviceErrorCode::busy, "drawer: the printer is busy"));
    std::uint64_t sequence = 0;
    {
        std::lock_guard lock(mutex_);
        sequence = ++sequence_;
    }
    sdk::Receipt pulse;
    pulse.kind = "drawer";
    pulse.drawer_pulse(pin, on_ms, off_ms);
    // No status check: a drawer opens whatever the paper does.
    auto r = deliver(job_file_name(pulse, sequence), encode_drawer_pulse(pin, on_ms, off_ms),
                     sdk::plain_text(pulse, config_.columns), deadline, false);
    if (!r.ok()) return failed(with_context(std::move(r), "drawer pulse through " + config_.id));
    std::lock_guard lock(mutex_);
    stats_.extra["drawer_pulses"] += 1;
    return DeviceResult::success();
}

bool EscposPrinter::reports_drawer() const noexcept {
    return stream_ != nullptr && config_.status;
}

}  // namespace till::printer_escpos
