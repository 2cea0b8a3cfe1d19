// printer_file: the test page and the route that prints it,
// POST /api/v1/devices/{device_id}/test-print.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include <till/sdk/device.hpp>
#include <till/sdk/http.hpp>

namespace till::printer_file {

/// The test page for `printer`: a title, the device id, its width and
/// description (which names the file), a ruler as wide as the paper, the three
/// alignments, bold, a barcode and a cut.
sdk::PrintJob test_page(const sdk::Printer& printer);

/// Prints `job` through the full lifecycle and leaves the device in the state
/// it was found in: from closed it runs open, claim, enable, print, disable,
/// release, close; when already claimed (by this node) it reuses the claim.
/// On a failure midway, the steps already taken are undone.
sdk::DeviceResult print_through_lifecycle(sdk::Printer& printer, const sdk::PrintJob& job,
                                          std::int64_t timeout_ms);

/// The route handler. Answers 200 {"printed_lines":N}, 404 for a device id
/// that is not this printer's, 409 when the device is busy or claimed
/// elsewhere, 503 when the file cannot be written (problem+json for errors).
/// Test prints are serialised.
class TestPrintRoute {
public:
    TestPrintRoute(std::shared_ptr<sdk::Printer> printer, std::int64_t timeout_ms);
    sdk::HttpResponse operator()(const sdk::HttpRequest& request);

private:
    std::shared_ptr<sdk::Printer> printer_;
    std::int64_t timeout_ms_;
    std::shared_ptr<std::mutex> mutex_;  ///< shared: handlers are copied
};

}  // namespace till::printer_file
