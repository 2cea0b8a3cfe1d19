#include "test_print.hpp"

#include <utility>
#include <vector>

#include "device_lifecycle.hpp"
#include "text_renderer.hpp"

namespace till::printer_file {
namespace {

using sdk::DeviceErrorCode;
using sdk::DeviceResult;
using sdk::DeviceState;
using sdk::PrintLine;

int status_for(DeviceErrorCode code) {
    switch (code) {
        case DeviceErrorCode::offline:
        case DeviceErrorCode::failure:
        case DeviceErrorCode::extended: return 503;
        default: return 409;  // a state or ownership conflict
    }
}

std::string ruler(int columns) {
    std::string out;
    for (int i = 1; i <= columns; ++i) out += static_cast<char>('0' + i % 10);
    return out;
}

}  // namespace

sdk::PrintJob test_page(const sdk::Printer& printer) {
    sdk::PrintJob job;
    job.job_id = "test-print-" + printer.device_id();
    auto add = [&](std::string text, PrintLine::Align align = PrintLine::Align::left,
                   PrintLine::Style style = PrintLine::Style::normal) {
        job.lines.push_back(PrintLine{std::move(text), align, style});
    };
    add("TEST PAGE", PrintLine::Align::center, PrintLine::Style::double_height);
    add("device " + printer.device_id());
    add(std::to_string(printer.columns()) + " columns");
    add(printer.description());
    add(ruler(printer.columns()));
    add("left");
    add("center", PrintLine::Align::center);
    add("right", PrintLine::Align::right);
    add("bold", PrintLine::Align::left, PrintLine::Style::bold);
    job.barcode = "0123456789";
    job.cut_after = true;
    return job;
}

DeviceResult print_through_lifecycle(sdk::Printer& printer, const sdk::PrintJob& job, std::int64_t timeout_ms) {
    const DeviceState initial = printer.state();
    std::vector<DeviceResult (*)(sdk::Printer&)> undo;
    auto unwind = [&] {
        for (auto it = undo.rbegin(); it != undo.rend(); ++it) (*it)(printer);
    };
    if (initial == DeviceState::closed) {
        if (auto r = printer.open(); !r.ok()) return r;
        undo.push_back([](sdk::Printer& p) { return p.close(); });
    }
    if (initial == DeviceState::closed || initial == DeviceState::opened) {
        if (auto r = printer.claim(timeout_ms); !r.ok()) {
            unwind();
            return r;
        }
        undo.push_back([](sdk::Printer& p) { return p.release(); });
    }
    if (initial != DeviceState::enabled) {
        if (auto r = printer.enable(); !r.ok()) {
            unwind();
            return r;
        }
        undo.push_back([](sdk::Printer& p) { return p.disable(); });
    }
    DeviceResult printed = printer.print(job, timeout_ms);
    unwind();
    return printed;
}

TestPrintRoute::TestPrintRoute(std::shared_ptr<sdk::Printer> printer, std::int64_t timeout_ms)
    : printer_(std::move(printer)), timeout_ms_(timeout_ms), mutex_(std::make_shared<std::mutex>()) {}

sdk::HttpResponse TestPrintRoute::operator()(const sdk::HttpRequest& request) {
    auto it = request.path_params.find("device_id");
    const std::string requested = it == request.path_params.end() ? std::string() : it->second;
    if (requested != printer_->device_id()) {
        return sdk::HttpResponse::problem(404, "Unknown device",
                                          "no printer_file device \"" + requested + "\" on this node (its device is \"" +
                                              printer_->device_id() + "\")");
    }
    std::lock_guard lock(*mutex_);
    const sdk::PrintJob job = test_page(*printer_);
    if (auto r = print_through_lifecycle(*printer_, job, timeout_ms_); !r.ok()) {
        return sdk::HttpResponse::problem(status_for(r.code), "Test print failed",
                                          std::string(error_code_name(r.code)) + ": " + r.message);
    }
    sdk::Value body = sdk::Value::map();
    body.set("printed_lines", static_cast<long long>(render_job(job, printer_->columns()).size()));
    return sdk::HttpResponse::json(body);
}

}  // namespace till::printer_file
