#include "plugin_host/manifest.hpp"

#include <algorithm>
#include <filesystem>
#include <regex>

#include "config/config_tree.hpp"

namespace till::plugin_host {
namespace {

namespace fs = std::filesystem;
using config::ConfigNode;
using config::Diagnostic;
using config::KeySpec;
using config::KeyType;

KeySpec key(std::string name, KeyType type, bool required, std::string description) {
    KeySpec spec;
    spec.name = std::move(name);
    spec.type = type;
    spec.required = required;
    spec.description = std::move(description);
    return spec;
}

const std::vector<KeySpec>& manifest_schema() {
    static const std::vector<KeySpec> keys = [] {
        std::vector<KeySpec> k;
        k.push_back(key("id", KeyType::string, true,
                        "plugin id: lower case letters, digits and '_', e.g. printer_escpos"));
        k.push_back(key("kinds", KeyType::string_list, true, "what the plugin provides"));
        k.push_back(key("version", KeyType::string, true, "semantic version of the plugin"));
        k.push_back(key("sdk_abi", KeyType::string, true, "SDK ABI the plugin is built for, major.minor"));
        KeySpec status = key("status", KeyType::string, false, "maturity");
        status.default_value = sdk::Value("experimental");
        status.allowed_values = {"stable", "beta", "experimental"};
        k.push_back(status);
        k.push_back(key("description", KeyType::string, true, "one line for people"));
        k.push_back(key("library", KeyType::string, false,
                        "library file, relative to the manifest (default: the only .so there)"));
        return k;
    }();
    return keys;
}

void add(std::vector<Diagnostic>& out, const std::string& file, config::Mark mark, std::string path,
         std::string message) {
    out.push_back(Diagnostic{file, mark, std::move(path), std::move(message)});
}

void read_depends(const ConfigNode& node, const std::string& file, Manifest& m,
                  std::vector<Diagnostic>& out) {
    if (node.kind == ConfigNode::Kind::null) return;
    if (node.kind != ConfigNode::Kind::map) {
        add(out, file, node.mark, "depends", "expected a map of plugin id to version range");
        return;
    }
    for (std::size_t i = 0; i < node.members.size(); ++i) {
        const auto& [dep_id, range_node] = node.members[i];
        std::string path = "depends." + dep_id;
        std::string range = "*";
        if (range_node.kind == ConfigNode::Kind::scalar) {
            range = range_node.scalar;
        } else if (range_node.kind != ConfigNode::Kind::null) {
            add(out, file, range_node.mark, path, "expected a version range such as \">=1.0.0 <2.0.0\"");
            continue;
        }
        if (!valid_range(range)) {
            add(out, file, range_node.mark, path, "invalid version range \"" + range + "\"");
            continue;
        }
        m.depends.push_back({dep_id, range});
    }
}

std::string find_library(const fs::path& dir, std::string& error) {
    std::vector<fs::path> found;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        if (entry.path().extension() == ".so") found.push_back(entry.path());
    }
    if (found.empty()) {
        error = "no library: no .so file in " + dir.string();
        return {};
    }
    if (found.size() > 1) {
        error = "several .so files in " + dir.string() + ": name one with `library:`";
        return {};
    }
    return found.front().string();
}

}  // namespace

const std::vector<std::string>& known_plugin_kinds() {
    static const std::vector<std::string> kinds = {"order_type", "device",  "payment", "sync_transport",
                                                   "report",     "ui",      "hq"};
    return kinds;
}

ManifestLoad load_manifest(const std::string& manifest_path) {
    ManifestLoad result;
    auto& out = result.diagnostics;
    Manifest& m = result.manifest;
    m.file = fs::absolute(manifest_path).lexically_normal().string();
    m.dir = fs::path(m.file).parent_path().string();

    auto parsed = config::load_yaml_file(m.file);
    if (!parsed) {
        add(out, {}, {}, {}, parsed.error().message);
        return result;
    }
    const ConfigNode& root = *parsed;
    if (root.kind != ConfigNode::Kind::map) {
        add(out, m.file, root.mark, {}, "a manifest must be a map (id, kinds, version, ...)");
        return result;
    }

    // `depends` and `config` are open maps: validate the rest with the schema.
    ConfigNode fixed = root;
    fixed.members.clear();
    fixed.key_marks.clear();
    const ConfigNode* depends = nullptr;
    const ConfigNode* config_section = nullptr;
    for (std::size_t i = 0; i < root.members.size(); ++i) {
        const auto& [key, value] = root.members[i];
        if (key == "depends") {
            depends = &value;
        } else if (key == "config") {
            config_section = &value;
        } else {
            fixed.members.push_back(root.members[i]);
            if (i < root.key_marks.size()) fixed.key_marks.push_back(root.key_marks[i]);
        }
    }
    auto values = config::validate(fixed, manifest_schema(), "", m.file, config::process_env(), out);

    m.id = values["id"].as_string();
    static const std::regex id_pattern("[a-z][a-z0-9_]*");
    if (!m.id.empty() && !std::regex_match(m.id, id_pattern)) {
        add(out, m.file, root.get("id")->mark, "id",
            "invalid plugin id \"" + m.id + "\": use lower case letters, digits and '_'");
    }
    for (const auto& kind : values["kinds"].as_list()) {
        const auto& known = known_plugin_kinds();
        if (std::find(known.begin(), known.end(), kind.as_string()) == known.end()) {
            std::string msg = "unknown kind \"" + kind.as_string() + "\"";
            auto close = config::closest_match(kind.as_string(), known);
            if (!close.empty()) msg += "; did you mean \"" + close + "\"?";
            add(out, m.file, root.get("kinds")->mark, "kinds", msg);
        }
        m.kinds.push_back(kind.as_string());
    }
    if (const auto* v = values.find("version")) {
        auto parsed_version = parse_semver(v->as_string());
        if (parsed_version) {
            m.version = *parsed_version;
        } else if (v->is_string()) {
            add(out, m.file, root.get("version")->mark, "version",
                "expected a semantic version such as 1.2.0, got \"" + v->as_string() + "\"");
        }
    }
    if (const auto* abi = values.find("sdk_abi"); abi && abi->is_string()) {
        // At most four digits each: no overflow, and no real ABI needs more.
        static const std::regex abi_pattern("([0-9]{1,4})\\.([0-9]{1,4})");
        std::smatch match;
        const std::string& text = abi->as_string();
        if (std::regex_match(text, match, abi_pattern)) {
            m.sdk_abi_major = std::stoi(match[1]);
            m.sdk_abi_minor = std::stoi(match[2]);
        } else {
            add(out, m.file, root.get("sdk_abi")->mark, "sdk_abi",
                "expected major.minor such as 1.0, got \"" + text + "\"");
        }
    }
    m.status = values["status"].as_string();
    m.description = values["description"].as_string();
    if (depends) read_depends(*depends, m.file, m, out);
    if (config_section && config_section->kind != ConfigNode::Kind::null) {
        m.config_schema = config::parse_schema(*config_section, "config", m.file, out);
    }

    std::string library = values["library"].as_string();
    if (!library.empty()) {
        fs::path p = fs::path(m.dir) / library;
        if (!fs::exists(p)) {
            add(out, m.file, root.get("library")->mark, "library", "library file " + p.string() + " not found");
        }
        m.library = p.lexically_normal().string();
    } else {
        std::string error;
        m.library = find_library(m.dir, error);
        if (!error.empty()) add(out, m.file, {}, {}, error);
    }
    return result;
}

}  // namespace till::plugin_host
