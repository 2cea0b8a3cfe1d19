#include "domain/transfers/transfer_model.hpp"

#include <set>

#include "domain/common/body_reader.hpp"
#include "domain/common/http_errors.hpp"
#include "domain/common/ids.hpp"
#include "domain/customers/customer_record.hpp"

namespace till::domain::transfers {
namespace {

using sdk::Value;

sdk::Error invalid(const std::string& message) { return sdk::Error{std::string(error_code::invalid_argument), message}; }

Value line_value(const TransferLine& line) {
    Value v = Value::map();
    v.set("sku", line.sku);
    v.set("qty_milli", line.qty_milli);
    v.set("received_qty_milli", line.received_qty_milli ? Value(*line.received_qty_milli) : Value());
    return v;
}

sdk::Result<std::string> text_field(const Value& fields, const std::string& name, std::size_t max_bytes) {
    const Value* v = fields.find(name);
    if (!v || v->is_null()) return std::string();
    if (!v->is_string()) return invalid("$.fields." + name + ": expected a string");
    if (auto bad = check_text(v->as_string())) return invalid("$.fields." + name + ": " + *bad);
    if (v->as_string().size() > max_bytes)
        return invalid("$.fields." + name + ": longer than " + std::to_string(max_bytes) + " bytes");
    return v->as_string();
}

sdk::Result<std::int64_t> time_field(const Value& fields, const std::string& name) {
    const Value* v = fields.find(name);
    if (!v || v->is_null()) return std::int64_t{0};
    if (!v->is_int() || v->as_int() < 0) return invalid("$.fields." + name + ": expected a time in UTC milliseconds (>= 0)");
    return v->as_int();
}

sdk::Result<std::vector<TransferLine>> lines_field(const Value& fields) {
    const Value* v = fields.find("lines");
    if (!v || !v->is_list()) return invalid("$.fields.lines: expected a list of lines");
    if (v->size() == 0 || v->size() > limits::max_lines)
        return invalid("$.fields.lines: expected 1 to " + std::to_string(limits::max_lines) + " lines");
    std::vector<TransferLine> lines;
    std::set<std::string> seen;
    for (std::size_t i = 0; i < v->size(); ++i) {
        const std::string at = "$.fields.lines[" + std::to_string(i) + "]";
        const Value& item = v->as_list()[i];
        if (!item.is_map()) return invalid(at + ": expected an object");
        TransferLine line;
        const Value& sku = item["sku"];
        if (!sku.is_string() || sku.as_string().empty() || sku.as_string().size() > limits::sku_bytes ||
            check_text(sku.as_string()))
            return invalid(at + ".sku: expected a SKU (1-" + std::to_string(limits::sku_bytes) + " bytes of text)");
        line.sku = sku.as_string();
        if (!seen.insert(line.sku).second) return invalid(at + ".sku: SKU " + line.sku + " is on an earlier line");
        const Value& qty = item["qty_milli"];
        if (!qty.is_int() || qty.as_int() < 1 || qty.as_int() > limits::max_qty_milli)
            return invalid(at + ".qty_milli: expected an integer from 1 to " + std::to_string(limits::max_qty_milli));
        line.qty_milli = qty.as_int();
        const Value& received = item["received_qty_milli"];
        if (!received.is_null()) {
            if (!received.is_int() || received.as_int() < 0 || received.as_int() > limits::max_qty_milli)
                return invalid(at + ".received_qty_milli: expected null or an integer from 0 to " +
                               std::to_string(limits::max_qty_milli));
            line.received_qty_milli = received.as_int();
        }
        for (const auto& [key, unused] : item.as_map())
            if (key != "sku" && key != "qty_milli" && key != "received_qty_milli")
                return invalid(at + "." + key + ": unknown field");
        lines.push_back(std::move(line));
    }
    return lines;
}

}  // namespace

const std::vector<std::string>& transfer_fields() {
    static const std::vector<std::string> fields = {
        "from_store", "to_store",    "status",          "note",         "lines",           "created_by",
        "sent_by",    "sent_utc_ms", "received_by",     "received_utc_ms", "cancelled_by", "cancelled_utc_ms"};
    return fields;
}

int status_rank(std::string_view s) {
    static const std::map<std::string, int, std::less<>> order = {{"draft", 1},     {"requested", 2}, {"approved", 3},
                                                                  {"cancelled", 4}, {"sent", 5},      {"received", 6},
                                                                  {"closed", 7}};
    auto it = order.find(s);
    return it == order.end() ? 0 : it->second;
}

bool is_store_id(std::string_view id) {
    if (id.empty() || id.size() > limits::store_id_bytes) return false;
    for (char c : id) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                        c == '_' || c == '-';
        if (!ok) return false;
    }
    return true;
}

bool is_high_priority(std::string_view s) { return s == status::sent || s == status::received || s == status::cancelled; }

