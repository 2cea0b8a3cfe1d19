// The `printing:` config section (schema: printing_schema.hpp) as a struct,
// and the routing rules it gives: which printer prints what.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "domain/printing/locale_format.hpp"
#include "till/sdk/status.hpp"
#include "till/sdk/value.hpp"

namespace till::domain::printing {

struct AutoPrint {
    bool sale = true;
    bool refund = true;
    bool kitchen = true;
    bool x_report = true;
    bool z_report = true;
    bool cash_movement = true;
};

struct PrintingSettings {
    bool enabled = true;
    std::string templates_dir;  ///< absolute, or "" = no printing
    std::string deployment;
    LocaleFormat locale;
    std::string language;       ///< template language ("" = the locale's)
    int utc_offset_minutes = 0;
    std::string store_name;
    std::vector<std::string> store_lines;
    std::string receipt_printer = "receipt-1";
    std::map<std::string, std::string> terminal_printers;  ///< terminal id → device id
    std::map<std::string, std::string> kitchen_printers;   ///< department code → device id
    std::string kitchen_default_printer;
    std::map<std::string, std::string> backup_printers;    ///< device id → backup device id
    int copies = 1;
    AutoPrint auto_print;
    int max_attempts = 3;
    std::int64_t retry_initial_ms = 1000;
    std::int64_t retry_max_ms = 30000;
    std::int64_t print_timeout_ms = 10000;
    std::int64_t keep_printed_days = 30;

    /// `<templates_dir>/<deployment>/receipts` ("" when templates_dir is "").
    std::string receipts_dir() const;
    /// The template language: `language`, else the locale tag.
    std::string template_language() const;
    /// The receipt printer of `terminal_id` ("" = none).
    std::string receipt_printer_for(const std::string& terminal_id) const;
    /// The kitchen printer of a department code ("" = none).
    std::string kitchen_printer_for(const std::string& department_code) const;
    /// The backup of `printer_id` ("" = none).
    std::string backup_for(const std::string& printer_id) const;
};

/// From the validated section (defaults applied). Errors ("invalid_argument")
/// name the key and entry: "printing.kitchen_printers[1]: expected CODE=DEVICE_ID".
sdk::Result<PrintingSettings> printing_settings_from(const sdk::Value& section);

}  // namespace till::domain::printing
