#include "retail_fields.hpp"

#include <cctype>

namespace till::order_retail {
namespace {

constexpr std::size_t kMaxEmailLength = 254;
constexpr std::size_t kMaxLocalLength = 64;
constexpr std::size_t kMaxSalespersonLength = 64;

bool is_label(const std::string& label) {
    if (label.empty() || label.size() > 63) return false;
    if (label.front() == '-' || label.back() == '-') return false;
    for (unsigned char c : label)
        if (!std::isalnum(c) && c != '-') return false;
    return true;
}

sdk::Status field_error(const std::string& name, const std::string& problem) {
    return sdk::Status::failure("invalid_argument", "$.fields." + name + ": " + problem);
}

}  // namespace

bool is_email_shape(const std::string& text) {
    if (text.empty() || text.size() > kMaxEmailLength) return false;
    const auto at = text.find('@');
    if (at == std::string::npos || text.find('@', at + 1) != std::string::npos) return false;
    const std::string local = text.substr(0, at);
    const std::string domain = text.substr(at + 1);
    if (local.empty() || local.size() > kMaxLocalLength) return false;
    if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string::npos) return false;
    for (unsigned char c : local)
        if (c <= 0x20 || c == 0x7f || c == '(' || c == ')' || c == ',' || c == ';' || c == ':' || c == '<' ||
            c == '>' || c == '[' || c == ']' || c == '\\' || c == '"')
            return false;
    std::size_t start = 0;
    int labels = 0;
    while (true) {
        const auto dot = domain.find('.', start);
        const std::string label = domain.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
        if (!is_label(label)) return false;
        ++labels;
        if (dot == std::string::npos) break;
        start = dot + 1;
    }
    return labels >= 2;
}

sdk::Status validate_retail_fields(const sdk::Value& fields) {
    if (fields.is_null()) return {};
    if (!fields.is_map())
        return sdk::Status::failure("invalid_argument",
                                    std::string("$.fields: expected an object, got ") +
                                        sdk::Value::type_name(fields.type()));
    for (const auto& [name, value] : fields.as_map()) {
        if (name == "receipt_email") {
            if (value.is_null()) continue;
            if (!value.is_string()) return field_error(name, "expected a string");
            // "" clears the address (a till form sends it when the box is emptied).
            if (!value.as_string().empty() && !is_email_shape(value.as_string()))
                return field_error(name, "\"" + value.as_string() +
                                             "\" is not an e-mail address (expected e.g. name@example.com)");
        } else if (name == "salesperson_id") {
            if (value.is_null()) continue;
            if (!value.is_string()) return field_error(name, "expected a string");
            if (value.as_string().empty() || value.as_string().size() > kMaxSalespersonLength)
                return field_error(name, "must be 1 to " + std::to_string(kMaxSalespersonLength) + " characters");
        } else {
            return field_error(name, "unknown field; a retail sale has receipt_email and salesperson_id");
        }
    }
    return {};
}

}  // namespace till::order_retail
