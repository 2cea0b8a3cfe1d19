#include "domain/customers/customer_record.hpp"

#include <cstdio>

#include "domain/common/http_errors.hpp"
#include "domain/common/ids.hpp"
#include "domain/customers/customer_rules.hpp"

namespace till::domain::customers {
namespace {

using sdk::Value;

sdk::Error invalid(const std::string& message) { return sdk::Error{std::string(error_code::invalid_argument), message}; }

/// "$.email: ..." from the input rules becomes "$.fields.email: ...".
sdk::Error under_fields(const sdk::Error& e) {
    std::string message = e.message;
    if (message.rfind("$.", 0) == 0) message = "$.fields." + message.substr(2);
    return sdk::Error{e.code, message};
}

bool all_digits(std::string_view s) {
    if (s.empty()) return false;
    for (char c : s)
        if (c < '0' || c > '9') return false;
    return true;
}

/// The text field `name` of `fields`: "" when absent (deleted), else a string.
sdk::Result<std::string> text_field(const Value& fields, const std::string& name) {
    const Value* v = fields.find(name);
    if (!v || v->is_null()) return std::string();
    if (!v->is_string()) return invalid("$.fields." + name + ": expected a string");
    return v->as_string();
}

sdk::Result<bool> flag_field(const Value& fields, const std::string& name, bool when_absent) {
    const Value* v = fields.find(name);
    if (!v || v->is_null()) return when_absent;
    if (!v->is_bool()) return invalid("$.fields." + name + ": expected true or false");
    return v->as_bool();
}

}  // namespace

std::string format_stamp(const FieldStamp& stamp) {
    char buf[48];
    std::snprintf(buf, sizeof buf, "%015lld-%05lld-", static_cast<long long>(stamp.utc_ms),
                  static_cast<long long>(stamp.counter));
    return std::string(buf) + stamp.node_id;
}

std::optional<FieldStamp> parse_stamp(std::string_view text) {
    // <wall_ms:15>-<counter:5>-<node_id>; the node id may hold '-'.
    if (text.size() < 23 || text[15] != '-' || text[21] != '-') return std::nullopt;
    const std::string_view wall = text.substr(0, 15);
    const std::string_view counter = text.substr(16, 5);
    if (!all_digits(wall) || !all_digits(counter)) return std::nullopt;
    FieldStamp s;
    s.utc_ms = std::stoll(std::string(wall));
    s.counter = std::stoll(std::string(counter));
    s.node_id = std::string(text.substr(22));
    return s;
}

Value customer_record(const Customer& c) {
    Value fields = Value::map();
    fields.set("display_name", c.display_name);
    fields.set("given_name", c.given_name);
    fields.set("family_name", c.family_name);
    fields.set("email", c.email);
    fields.set("phone", c.phone);
    fields.set("note", c.note);
    fields.set("tax_exempt", c.tax_exempt);
    fields.set("tax_exempt_reference", c.tax_exempt_reference);
    fields.set("marketing_opt_in", c.marketing_opt_in);
    fields.set("active", c.active);
    Value hlc = Value::map();
    for (const auto& [field, stamp] : c.field_stamps) hlc.set(field, format_stamp(stamp));
    Value record = Value::map();
    record.set("id", c.id);
    record.set("fields", std::move(fields));
    record.set("hlc", std::move(hlc));
    record.set("version", c.version);
    record.set("created_utc_ms", c.created_utc_ms);
    return record;
}

sdk::Result<Customer> customer_from_record(const Value& record) {
    if (!record.is_map()) return invalid("$: expected a customer record (an object)");
    const Value* id = record.find("id");
    if (!id || !id->is_string() || !is_uuid_text(id->as_string()))
        return invalid("$.id: expected the customer's id (a UUID)");
    const Value* fields = record.find("fields");
    if (!fields || !fields->is_map()) return invalid("$.fields: expected an object");
    const Value* hlc = record.find("hlc");
    if (hlc && !hlc->is_null() && !hlc->is_map()) return invalid("$.hlc: expected an object");

    NewCustomer in;
    std::string display;
    const std::pair<const char*, std::string*> texts[] = {
        {"display_name", &display}, {"given_name", &in.given_name}, {"family_name", &in.family_name},
        {"email", &in.email},       {"phone", &in.phone},           {"note", &in.note}};
    for (const auto& [name, into] : texts) {
        auto t = text_field(*fields, name);
        if (!t) return t.error();
        if (!is_clean_text(*t)) return invalid(std::string("$.fields.") + name + ": not valid UTF-8 text");
        *into = *t;
    }
    auto reference = text_field(*fields, "tax_exempt_reference");
    if (!reference) return reference.error();
    if (!is_clean_text(*reference) || reference->size() > limits::reference_bytes)
        return invalid("$.fields.tax_exempt_reference: expected text of at most " +
                       std::to_string(limits::reference_bytes) + " bytes");
    auto exempt = flag_field(*fields, "tax_exempt", false);
    if (!exempt) return exempt.error();
    auto opt_in = flag_field(*fields, "marketing_opt_in", false);
    if (!opt_in) return opt_in.error();
    auto active = flag_field(*fields, "active", true);
    if (!active) return active.error();
    if (!display.empty()) in.display_name = display;

    // The input rules check names, email and phone; the exemption pair is
    // taken as merged (a policy may combine the flag of one write with the
    // reference of another: refusing it would stop sync for good).
    auto checked = customer_from_new(in);
    if (!checked) return under_fields(checked.error());
    Customer c = std::move(*checked);
    c.id = id->as_string();
    c.tax_exempt = *exempt;
    c.tax_exempt_reference = trim(*reference);
    c.marketing_opt_in = *opt_in;
    c.active = *active;
    c.version = record["version"].is_int() ? record["version"].as_int() : 1;
    c.created_utc_ms = record["created_utc_ms"].is_int() ? record["created_utc_ms"].as_int() : 0;
    if (hlc && hlc->is_map())
        for (const auto& [field, text] : hlc->as_map()) {
            auto stamp = text.is_string() ? parse_stamp(text.as_string()) : std::nullopt;
            if (!stamp) return invalid("$.hlc." + field + ": expected a stamp <wall_ms:15>-<counter:5>-<node_id>");
            c.field_stamps[field] = *stamp;
        }
    return c;
}

bool same_fields_and_stamps(const Customer& a, const Customer& b) {
    const Value ra = customer_record(a);
    const Value rb = customer_record(b);
    return ra["fields"].to_json() == rb["fields"].to_json() && ra["hlc"].to_json() == rb["hlc"].to_json();
}

}  // namespace till::domain::customers
