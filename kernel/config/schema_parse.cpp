// parse_schema(): a manifest's `config:` section → KeySpecs. Mistakes in the
// schema itself are diagnostics with file:line:col, like config mistakes.
#include <algorithm>

#include "config/value_check.hpp"

namespace till::config {
namespace {

using detail::CheckContext;
using detail::join_path;
using detail::quoted;

const std::vector<std::string>& field_names() {
    static const std::vector<std::string> names = {"type", "default", "required", "description",
                                                   "enum", "min", "max", "secret", "keys"};
    return names;
}

const std::vector<std::string>& type_names() {
    static const std::vector<std::string> names = {"string", "integer", "boolean", "string_list",
                                                   "map"};
    return names;
}

bool valid_key_name(const std::string& name) {
    if (name.empty()) return false;
    return std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '_' || c == '-';
    });
}

const ConfigNode* scalar_field(const ConfigNode& spec, const char* field, const std::string& path,
                               const CheckContext& ctx) {
    const ConfigNode* n = spec.get(field);
    if (!n || n->kind == ConfigNode::Kind::null) return nullptr;
    if (n->kind != ConfigNode::Kind::scalar) {
        ctx.report(n->mark, join_path(path, field), "expected a single value, got a list or map");
        return nullptr;
    }
    return n;
}

std::optional<bool> bool_field(const ConfigNode& spec, const char* field, const std::string& path,
                               const CheckContext& ctx) {
    const ConfigNode* n = scalar_field(spec, field, path, ctx);
    if (!n) return std::nullopt;
    bool b = false;
    if (!detail::parse_bool(n->scalar, b)) {
        ctx.report(n->mark, join_path(path, field), "expected boolean, got " + quoted(n->scalar));
        return std::nullopt;
    }
    return b;
}

std::optional<std::int64_t> int_field(const ConfigNode& spec, const char* field,
                                      const std::string& path, const CheckContext& ctx) {
    const ConfigNode* n = scalar_field(spec, field, path, ctx);
    if (!n) return std::nullopt;
    std::int64_t v = 0;
    if (!detail::parse_int64(n->scalar, v)) {
        ctx.report(n->mark, join_path(path, field), "expected integer, got " + quoted(n->scalar));
        return std::nullopt;
    }
    return v;
}

std::vector<KeySpec> parse_level(const ConfigNode& section, const std::string& prefix,
                                 const CheckContext& ctx);