Value transfer_record(const Transfer& t) {
    Value lines = Value::list();
    for (const auto& line : t.lines) lines.push_back(line_value(line));
    Value fields = Value::map();
    fields.set("from_store", t.from_store);
    fields.set("to_store", t.to_store);
    fields.set("status", t.status);
    fields.set("note", t.note);
    fields.set("lines", std::move(lines));
    fields.set("created_by", t.created_by);
    fields.set("sent_by", t.sent_by);
    fields.set("sent_utc_ms", t.sent_utc_ms);
    fields.set("received_by", t.received_by);
    fields.set("received_utc_ms", t.received_utc_ms);
    fields.set("cancelled_by", t.cancelled_by);
    fields.set("cancelled_utc_ms", t.cancelled_utc_ms);
    Value hlc = Value::map();
    for (const auto& [field, stamp] : t.field_stamps) hlc.set(field, customers::format_stamp(stamp));
    Value record = Value::map();
    record.set("id", t.id);
    record.set("version", t.version);
    record.set("created_utc_ms", t.created_utc_ms);
    record.set("fields", std::move(fields));
    record.set("hlc", std::move(hlc));
    return record;
}

Value transfer_to_value(const Transfer& t) {
    Value v = transfer_record(t);
    v.set("status", t.status);
    v.set("from_store", t.from_store);
    v.set("to_store", t.to_store);
    v.set("updated_utc_ms", t.updated_utc_ms);
    return v;
}

sdk::Result<Transfer> transfer_from_record(const Value& record) {
    if (!record.is_map()) return invalid("$: expected a transfer record (an object)");
    const Value* id = record.find("id");
    if (!id || !id->is_string() || !is_uuid_text(id->as_string()))
        return invalid("$.id: expected the transfer's id (a UUID)");
    const Value* fields = record.find("fields");
    if (!fields || !fields->is_map()) return invalid("$.fields: expected an object");
    const Value* hlc = record.find("hlc");
    if (hlc && !hlc->is_null() && !hlc->is_map()) return invalid("$.hlc: expected an object");

    Transfer t;
    t.id = id->as_string();
    for (const char* name : {"from_store", "to_store"}) {
        const Value& v = (*fields)[name];
        if (!v.is_string() || !is_store_id(v.as_string()))
            return invalid(std::string("$.fields.") + name + ": expected a store id (1-64 characters of A-Z a-z 0-9 . _ -)");
    }
    t.from_store = (*fields)["from_store"].as_string();
    t.to_store = (*fields)["to_store"].as_string();
    if (t.from_store == t.to_store) return invalid("$.fields.to_store: a transfer must go to another store than it leaves");
    const Value& st = (*fields)["status"];
    if (!st.is_string() || status_rank(st.as_string()) == 0)
        return invalid("$.fields.status: expected one of draft, requested, approved, cancelled, sent, received, closed");
    t.status = st.as_string();
    const std::pair<const char*, std::string*> texts[] = {{"created_by", &t.created_by},
                                                          {"sent_by", &t.sent_by},
                                                          {"received_by", &t.received_by},
                                                          {"cancelled_by", &t.cancelled_by}};
    for (const auto& [name, into] : texts) {
        auto text = text_field(*fields, name, 200);
        if (!text) return text.error();
        *into = std::move(*text);
    }
    auto note = text_field(*fields, "note", limits::note_bytes);
    if (!note) return note.error();
    t.note = std::move(*note);
    const std::pair<const char*, std::int64_t*> times[] = {{"sent_utc_ms", &t.sent_utc_ms},
                                                           {"received_utc_ms", &t.received_utc_ms},
                                                           {"cancelled_utc_ms", &t.cancelled_utc_ms}};
    for (const auto& [name, into] : times) {
        auto time = time_field(*fields, name);
        if (!time) return time.error();
        *into = *time;
    }
    auto lines = lines_field(*fields);
    if (!lines) return lines.error();
    t.lines = std::move(*lines);
    t.version = record["version"].is_int() && record["version"].as_int() > 0 ? record["version"].as_int() : 1;
    t.created_utc_ms = record["created_utc_ms"].is_int() ? record["created_utc_ms"].as_int() : 0;
    if (hlc && hlc->is_map())
        for (const auto& [field, text] : hlc->as_map()) {
            auto stamp = text.is_string() ? customers::parse_stamp(text.as_string()) : std::nullopt;
            if (!stamp) return invalid("$.hlc." + field + ": expected a stamp <wall_ms:15>-<counter:5>-<node_id>");
            t.field_stamps[field] = *stamp;
        }
    return t;
}

bool same_fields_and_stamps(const Transfer& a, const Transfer& b) {
    const Value ra = transfer_record(a);
    const Value rb = transfer_record(b);
    return ra["fields"] == rb["fields"] && ra["hlc"] == rb["hlc"];
}

}  // namespace till::domain::transfers
