// printer_escpos: one ESC/POS printer as a ReceiptPrinter.
//
// print_receipt: encode (transliterate, validate, ESC/POS) → connect (TCP:
// a new connection per job; device: open per job) → when `status` is on and
// the transport reads, ask DLE EOT and refuse to print on cover open / paper
// out (extended codes 201 / 203) → write every byte → TCP: wait until the
// printer has acknowledged every byte → close. The file transport writes
// <job>.bin and <job>.txt instead. A failure is returned with the reason;
// the plugin never retries and never reports success for bytes the printer
// did not take. Every call is bounded by its timeout_ms.
//
// Thread-safe: I/O is serialised by a timed mutex (a caller that cannot get
// it within its timeout gets `busy`); state and statistics by a plain one.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include <till/sdk/clock.hpp>
#include <till/sdk/device.hpp>
#include <till/sdk/receipt.hpp>

#include "printer_config.hpp"
#include "transport.hpp"

namespace till::printer_escpos {

/// The Receipt an old-style PrintJob stands for: its lines as text blocks
/// (bold, double height, alignment kept), the barcode (EAN-13 when the data
/// is a valid EAN-13, else CODE128), the drawer pulse, a partial cut.
sdk::Receipt receipt_from_print_job(const sdk::PrintJob& job);

/// A file name for the job: job_id with characters other than letters,
/// digits, '-', '_', '.' replaced by '_'; "<kind>-<sequence>" when empty.
std::string job_file_name(const sdk::Receipt& receipt, std::uint64_t sequence);

class EscposPrinter final : public sdk::ReceiptPrinter {
public:
    explicit EscposPrinter(PrinterConfig config);
    ~EscposPrinter() override;

    /// File transport: the absolute folder jobs go to (until then open()
    /// fails with offline). `clock` may be null (system time).
    void set_output_folder(std::string folder);
    void set_clock(const sdk::Clock* clock);
    void set_drawer_sensor(DrawerSensor sensor);
    const PrinterConfig& config() const noexcept { return config_; }

    std::string device_id() const override { return config_.id; }
    sdk::DeviceKind kind() const override { return sdk::DeviceKind::printer; }
    std::string description() const override;
    sdk::DeviceState state() const override;

    sdk::DeviceResult open() override;
    sdk::DeviceResult claim(std::int64_t timeout_ms) override;
    sdk::DeviceResult enable() override;
    sdk::DeviceResult disable() override;
    sdk::DeviceResult release() override;
    sdk::DeviceResult close() override;

    /// internal: the configuration (and for files the folder) is usable; no
    /// I/O to the printer. external (enabled): asks the printer's status.
    /// interactive: not supported (illegal).
    sdk::DeviceResult check_health(sdk::HealthCheckLevel level, std::string& report) override;
    sdk::DeviceStatistics statistics() const override;

    int columns() const override { return config_.columns; }
    sdk::DeviceResult print(const sdk::PrintJob& job, std::int64_t timeout_ms) override;
    sdk::DeviceResult print_receipt(const sdk::Receipt& receipt, std::int64_t timeout_ms) override;
    sdk::PrinterStatus printer_status(std::int64_t timeout_ms) override;

    /// For the cash drawer device hanging on this printer: sends an ESC p
    /// pulse whatever the printer's own lifecycle state (it is a separate
    /// device in UnifiedPOS terms), serialised with print jobs.
    sdk::DeviceResult pulse_drawer(int pin, int on_ms, int off_ms, std::int64_t timeout_ms);
    /// Whether printer_status can report the drawer (a readable transport with status on).
    bool reports_drawer() const noexcept;

private:
    sdk::DeviceResult lifecycle(int call);  // LifecycleCall, kept out of the header
    sdk::DeviceResult deliver(const std::string& name, std::string_view bytes, std::string_view text, Deadline deadline,
                              bool check_status);
    sdk::PrinterStatus query_status(Deadline deadline);  ///< io_ held, transport connected
    sdk::DeviceResult failed(sdk::DeviceResult result);  ///< counts it
    std::int64_t now_utc_ms() const;

    const PrinterConfig config_;
    std::unique_ptr<StreamTransport> stream_;  ///< tcp, device
    std::timed_mutex io_;
    mutable std::mutex mutex_;  ///< everything below
    std::string folder_;        ///< file transport
    const sdk::Clock* clock_ = nullptr;
    DrawerSensor sensor_ = DrawerSensor::open_when_high;
    sdk::DeviceState state_ = sdk::DeviceState::closed;
    sdk::DeviceStatistics stats_;
    std::uint64_t sequence_ = 0;
};

}  // namespace till::printer_escpos
