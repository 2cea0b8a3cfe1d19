// validate(): a ConfigNode checked against KeySpecs, defaults applied, every
// problem collected (never stops at the first).
#include <algorithm>
#include <cctype>
#include <charconv>

#include "config/value_check.hpp"

namespace till::config {
namespace detail {

std::string join_path(const std::string& prefix, const std::string& key) {
    return prefix.empty() ? key : prefix + "." + key;
}

// JSON string syntax: the same escaping the API uses.
std::string quoted(const std::string& text) { return sdk::Value(text).to_json(); }

std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates) {
    const std::string best = closest_match(word, candidates);
    if (best.empty() || best == word) return "";
    return "; did you mean " + quoted(best) + "?";
}

void sort_by_position(std::vector<Diagnostic>& out, std::size_t from) {
    if (from >= out.size()) return;
    std::stable_sort(out.begin() + static_cast<std::ptrdiff_t>(from), out.end(),
                     [](const Diagnostic& a, const Diagnostic& b) {
                         if (a.mark.line != b.mark.line) return a.mark.line < b.mark.line;
                         return a.mark.col < b.mark.col;
                     });
}

bool parse_int64(const std::string& text, std::int64_t& out) {
    std::string_view v = text;
    if (!v.empty() && v.front() == '+') v.remove_prefix(1);
    if (v.empty()) return false;
    const char* first = v.data();
    const char* last = v.data() + v.size();
    if (*first == '-' && v.size() == 1) return false;
    auto [ptr, ec] = std::from_chars(first, last, out, 10);
    return ec == std::errc() && ptr == last;
}

bool parse_bool(const std::string& text, bool& out) {
    std::string t;
    for (char c : text) t += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (t == "true" || t == "yes" || t == "on") {
        out = true;
        return true;
    }
    if (t == "false" || t == "no" || t == "off") {
        out = false;
        return true;
    }
    return false;
}

namespace {

/// Text of a value for a message; secrets are never shown.
std::string shown(const KeySpec& spec, const std::string& value) {
    return spec.secret ? std::string("a secret value (not shown)") : quoted(value);
}

std::string describe_kind(const ConfigNode& node, const KeySpec& spec) {
    switch (node.kind) {
        case ConfigNode::Kind::scalar: return shown(spec, node.scalar);
        case ConfigNode::Kind::sequence: return "a list";
        case ConfigNode::Kind::map: return "a map";
        case ConfigNode::Kind::null: return "nothing";
    }
    return "?";
}

/// Replaces every ${env:NAME} and ${env:NAME:-fallback} in `raw`. Reports
/// and returns nullopt when a variable without fallback is unset or a
/// reference is malformed.
std::optional<std::string> substitute_env(const std::string& raw, const Mark& mark,
                                          const std::string& path, const CheckContext& ctx) {
    if (!ctx.env) return raw;
    static constexpr std::string_view open = "${env:";
    std::string result;
    bool ok = true;
    std::size_t pos = 0;
    while (true) {
        const std::size_t start = raw.find(open, pos);
        if (start == std::string::npos) {
            result.append(raw, pos, std::string::npos);
            break;
        }
        result.append(raw, pos, start - pos);
        const std::size_t name_start = start + open.size();
        const std::size_t end = raw.find('}', name_start);
        if (end == std::string::npos) {
            ctx.report(mark, path, "unterminated \"${env:\" reference (expected ${env:NAME})");
            return std::nullopt;
        }
        std::string name = raw.substr(name_start, end - name_start);
        std::optional<std::string> fallback;
        if (auto sep = name.find(":-"); sep != std::string::npos) {
            fallback = name.substr(sep + 2);
            name.resize(sep);
        }
        if (name.empty()) {
            ctx.report(mark, path, "empty variable name in \"${env:}\"");
            ok = false;
        } else if (auto value = (*ctx.env)(name)) {
            result += *value;
        } else if (fallback) {
            result += *fallback;
        } else {
            ctx.report(mark, path, "environment variable " + quoted(name) + " is not set");
            ok = false;
        }
        pos = end + 1;
    }
    if (!ok) return std::nullopt;
    return result;
}

bool check_allowed(const std::string& value, const KeySpec& spec, const Mark& mark,
                   const std::string& path, const CheckContext& ctx) {
    if (spec.allowed_values.empty()) return true;
    if (std::find(spec.allowed_values.begin(), spec.allowed_values.end(), value) !=
        spec.allowed_values.end()) {
        return true;
    }
    std::string list;
    for (const auto& a : spec.allowed_values) list += (list.empty() ? "" : ", ") + a;
    std::string msg = "expected one of " + list + ", got " + shown(spec, value);
    if (!spec.secret) msg += did_you_mean(value, spec.allowed_values);
    ctx.report(mark, path, msg);
    return false;
}

}  // namespace

std::optional<sdk::Value> check_scalar_spec(const ConfigNode& node, const KeySpec& spec,
                                            const std::string& path, const CheckContext& ctx) {
    const char* type = key_type_name(spec.type);
    if (spec.type == KeyType::string_list) {
        if (node.kind != ConfigNode::Kind::sequence) {
            std::string msg = "expected a list of strings, got " + describe_kind(node, spec);
            if (node.kind == ConfigNode::Kind::scalar && !spec.secret) {
                msg += "; write [" + node.scalar + "] for a list of one";
            }
            ctx.report(node.mark, path, msg);
            return std::nullopt;
        }
        sdk::Value::List items;
        bool ok = true;
        for (std::size_t i = 0; i < node.items.size(); ++i) {
            const ConfigNode& item = node.items[i];
            const std::string item_path = path + "[" + std::to_string(i) + "]";
            if (item.kind != ConfigNode::Kind::scalar) {
                ctx.report(item.mark, item_path, "expected string, got " + describe_kind(item, spec));
                ok = false;
                continue;
            }
            auto text = substitute_env(item.scalar, item.mark, item_path, ctx);
            if (!text || !check_allowed(*text, spec, item.mark, item_path, ctx)) {
                ok = false;
                continue;
            }
            items.emplace_back(std::move(*text));
        }
        if (!ok) return std::nullopt;
        return sdk::Value(std::move(items));
    }

    if (node.kind != ConfigNode::Kind::scalar) {
        ctx.report(node.mark, path,
                   std::string("expected ") + type + ", got " + describe_kind(node, spec));
        return std::nullopt;
    }
    auto text = substitute_env(node.scalar, node.mark, path, ctx);
    if (!text) return std::nullopt;

    switch (spec.type) {
        case KeyType::string:
            if (!check_allowed(*text, spec, node.mark, path, ctx)) return std::nullopt;
            return sdk::Value(std::move(*text));
        case KeyType::integer: {
            std::int64_t n = 0;
            if (!parse_int64(*text, n)) {
                ctx.report(node.mark, path, "expected integer, got " + shown(spec, *text));
                return std::nullopt;
            }
            const bool low = spec.min && n < *spec.min;
            const bool high = spec.max && n > *spec.max;
            if (low || high) {
                std::string msg;
                if (spec.min && spec.max) {
                    msg = "must be between " + std::to_string(*spec.min) + " and " +
                          std::to_string(*spec.max);
                } else if (spec.min) {
                    msg = "must be at least " + std::to_string(*spec.min);
                } else {
                    msg = "must be at most " + std::to_string(*spec.max);
                }
                msg += spec.secret ? std::string(" (value not shown: secret)")
                                   : ", got " + std::to_string(n);
                ctx.report(node.mark, path, msg);
                return std::nullopt;
            }
            return sdk::Value(static_cast<long long>(n));
        }
        case KeyType::boolean: {
            bool b = false;
            if (!parse_bool(*text, b)) {
                ctx.report(node.mark, path,
                           "expected boolean (true/false, yes/no, on/off), got " + shown(spec, *text));
                return std::nullopt;
            }
            return sdk::Value(b);
        }
        case KeyType::string_list:
        case KeyType::map:
            break;
    }
    return std::nullopt;
}

sdk::Value validate_map(const ConfigNode& node, const std::vector<KeySpec>& keys,
                        const std::string& prefix, const Mark& fallback_mark,
                        bool report_required, const CheckContext& ctx) {
    sdk::Value result = sdk::Value::map();
    const ConfigNode* map = nullptr;
    if (node.kind == ConfigNode::Kind::map) {
        map = &node;
    } else if (node.kind != ConfigNode::Kind::null) {
        KeySpec plain;
        ctx.report(node.mark, prefix, "expected a map, got " + describe_kind(node, plain));
        report_required = false;  // one error for the section is enough
    }
    const Mark here = (node.mark.line > 0) ? node.mark : fallback_mark;

    if (map) {
        std::vector<std::string> names;
        for (const auto& k : keys) names.push_back(k.name);
        for (std::size_t i = 0; i < map->members.size(); ++i) {
            const std::string& key = map->members[i].first;
            if (std::find(names.begin(), names.end(), key) != names.end()) continue;
            const Mark key_mark = i < map->key_marks.size() ? map->key_marks[i] : here;
            ctx.report(key_mark, join_path(prefix, key),
                       "unknown key " + quoted(key) + did_you_mean(key, names));
        }
    }

    for (const KeySpec& spec : keys) {
        const std::string path = join_path(prefix, spec.name);
        const ConfigNode* child = map ? map->get(spec.name) : nullptr;
        const bool present = child && child->kind != ConfigNode::Kind::null;
        if (present) {
            if (spec.type == KeyType::map) {
                result.set(spec.name, validate_map(*child, spec.children, path, here, true, ctx));
            } else if (auto v = check_scalar_spec(*child, spec, path, ctx)) {
                result.set(spec.name, std::move(*v));
            }
            continue;
        }
        if (spec.required && report_required) {
            ctx.report(child ? child->mark : here, prefix,
                       "missing required key " + quoted(spec.name));
            if (spec.type == KeyType::map) continue;
        }
        if (spec.type == KeyType::map) {
            const ConfigNode absent;
            const Mark m = (child && child->mark.line > 0) ? child->mark : here;
            result.set(spec.name,
                       validate_map(child ? *child : absent, spec.children, path, m,
                                    report_required, ctx));
        } else if (!spec.default_value.is_null()) {
            result.set(spec.name, spec.default_value);
        }
    }
    return result;
}

}  // namespace detail

sdk::Value validate(const ConfigNode& node, const std::vector<KeySpec>& keys,
                    const std::string& path_prefix, const std::string& file, const EnvLookup& env,
                    std::vector<Diagnostic>& out) {
    const std::size_t first = out.size();
    const detail::CheckContext ctx{file, &env, out};
    sdk::Value result = detail::validate_map(node, keys, path_prefix, node.mark, true, ctx);
    detail::sort_by_position(out, first);
    return result;
}

}  // namespace till::config
