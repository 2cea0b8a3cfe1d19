#include "domain/printing/printing_settings.hpp"

namespace till::domain::printing {
namespace {

sdk::Status pairs(const sdk::Value& list, const std::string& key, std::map<std::string, std::string>& out) {
    std::size_t i = 0;
    for (const auto& item : list.as_list()) {
        const std::string& s = item.as_string();
        const auto eq = s.find('=');
        const std::string where = "printing." + key + "[" + std::to_string(i) + "]";
        if (eq == std::string::npos || eq == 0 || eq + 1 == s.size())
            return sdk::Status::failure("invalid_argument", where + ": expected KEY=DEVICE_ID, got \"" + s + "\"");
        const std::string k = s.substr(0, eq);
        if (out.count(k))
            return sdk::Status::failure("invalid_argument", where + ": \"" + k + "\" is listed twice");
        out[k] = s.substr(eq + 1);
        ++i;
    }
    return {};
}

}  // namespace

std::string PrintingSettings::receipts_dir() const {
    if (templates_dir.empty()) return "";
    return templates_dir + (deployment.empty() ? "" : "/" + deployment) + "/receipts";
}

std::string PrintingSettings::template_language() const { return language.empty() ? locale.tag : language; }

std::string PrintingSettings::receipt_printer_for(const std::string& terminal_id) const {
    auto it = terminal_printers.find(terminal_id);
    return it != terminal_printers.end() ? it->second : receipt_printer;
}

std::string PrintingSettings::kitchen_printer_for(const std::string& department_code) const {
    auto it = kitchen_printers.find(department_code);
    return it != kitchen_printers.end() ? it->second : kitchen_default_printer;
}

std::string PrintingSettings::backup_for(const std::string& printer_id) const {
    auto it = backup_printers.find(printer_id);
    return it != backup_printers.end() && it->second != printer_id ? it->second : "";
}

sdk::Result<PrintingSettings> printing_settings_from(const sdk::Value& v) {
    PrintingSettings s;
    s.enabled = v["enabled"].as_bool(true);
    s.templates_dir = v["templates_dir"].as_string();
    s.deployment = v["deployment"].as_string();
    const std::string tag = v["locale"].as_string("en-GB");
    auto loc = locale_format(tag);
    if (!loc) return sdk::Error{"invalid_argument", "printing.locale: \"" + tag + "\" is not a known locale"};
    s.locale = *loc;
    s.language = v["language"].as_string();
    s.utc_offset_minutes = static_cast<int>(v["utc_offset_minutes"].as_int(0));
    s.store_name = v["store_name"].as_string();
    for (const auto& line : v["store_lines"].as_list()) s.store_lines.push_back(line.as_string());
    s.receipt_printer = v["receipt_printer"].as_string(s.receipt_printer);
    if (auto st = pairs(v["terminal_printers"], "terminal_printers", s.terminal_printers); !st.ok()) return st.error();
    if (auto st = pairs(v["kitchen_printers"], "kitchen_printers", s.kitchen_printers); !st.ok()) return st.error();
    s.kitchen_default_printer = v["kitchen_default_printer"].as_string();
    if (auto st = pairs(v["backup_printers"], "backup_printers", s.backup_printers); !st.ok()) return st.error();
    s.copies = static_cast<int>(v["copies"].as_int(1));
    const sdk::Value& a = v["auto_print"];
    s.auto_print.sale = a["sale"].as_bool(true);
    s.auto_print.refund = a["refund"].as_bool(true);
    s.auto_print.kitchen = a["kitchen"].as_bool(true);
    s.auto_print.x_report = a["x_report"].as_bool(true);
    s.auto_print.z_report = a["z_report"].as_bool(true);
    s.auto_print.cash_movement = a["cash_movement"].as_bool(true);
    s.max_attempts = static_cast<int>(v["max_attempts"].as_int(3));
    s.retry_initial_ms = v["retry_initial_ms"].as_int(1000);
    s.retry_max_ms = v["retry_max_ms"].as_int(30000);
    s.print_timeout_ms = v["print_timeout_ms"].as_int(10000);
    s.keep_printed_days = v["keep_printed_days"].as_int(30);
    return s;
}

}  // namespace till::domain::printing
