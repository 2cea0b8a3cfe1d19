// printer_file: a Printer whose paper is a text file. Each job is rendered by
// text_renderer and appended durably (write + fsync) to one file; the claim
// is an exclusive lock on that file. The UnifiedPOS lifecycle is enforced:
// a call in the wrong state returns its DeviceErrorCode and changes nothing.
//
// Thread-safe: every call takes the device's mutex.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>

#include <till/sdk/clock.hpp>
#include <till/sdk/device.hpp>

#include "receipt_file.hpp"

namespace till::printer_file {

struct FilePrinterOptions {
    std::string device_id = "file-printer";
    int columns = 42;
};

class FilePrinter final : public sdk::Printer {
public:
    explicit FilePrinter(FilePrinterOptions options);
    ~FilePrinter() override;

    /// Where jobs go (absolute). Until it is set, open() fails with `offline`.
    /// `clock` (may be null: system time) stamps failures; it must outlive
    /// this object or be replaced by another set_output() call.
    void set_output(std::string path, const sdk::Clock* clock);
    std::string output_path() const;

    std::string device_id() const override;
    sdk::DeviceKind kind() const override { return sdk::DeviceKind::printer; }
    std::string description() const override;
    sdk::DeviceState state() const override;

    sdk::DeviceResult open() override;
    sdk::DeviceResult claim(std::int64_t timeout_ms) override;
    sdk::DeviceResult enable() override;
    sdk::DeviceResult disable() override;
    sdk::DeviceResult release() override;
    sdk::DeviceResult close() override;

    /// internal: any state, checks the file can be appended to, writes nothing.
    /// external: must be enabled; also appends nothing and fsyncs the open file.
    /// interactive: not supported (illegal): use the test-print route.
    sdk::DeviceResult check_health(sdk::HealthCheckLevel level, std::string& report) override;
    sdk::DeviceStatistics statistics() const override;

    int columns() const override { return options_.columns; }
    sdk::DeviceResult print(const sdk::PrintJob& job, std::int64_t timeout_ms) override;

private:
    sdk::DeviceResult failed(sdk::DeviceResult result);  ///< counts it; caller holds mutex_
    std::int64_t now_utc_ms() const;

    const FilePrinterOptions options_;
    mutable std::mutex mutex_;
    std::string path_;
    const sdk::Clock* clock_ = nullptr;
    sdk::DeviceState state_ = sdk::DeviceState::closed;
    ReceiptFile file_;
    sdk::DeviceStatistics stats_;
};

}  // namespace till::printer_file
