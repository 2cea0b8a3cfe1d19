// The data a template sees, per receipt kind (the roots of
// template_roots()): built from an order's JSON, its payments, a report or a
// cash movement, plus `store`, `receipt` and `currency`. Pure functions.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "domain/printing/printing_settings.hpp"
#include "till/sdk/value.hpp"

namespace till::domain::printing {

/// About the printout itself: `{{receipt.copy}}`, `{{receipt.reprint}}`...
struct ReceiptInfo {
    std::string kind;
    std::string job_id;
    std::string printer_id;
    std::string terminal_id;
    int copy = 1;
    int copies = 1;
    bool reprint = false;
    std::int64_t printed_utc_ms = 0;
};

/// "sale", "refund" or "exchange" for a paid order's JSON: a return order
/// with sale lines is an exchange.
std::string order_receipt_kind(const sdk::Value& order);

/// sale / refund / exchange: {order (live lines only), payments (approved
/// ones), paid {amount_minor, tendered_minor, change_minor, tip_minor},
/// store, receipt, currency}.
sdk::Value order_data(const sdk::Value& order, const sdk::Value& payments, const PrintingSettings& settings,
                      const ReceiptInfo& info);

/// One kitchen ticket per printer: printer id → the order's live sale lines
/// routed to it by department code (`department_code` maps a line's
/// department_id to its code; "" keeps the id).
std::map<std::string, std::vector<sdk::Value>> kitchen_lines(
    const sdk::Value& order, const PrintingSettings& settings,
    const std::function<std::string(const std::string&)>& department_code);

/// kitchen: {order, lines, station {printer_id}, store, receipt, currency}.
sdk::Value kitchen_data(const sdk::Value& order, std::vector<sdk::Value> lines, const PrintingSettings& settings,
                        const ReceiptInfo& info);

/// x_report / z_report: {report, store, receipt, currency}.
sdk::Value report_data(const sdk::Value& report, const PrintingSettings& settings, const ReceiptInfo& info);

/// cash_movement: {movement, store, receipt, currency}.
sdk::Value movement_data(const sdk::Value& movement, const std::string& currency, const PrintingSettings& settings,
                         const ReceiptInfo& info);

}  // namespace till::domain::printing
