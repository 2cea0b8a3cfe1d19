// Printing: receipts, kitchen tickets and report slips from the events of a
// sale, through the deployment's templates (template_set.hpp), routed to
// printers (printing_settings.hpp) and delivered by the durable print queue
// (print_queue.hpp). docs/domain/printing.md has the merchant's side.
//
// What prints when (each switch in `printing.auto_print`):
//   order.paid (not a return)   sale receipt × copies on the terminal's printer;
//                               kitchen tickets too when the order never was submitted
//   order.paid (a return)       refund (or exchange) receipt
//   order.submitted             kitchen tickets, one per kitchen/bar printer
//   report.z_created            Z slip;  report.x_created: X slip
//   register.cash_moved         cash movement slip
//
// A sale never waits on a printer: event handlers only queue the event in
// memory; the worker thread renders it and inserts the jobs (a relaxed
// transaction after the sale committed), then delivers jobs in order per
// printer with ReceiptPrinter::print_receipt (plain Printer devices get the
// text rendering through Printer::print). A failed attempt is retried with
// backoff; after `max_attempts` failures the printer counts as down: its jobs
// go to its backup printer if one is configured, else they are `held` and
// `printing.job_held` is published. Events: printing.job_queued,
// printing.job_printed, printing.job_failed (one failed attempt),
// printing.job_rerouted, printing.job_held, printing.job_cancelled,
// printing.render_failed. Jobs survive a restart; one cut short by it is
// printed again (a duplicate is acceptable, a lost receipt is not).
//
// Node wiring: construct after the orders service; start() with the domain
// (before plugins start); start_worker() after plugins started (devices
// exist then); stop() at shutdown before plugins stop.
//
// Threading: every public method may be called from any thread.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "api/router.hpp"
#include "domain/common/auth.hpp"
#include "domain/common/context.hpp"
#include "domain/orders/order_payments.hpp"
#include "domain/orders/order_service.hpp"
#include "domain/printing/printing_settings.hpp"
#include "domain/printing/template_set.hpp"
#include "till/sdk/status.hpp"
#include "till/sdk/value.hpp"

namespace till::domain::printing {

class PrintService {
public:
    PrintService(DomainContext& ctx, Authorizer& authorizer, OrderService& orders, PrintingSettings settings);
    ~PrintService();  ///< stop()
    PrintService(const PrintService&) = delete;
    PrintService& operator=(const PrintService&) = delete;

    /// Payments shown on receipts (the payments service). Without it,
    /// receipts list no tenders. Call before start().
    void use_payments(OrderPaymentsSource& payments);
    /// Department id → department code (the catalog), for kitchen routing by
    /// code. Without it, `kitchen_printers` keys are department ids.
    void use_department_codes(std::function<std::string(const std::string& department_id)> code_of);
    /// Where X reports come from (the registers module), for
    /// POST /api/v1/registers/{register_id}/x-report/print.
    void use_x_reports(std::function<sdk::Result<sdk::Value>(const std::string& register_id)> x_report_of);
    /// Queues the X report slip of `register_id` (its current open session)
    /// on the register's receipt printer. Errors as the registers module's
    /// x_report ("not_found" when no session is open), "not_implemented"
    /// without use_x_reports.
    sdk::Status print_x_report(const std::string& register_id);

    /// Applies the "domain.printing" migrations, requeues jobs cut short by
    /// a restart, loads the templates (problems are logged with
    /// file:line:col and published as printing.templates_invalid; printing
    /// then stays off — the sale goes on) and subscribes to the events.
    sdk::Status start();
    /// Opens, claims and enables the configured printers that are closed,
    /// then starts the worker thread. Call after plugins started.
    sdk::Status start_worker();
    /// Stops the worker (waits for the print in progress, bounded by
    /// print_timeout_ms) and unsubscribes. Idempotent.
    void stop();
    /// POST /api/v1/orders/{order_id}/receipts, GET /api/v1/orders/{order_id}/receipt.txt,
    /// GET /api/v1/print-jobs, POST /api/v1/print-jobs/{job_id}/retry and /cancel.
    sdk::Status add_routes(api::Router& router);

    /// The templates in use (null when none loaded).
    std::shared_ptr<const TemplateSet> templates() const;

    // The operations behind the routes. Errors: "not_found", "invalid_state",
    // "invalid_argument" (JSON path), "unavailable" (printing off, no template).

    /// Queues the order's receipt (kind "" = sale/refund/exchange as the order
    /// is, or "kitchen") again, on `printer_id` ("" = by routing from
    /// `terminal_id`, else the order's terminal). The jobs: {"items": [...]}.
    sdk::Result<sdk::Value> reprint(const std::string& order_id, const std::string& kind, const std::string& printer_id,
                                    const std::string& terminal_id);
    /// The order's receipt as plain text `columns` wide (0 = the receipt
    /// printer's width, else 42).
    sdk::Result<std::string> receipt_text(const std::string& order_id, const std::string& kind, int columns);
    /// {"items": [...]}, newest first; state "" = all.
    sdk::Result<sdk::Value> list_jobs(const std::string& state, std::int64_t limit);
    /// A held (or queued) job back to its first printer, attempted at once.
    sdk::Result<sdk::Value> retry(const std::string& job_id);
    /// A queued or held job is dropped ("invalid_state" once printed).
    sdk::Result<sdk::Value> cancel(const std::string& job_id);
    /// Queues a slip for a report (`kind` x_report / z_report) or a cash
    /// movement, as the events do; for callers that have no event.
    sdk::Status print_report(const std::string& kind, const sdk::Value& report, const std::string& terminal_id);

    /// Wakes the worker (it also polls every 200 ms).
    void poke();
    /// Blocks until the worker has nothing left to render and no job is due
    /// now, or `timeout_ms` passed; true when idle. For tests and shutdown.
    bool wait_idle(std::int64_t timeout_ms);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace till::domain::printing
