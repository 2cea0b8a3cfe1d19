#include "domain/printing/receipt_data.hpp"

namespace till::domain::printing {
namespace {

using sdk::Value;

Value store_value(const PrintingSettings& s) {
    Value v = Value::map();
    v.set("name", s.store_name);
    Value lines = Value::list();
    for (const auto& l : s.store_lines) lines.push_back(l);
    v.set("lines", std::move(lines));
    return v;
}

Value info_value(const ReceiptInfo& i) {
    Value v = Value::map();
    v.set("kind", i.kind);
    v.set("job_id", i.job_id);
    v.set("printer_id", i.printer_id);
    v.set("terminal_id", i.terminal_id);
    v.set("copy", i.copy);
    v.set("copies", i.copies);
    v.set("reprint", i.reprint);
    v.set("printed_utc_ms", i.printed_utc_ms);
    return v;
}

Value with_common(Value data, const PrintingSettings& s, const ReceiptInfo& i, const std::string& currency) {
    data.set("store", store_value(s));
    data.set("receipt", info_value(i));
    data.set("currency", currency);
    return data;
}

// The order with its voided lines left out.
Value live_order(const Value& order) {
    Value o = order;
    Value lines = Value::list();
    for (const auto& l : order["lines"].as_list())
        if (!l["voided"].as_bool()) lines.push_back(l);
    o.set("lines", std::move(lines));
    return o;
}

}  // namespace

std::string order_receipt_kind(const Value& order) {
    if (!order["is_return"].as_bool()) return "sale";
    for (const auto& l : order["lines"].as_list())
        if (!l["voided"].as_bool() && l["qty_milli"].as_int() > 0) return "exchange";
    return "refund";
}

Value order_data(const Value& order, const Value& payments, const PrintingSettings& s, const ReceiptInfo& info) {
    Value approved = Value::list();
    std::int64_t amount = 0, tendered = 0, change = 0, tip = 0;
    for (const auto& p : payments.as_list()) {
        if (p["status"].as_string() != "approved") continue;
        amount += p["applied_minor"].as_int(p["amount_minor"].as_int());
        tendered += p["tendered_minor"].as_int();
        change += p["change_minor"].as_int();
        // The tip the method approved (less than asked on a partial approval).
        tip += p["approved_tip_minor"].as_int(p["tip_minor"].as_int());
        approved.push_back(p);
    }
    Value paid = Value::map();
    paid.set("amount_minor", amount);
    paid.set("tendered_minor", tendered);
    paid.set("change_minor", change);
    paid.set("tip_minor", tip);
    Value data = Value::map();
    data.set("order", live_order(order));
    data.set("payments", std::move(approved));
    data.set("paid", std::move(paid));
    return with_common(std::move(data), s, info, order["currency"].as_string());
}

std::map<std::string, std::vector<Value>> kitchen_lines(const Value& order, const PrintingSettings& s,
                                                        const std::function<std::string(const std::string&)>& code_of) {
    std::map<std::string, std::vector<Value>> out;
    for (const auto& l : order["lines"].as_list()) {
        if (l["voided"].as_bool() || l["qty_milli"].as_int() <= 0) continue;
        const std::string& department = l["department_id"].as_string();
        std::string code = code_of ? code_of(department) : "";
        if (code.empty()) code = department;
        std::string printer = s.kitchen_printer_for(code);
        if (printer.empty() && code != department) printer = s.kitchen_printer_for(department);
        if (printer.empty()) continue;
        Value line = l;
        line.set("department_code", code);
        out[printer].push_back(std::move(line));
    }
    return out;
}

Value kitchen_data(const Value& order, std::vector<Value> lines, const PrintingSettings& s, const ReceiptInfo& info) {
    Value data = Value::map();
    data.set("order", live_order(order));
    data.set("lines", Value(Value::List(std::move(lines))));
    Value station = Value::map();
    station.set("printer_id", info.printer_id);
    data.set("station", std::move(station));
    return with_common(std::move(data), s, info, order["currency"].as_string());
}

Value report_data(const Value& report, const PrintingSettings& s, const ReceiptInfo& info) {
    Value data = Value::map();
    data.set("report", report);
    return with_common(std::move(data), s, info, report["currency"].as_string());
}

Value movement_data(const Value& movement, const std::string& currency, const PrintingSettings& s,
                    const ReceiptInfo& info) {
    Value data = Value::map();
    data.set("movement", movement);
    return with_common(std::move(data), s, info, currency);
}

}  // namespace till::domain::printing
