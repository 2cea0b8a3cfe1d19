#include "quickservice_fields.hpp"

namespace till::order_quickservice {
namespace {
sdk::Status field_error(const std::string& name, const std::string& problem) {
    return sdk::Status::failure("invalid_argument", "$.fields." + name + ": " + problem);
}
}  // namespace

std::size_t utf8_length(const std::string& text) {
    std::size_t n = 0;
    for (unsigned char c : text)
        if ((c & 0xC0) != 0x80) ++n;  // count every byte that is not a continuation byte
    return n;
}

sdk::Status validate_quickservice_fields(const sdk::Value& fields) {
    if (fields.is_null()) return {};
    if (!fields.is_map())
        return sdk::Status::failure("invalid_argument",
                                    std::string("$.fields: expected an object, got ") +
                                        sdk::Value::type_name(fields.type()));
    for (const auto& [name, value] : fields.as_map()) {
        if (value.is_null()) continue;
        if (name == "customer_name") {
            if (!value.is_string()) return field_error(name, "expected a string");
            if (utf8_length(value.as_string()) > kMaxCustomerNameChars)
                return field_error(name, "is longer than " + std::to_string(kMaxCustomerNameChars) + " characters");
        } else if (name == "eat_in") {
            if (!value.is_bool()) return field_error(name, "expected true or false");
        } else if (name == "queue_number") {
            // Given by the plugin at submission; present when fields change afterwards.
            if (!value.is_int() || value.as_int() < 0) return field_error(name, "expected a queue number");
        } else {
            return field_error(name, "unknown field; a counter order has customer_name and eat_in");
        }
    }
    return {};
}

}  // namespace till::order_quickservice
