#include "config/printing_schema.hpp"

namespace till::config {
namespace {


KeySpec key(std::string name, KeyType type, std::string description, sdk::Value default_value) {
    KeySpec k;
    k.name = std::move(name);
    k.type = type;
    k.description = std::move(description);
    k.default_value = std::move(default_value);
    return k;
}

KeySpec ranged(KeySpec k, std::int64_t min, std::int64_t max) {
    k.min = min;
    k.max = max;
    return k;
}

sdk::Value strings(std::initializer_list<const char*> items) {
    sdk::Value::List l;
    for (const char* s : items) l.emplace_back(s);
    return sdk::Value(std::move(l));
}

}  // namespace

KeySpec printing_section() {
    using T = KeyType;
    KeySpec s;
    s.name = "printing";
    s.type = T::map;
    s.description =
        "Receipts, kitchen tickets and report slips (docs/domain/printing.md): templates, which printer "
        "prints what, and the print queue.";
    KeySpec locale = key("locale", T::string,
                         "How money, quantities and dates are written: en-US, en-GB, de-DE, fr-FR, nl-NL or es-ES.",
                         "en-GB");
    locale.allowed_values = {"en-US", "en-GB", "de-DE", "fr-FR", "nl-NL", "es-ES"};
    s.children = {
        key("enabled", T::boolean, "Print at all. False: no jobs are queued (reprints are refused).", true),
        key("templates_dir", T::string,
            "Folder holding `<deployment>/receipts/*.receipt`; empty for no printing. Relative paths are resolved "
            "against the config file's folder.",
            ""),
        key("deployment", T::string, "The deployment folder under `templates_dir`, e.g. `cafe`.", ""),
        locale,
        key("language", T::string,
            "Template language folder to use first (`de` reads `receipts/de/sale.receipt`); empty = the "
            "locale's language.",
            ""),
        ranged(key("utc_offset_minutes", T::integer,
                   "Local time on receipts, in minutes east of UTC (60 for CET, -300 for EST).", 0),
               -840, 840),
        key("store_name", T::string, "The store's name, `{{store.name}}` in templates.", ""),
        key("store_lines", T::string_list,
            "Address, phone, tax number...: `{{#store.lines}}{{.}}{{/store.lines}}` in templates.", strings({})),
        key("receipt_printer", T::string,
            "Device id of the receipt printer of terminals not listed in `terminal_printers`; empty = none.",
            "receipt-1"),
        key("terminal_printers", T::string_list,
            "The receipt printer of each terminal, as `TERMINAL_ID=DEVICE_ID` (e.g. `T2=receipt-2`).", strings({})),
        key("kitchen_printers", T::string_list,
            "Kitchen and bar printers by department, as `DEPARTMENT_CODE=DEVICE_ID` (e.g. `DRINKS=bar-1`); each "
            "printer gets one ticket with its departments' lines.",
            strings({})),
        key("kitchen_default_printer", T::string,
            "Printer for the lines of departments not listed in `kitchen_printers`; empty = those lines get no "
            "ticket.",
            ""),
        key("backup_printers", T::string_list,
            "Where a printer's jobs go when it is down, as `DEVICE_ID=BACKUP_DEVICE_ID` (e.g. "
            "`kitchen-1=receipt-1`). Without a backup, its jobs are held until retried.",
            strings({})),
        ranged(key("copies", T::integer, "Copies of each sale receipt.", 1), 1, 5),
        [] {
            KeySpec a = key("auto_print", T::map, "What is printed without being asked.", sdk::Value());
            a.children = {
                key("sale", T::boolean, "The sale receipt when an order is paid.", true),
                key("refund", T::boolean, "The refund (or exchange) receipt when a return is paid out.", true),
                key("kitchen", T::boolean,
                    "Kitchen tickets when an order is submitted (or paid, when it never was submitted).", true),
                key("x_report", T::boolean, "An X report slip when one is taken (event `report.x_created`).", true),
                key("z_report", T::boolean, "The Z report slip when a register closes.", true),
                key("cash_movement", T::boolean, "A slip for each cash in/out.", true),
            };
            return a;
        }(),
        ranged(key("max_attempts", T::integer,
                   "Failed attempts on one printer after which a job goes to the backup printer, or is held.", 3),
               1, 100),
        ranged(key("retry_initial_ms", T::integer,
                   "Wait after a job's first failure, in milliseconds; doubles per failure up to `retry_max_ms`.",
                   1000),
               0, 3600000),
        ranged(key("retry_max_ms", T::integer, "Longest wait between two attempts of a job, in milliseconds.", 30000),
               0, 3600000),
        ranged(key("print_timeout_ms", T::integer, "Longest one print call may take, in milliseconds.", 10000), 100,
               600000),
        ranged(key("keep_printed_days", T::integer, "Printed and cancelled jobs are deleted after this many days.", 30),
               1, 3650),
    };
    return s;
}

}  // namespace till::config
