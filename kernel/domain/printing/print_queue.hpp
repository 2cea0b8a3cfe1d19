// The durable print queue: table `print_jobs` (storage module
// "domain.printing"). A job is one document for one printer:
//
//   queued ──print ok──▶ printed
//     │  ▲ fail (attempts < max): back to queued, next_attempt later
//     │  └── retry (API) ◀── held ◀── fail max times, no backup
//     ├── fail max times with a backup: printer_id = backup, attempts 0
//     └── cancel (API) ─▶ cancelled          (held jobs may be cancelled too)
//
// `printing` marks the attempt in progress; a job found `printing` at start
// (the node stopped mid-print) is queued again: a duplicate paper receipt is
// acceptable, a lost one is not. Every write is a relaxed transaction: a job
// is not money, and a sale never waits for its receipt.
//
// Threading: safe from several threads (each call its own transaction).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "till/sdk/status.hpp"
#include "till/sdk/storage.hpp"
#include "till/sdk/value.hpp"

namespace till::domain::printing {

inline constexpr const char* printing_module = "domain.printing";

const std::vector<sdk::Migration>& printing_migrations();

namespace job_state {
inline constexpr const char* queued = "queued";
inline constexpr const char* printing = "printing";
inline constexpr const char* printed = "printed";
inline constexpr const char* held = "held";
inline constexpr const char* cancelled = "cancelled";
}  // namespace job_state

struct PrintJobRow {
    std::string job_id;               ///< UUIDv7: jobs of one printer print in job id order
    std::string printer_id;           ///< where it goes now (the backup after a reroute)
    std::string original_printer_id;  ///< where routing sent it
    std::string kind;                 ///< receipt kind
    std::string reference;            ///< order id, session id, movement id...
    std::string terminal_id;
    std::string document_json;        ///< the sdk::Receipt (receipt_json.hpp)
    std::string state = job_state::queued;
    std::int64_t attempts = 0;        ///< on the current printer
    std::string last_error;
    std::int64_t next_attempt_utc_ms = 0;
    std::int64_t created_utc_ms = 0;
    std::int64_t updated_utc_ms = 0;
    std::int64_t printed_utc_ms = 0;  ///< 0 = not printed
};

/// The job as the API shows it (without the document).
sdk::Value job_value(const PrintJobRow& row);

class PrintQueue {
public:
    explicit PrintQueue(sdk::Storage& storage) : storage_(storage) {}

    sdk::Status insert(const std::vector<PrintJobRow>& rows);
    sdk::Status update(const PrintJobRow& row);
    sdk::Result<std::optional<PrintJobRow>> get(const std::string& job_id);
    /// The first unfinished (queued or printing) job of each printer, in job
    /// id order; the caller picks those that are due.
    sdk::Result<std::vector<PrintJobRow>> heads();
    /// Unfinished jobs of `printer_id` (queued), in order.
    sdk::Result<std::vector<PrintJobRow>> queued_for(const std::string& printer_id);
    /// Jobs in `state` ("" = any), newest first, at most `limit`.
    sdk::Result<std::vector<PrintJobRow>> list(const std::string& state, std::int64_t limit);
    /// Jobs of `reference`, oldest first.
    sdk::Result<std::vector<PrintJobRow>> of_reference(const std::string& reference);
    /// `printing` → `queued` (at start: those attempts were cut short).
    sdk::Result<std::int64_t> requeue_interrupted(std::int64_t now_utc_ms);
    /// Deletes printed and cancelled jobs updated before `before_utc_ms`.
    sdk::Result<std::int64_t> purge(std::int64_t before_utc_ms);

private:
    sdk::Storage& storage_;
};

}  // namespace till::domain::printing
