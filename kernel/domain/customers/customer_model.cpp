#include "domain/customers/customer_model.hpp"

namespace till::domain::customers {
namespace {
sdk::Value text_or_null(const std::string& text) { return text.empty() ? sdk::Value() : sdk::Value(text); }
}  // namespace

sdk::Value stamps_to_value(const std::map<std::string, FieldStamp>& stamps) {
    sdk::Value v = sdk::Value::map();
    for (const auto& [field, stamp] : stamps) {
        sdk::Value s = sdk::Value::map();
        s.set("utc_ms", stamp.utc_ms);
        s.set("counter", stamp.counter);
        s.set("node_id", stamp.node_id);
        v.set(field, std::move(s));
    }
    return v;
}

std::map<std::string, FieldStamp> stamps_from_value(const sdk::Value& value) {
    std::map<std::string, FieldStamp> out;
    for (const auto& [field, s] : value.as_map()) {
        const sdk::Value* ms = s.find("utc_ms");
        const sdk::Value* node = s.find("node_id");
        if (!ms || !ms->is_int() || !node || !node->is_string()) continue;
        out[field] = FieldStamp{ms->as_int(), s["counter"].as_int(0), node->as_string()};
    }
    return out;
}

sdk::Value customer_to_value(const Customer& c) {
    sdk::Value v = sdk::Value::map();
    v.set("id", c.id);
    v.set("display_name", c.display_name);
    v.set("given_name", text_or_null(c.given_name));
    v.set("family_name", text_or_null(c.family_name));
    v.set("email", text_or_null(c.email));
    v.set("phone", text_or_null(c.phone));
    v.set("phone_normalized", text_or_null(c.phone_normalized));
    v.set("note", text_or_null(c.note));
    v.set("tax_exempt", c.tax_exempt);
    v.set("tax_exempt_reference", text_or_null(c.tax_exempt_reference));
    v.set("marketing_opt_in", c.marketing_opt_in);
    v.set("active", c.active);
    v.set("created_utc_ms", c.created_utc_ms);
    v.set("updated_utc_ms", c.updated_utc_ms);
    v.set("version", c.version);
    v.set("field_stamps", stamps_to_value(c.field_stamps));
    return v;
}

}  // namespace till::domain::customers