std::optional<KeySpec> parse_key(const std::string& name, const Mark& key_mark,
                                 const ConfigNode& spec_node, const std::string& path,
                                 const CheckContext& ctx) {
    if (!valid_key_name(name)) {
        ctx.report(key_mark, path,
                   "invalid key name " + quoted(name) + " (letters, digits, '_' and '-' only)");
        return std::nullopt;
    }
    if (spec_node.kind != ConfigNode::Kind::map) {
        ctx.report(spec_node.mark, path,
                   "expected a map such as {type: string, description: ...}");
        return std::nullopt;
    }
    for (std::size_t i = 0; i < spec_node.members.size(); ++i) {
        const std::string& field = spec_node.members[i].first;
        const auto& names = field_names();
        if (std::find(names.begin(), names.end(), field) == names.end()) {
            ctx.report(spec_node.key_marks[i], join_path(path, field),
                       "unknown schema field " + quoted(field) + detail::did_you_mean(field, names));
        }
    }

    KeySpec spec;
    spec.name = name;
    const std::size_t errors_before = ctx.out.size();

    const ConfigNode* type = scalar_field(spec_node, "type", path, ctx);
    if (!type) {
        if (!spec_node.get("type")) ctx.report(spec_node.mark, path, "missing required key \"type\"");
        return std::nullopt;
    }
    const auto& types = type_names();
    const auto it = std::find(types.begin(), types.end(), type->scalar);
    if (it == types.end()) {
        ctx.report(type->mark, join_path(path, "type"),
                   "unknown type " + quoted(type->scalar) +
                       "; expected one of string, integer, boolean, string_list, map" +
                       detail::did_you_mean(type->scalar, types));
        return std::nullopt;
    }
    spec.type = static_cast<KeyType>(it - types.begin());

    if (auto b = bool_field(spec_node, "required", path, ctx)) spec.required = *b;
    if (auto b = bool_field(spec_node, "secret", path, ctx)) spec.secret = *b;
    if (const ConfigNode* d = scalar_field(spec_node, "description", path, ctx)) {
        spec.description = d->scalar;
    }

    if (const ConfigNode* e = spec_node.get("enum")) {
        const std::string epath = join_path(path, "enum");
        if (spec.type != KeyType::string && spec.type != KeyType::string_list) {
            ctx.report(e->mark, epath, "enum applies only to string and string_list keys");
        } else if (e->kind != ConfigNode::Kind::sequence) {
            ctx.report(e->mark, epath, "expected a list of allowed values");
        } else {
            for (std::size_t i = 0; i < e->items.size(); ++i) {
                if (e->items[i].kind != ConfigNode::Kind::scalar) {
                    ctx.report(e->items[i].mark, epath + "[" + std::to_string(i) + "]",
                               "expected a single value");
                    continue;
                }
                spec.allowed_values.push_back(e->items[i].scalar);
            }
        }
    }

    for (const char* bound : {"min", "max"}) {
        const ConfigNode* n = spec_node.get(bound);
        if (!n) continue;
        if (spec.type != KeyType::integer) {
            ctx.report(n->mark, join_path(path, bound),
                       std::string(bound) + " applies only to integer keys");
            continue;
        }
        auto v = int_field(spec_node, bound, path, ctx);
        (bound[1] == 'i' ? spec.min : spec.max) = v;
    }
    if (spec.min && spec.max && *spec.min > *spec.max) {
        ctx.report(spec_node.get("min")->mark, join_path(path, "min"),
                   "min (" + std::to_string(*spec.min) + ") is greater than max (" +
                       std::to_string(*spec.max) + ")");
    }

    const ConfigNode* keys = spec_node.get("keys");
    if (spec.type == KeyType::map) {
        if (!keys) {
            ctx.report(spec_node.mark, path, "a map key needs \"keys\" describing its members");
        } else {
            spec.children = parse_level(*keys, join_path(path, "keys"), ctx);
        }
    } else if (keys) {
        ctx.report(keys->mark, join_path(path, "keys"), "keys applies only to map keys");
    }

    if (const ConfigNode* d = spec_node.get("default"); d && d->kind != ConfigNode::Kind::null) {
        if (spec.type == KeyType::map) {
            ctx.report(d->mark, join_path(path, "default"),
                       "a map takes its defaults from its keys; remove this default");
        } else {
            // Defaults are literal: no ${env:...} substitution.
            const CheckContext literal{ctx.file, nullptr, ctx.out};
            if (auto v = detail::check_scalar_spec(*d, spec, join_path(path, "default"), literal)) {
                spec.default_value = std::move(*v);
            }
        }
    }
    if (ctx.out.size() != errors_before) return std::nullopt;
    return spec;
}

std::vector<KeySpec> parse_level(const ConfigNode& section, const std::string& prefix,
                                 const CheckContext& ctx) {
    std::vector<KeySpec> keys;
    if (section.kind == ConfigNode::Kind::null) return keys;
    if (section.kind != ConfigNode::Kind::map) {
        ctx.report(section.mark, prefix, "expected a map of key name → {type, default, ...}");
        return keys;
    }
    for (std::size_t i = 0; i < section.members.size(); ++i) {
        const auto& [name, node] = section.members[i];
        if (auto spec = parse_key(name, section.key_marks[i], node, join_path(prefix, name), ctx)) {
            keys.push_back(std::move(*spec));
        }
    }
    return keys;
}

}  // namespace

std::vector<KeySpec> parse_schema(const ConfigNode& section, const std::string& path_prefix,
                                  const std::string& file, std::vector<Diagnostic>& out) {
    const std::size_t first = out.size();
    const CheckContext ctx{file, nullptr, out};
    auto keys = parse_level(section, path_prefix, ctx);
    detail::sort_by_position(out, first);
    return keys;
}

}  // namespace till::config
