// Till SDK — devices: printers, scanners, cash drawers, customer displays.
//
// The lifecycle follows UnifiedPOS (JavaPOS/OPOS), which integrators know:
//
//     closed --open()--> opened --claim()--> claimed --enable()--> enabled
//     enabled --disable()--> claimed --release()--> opened --close()--> closed
//
// Only the claimant may use a device; it must be enabled to do I/O. Every call
// returns a DeviceResult instead of throwing. Implementations run their I/O
// on their own thread or with timeouts: no call may block longer than the
// timeout it is given (or the device's configured timeout).
//
// Threading: one device object may be called from several threads; the
// implementation serialises access to the hardware.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace till::sdk {

enum class DeviceKind { printer, scanner, cash_drawer, customer_display };

enum class DeviceState { closed, opened, claimed, enabled };

/// UnifiedPOS-style result codes. 0 is success; every failure has a message.
enum class DeviceErrorCode {
    success = 0,
    closed,       ///< device not open
    claimed,      ///< claimed by someone else
    not_claimed,  ///< caller did not claim it
    disabled,     ///< not enabled
    illegal,      ///< call not valid now or bad argument
    offline,      ///< no answer from the hardware
    timeout,
    busy,
    failure,      ///< anything else; see message
    extended,     ///< device-specific; see extended_code and message
};

struct DeviceResult {
    DeviceErrorCode code = DeviceErrorCode::success;
    int extended_code = 0;     ///< e.g. printer: cover open, paper empty
    std::string message;
    bool ok() const noexcept { return code == DeviceErrorCode::success; }
    static DeviceResult success() { return {}; }
    static DeviceResult failure(DeviceErrorCode c, std::string m, int extended = 0) {
        return {c, extended, std::move(m)};
    }
};

enum class HealthCheckLevel { internal, external, interactive };

/// Counters a device keeps for the health page (UnifiedPOS statistics).
struct DeviceStatistics {
    std::uint64_t operations = 0;
    std::uint64_t failures = 0;
    std::int64_t last_failure_utc_ms = 0;
    std::string last_failure;
    std::map<std::string, std::int64_t> extra;  ///< device-specific, e.g. "lines_printed"
};

class Device {
public:
    virtual ~Device();
    /// Stable id in the node, e.g. "receipt-1" (usually from config).
    virtual std::string device_id() const = 0;
    virtual DeviceKind kind() const = 0;
    /// Human description: model, connection ("TCP 192.0.2.10:9100").
    virtual std::string description() const = 0;
    virtual DeviceState state() const = 0;

    virtual DeviceResult open() = 0;
    virtual DeviceResult claim(std::int64_t timeout_ms) = 0;
    virtual DeviceResult enable() = 0;
    virtual DeviceResult disable() = 0;
    virtual DeviceResult release() = 0;
    virtual DeviceResult close() = 0;

    /// Checks the device; `report` receives a text for the person asking.
    virtual DeviceResult check_health(HealthCheckLevel level, std::string& report) = 0;
    virtual DeviceStatistics statistics() const = 0;
};

/// A receipt, kitchen or label printer. Jobs are device-independent lines;
/// the plugin encodes them (ESC/POS, ...).
struct PrintLine {
    enum class Align { left, center, right };
    enum class Style { normal, bold, double_height };
    std::string text;
    Align align = Align::left;
    Style style = Style::normal;
};

struct PrintJob {
    std::string job_id;              ///< for logs and retries
    std::vector<PrintLine> lines;
    std::string barcode;             ///< optional, printed after the lines
    bool cut_after = true;
    bool open_drawer = false;        ///< kick the drawer connected to the printer
};

class Printer : public Device {
public:
    ~Printer() override;
    virtual int columns() const = 0;  ///< characters per line in normal style
    virtual DeviceResult print(const PrintJob& job, std::int64_t timeout_ms) = 0;
};

/// A barcode scanner. Scans are delivered to the handler on the device's own
/// thread; the kernel turns them into events for the active order type.
struct ScanData {
    std::string data;       ///< decoded text, without prefix/suffix
    std::string symbology;  ///< "ean13", "upca", "code128", ... or "" if unknown
    std::int64_t time_utc_ms = 0;
};

class Scanner : public Device {
public:
    ~Scanner() override;
    using ScanHandler = std::function<void(const ScanData&)>;
    /// Set before enable(); replaced by a later call. Called only while enabled.
    virtual void set_scan_handler(ScanHandler handler) = 0;
};

enum class DrawerState { closed, open, unknown };

class CashDrawer : public Device {
public:
    ~CashDrawer() override;
    virtual DeviceResult open_drawer() = 0;
    /// `unknown` when the hardware cannot report it.
    virtual DrawerState drawer_state() const = 0;
};

class CustomerDisplay : public Device {
public:
    ~CustomerDisplay() override;
    virtual int rows() const = 0;
    virtual int columns() const = 0;
    /// Replaces the whole display content; lines longer than columns() are cut.
    virtual DeviceResult show(const std::vector<std::string>& lines) = 0;
};

// ---------------------------------------------------------------------------
// SDK ABI 1.1: printers that print a whole Receipt (receipt.hpp) and report
// their paper and cover. Appended; nothing above changed, so plugins built
// against 1.0 keep loading.

struct Receipt;  // receipt.hpp: include it to build or print one

/// What a printer reports about itself (ESC/POS: real-time DLE EOT status).
/// Fields a transport cannot report stay at their defaults (online = true
/// only when the printer answered; drawer = unknown).
struct PrinterStatus {
    bool online = false;          ///< answered and ready to print
    bool cover_open = false;
    bool paper_out = false;
    bool paper_near_end = false;  ///< still prints; change the roll soon
    DrawerState drawer = DrawerState::unknown;
    std::string message;          ///< for a person: "cover open", "no answer within 500 ms", ...
};

/// Extended codes in DeviceResult::extended_code (code == extended) for
/// printers, as in UnifiedPOS POSPrinter.
inline constexpr int kPrinterExtendedCoverOpen = 201;  ///< JPOS_EPTR_COVER_OPEN
inline constexpr int kPrinterExtendedPaperOut = 203;   ///< JPOS_EPTR_REC_EMPTY

/// A printer that prints Receipt documents. Find it with
/// `std::dynamic_pointer_cast<ReceiptPrinter>(registry.device(id))`.
///
/// print_receipt either prints the whole receipt and succeeds, or fails with
/// the reason and prints nothing it knows of (a transport failure midway may
/// have printed part: the message says so). It never waits longer than
/// `timeout_ms` and never retries by itself: the caller's print queue keeps
/// failed jobs and retries them. Codes: illegal (the receipt fails
/// validate_receipt, or a bad timeout), offline (no connection / no answer),
/// timeout (the printer stopped taking bytes), busy (another job holds the
/// printer past the timeout), extended (kPrinterExtendedCoverOpen,
/// kPrinterExtendedPaperOut), plus the lifecycle codes of Device.
///
/// Printers implementing it still implement Printer::print(PrintJob) (by
/// mapping the lines onto a Receipt) so older callers keep working.
class ReceiptPrinter : public Printer {
public:
    ~ReceiptPrinter() override;
    /// Characters per line in normal style (Printer::columns()).
    int paper_width_columns() const { return columns(); }
    virtual DeviceResult print_receipt(const Receipt& receipt, std::int64_t timeout_ms) = 0;
    /// Asks the hardware (bounded by timeout_ms). Needs the device open;
    /// a printer that cannot report says so in `message`.
    virtual PrinterStatus printer_status(std::int64_t timeout_ms) = 0;
};

}  // namespace till::sdk
