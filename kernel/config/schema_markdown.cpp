// schema_markdown(): one table per map level, nested maps after their parent.
#include "config/value_check.hpp"

namespace till::config {
namespace {

std::string cell(const std::string& text) {
    std::string s;
    for (char c : text) {
        if (c == '|') s += "\\|";
        else if (c == '\n') s += ' ';
        else s += c;
    }
    return s;
}

std::string default_text(const KeySpec& spec) {
    if (spec.type == KeyType::map) return "";
    const sdk::Value& d = spec.default_value;
    if (d.is_null()) return "";
    switch (d.type()) {
        case sdk::Value::Type::string:
            return d.as_string().empty() ? "`\"\"`" : "`" + d.as_string() + "`";
        case sdk::Value::Type::integer: return "`" + std::to_string(d.as_int()) + "`";
        case sdk::Value::Type::boolean: return d.as_bool() ? "`true`" : "`false`";
        case sdk::Value::Type::list: {
            std::string s;
            for (const auto& item : d.as_list()) s += (s.empty() ? "" : ", ") + item.as_string();
            return "`[" + s + "]`";
        }
        default: return "";
    }
}

std::string description_text(const KeySpec& spec) {
    std::string s = spec.description;
    auto add = [&s](const std::string& part) { s += (s.empty() ? "" : " ") + part; };
    if (!spec.allowed_values.empty()) {
        std::string list;
        for (const auto& a : spec.allowed_values) list += (list.empty() ? "" : ", ") + ("`" + a + "`");
        add("One of " + list + ".");
    }
    if (spec.min && spec.max) {
        add("Range " + std::to_string(*spec.min) + " to " + std::to_string(*spec.max) + ".");
    } else if (spec.min) {
        add("At least " + std::to_string(*spec.min) + ".");
    } else if (spec.max) {
        add("At most " + std::to_string(*spec.max) + ".");
    }
    if (spec.secret) add("Secret: never printed back; use `${env:NAME}`.");
    if (spec.type == KeyType::map) add("See the table below.");
    return cell(s);
}

void render(const std::vector<KeySpec>& keys, const std::string& prefix, std::string& out) {
    if (!out.empty()) out += "\n";
    if (!prefix.empty()) out += "#### `" + prefix + "`\n\n";
    out += "| key | type | default | required | description |\n";
    out += "| --- | --- | --- | --- | --- |\n";
    for (const KeySpec& k : keys) {
        out += "| `" + detail::join_path(prefix, k.name) + "` | " + key_type_name(k.type) + " | " +
               default_text(k) + " | " + (k.required ? "yes" : "no") + " | " +
               description_text(k) + " |\n";
    }
    for (const KeySpec& k : keys) {
        if (k.type == KeyType::map) render(k.children, detail::join_path(prefix, k.name), out);
    }
}

}  // namespace

std::string schema_markdown(const std::vector<KeySpec>& keys, const std::string& path_prefix) {
    std::string out;
    render(keys, path_prefix, out);
    return out;
}

}  // namespace till::config
