// load_node_config(): the node config file → NodeConfig, with every problem
// reported as a Diagnostic naming file:line:col and the key path.
#include "config/node_config.hpp"

#include <algorithm>
#include <filesystem>
#include <initializer_list>

#include "config/value_check.hpp"
#include "config/yaml_reader.hpp"

namespace till::config {

namespace fs = std::filesystem;

// Copies every member but the pointers, which are re-resolved against the
// copy's own root. A field added to NodeConfig must be added here too.
NodeConfig::NodeConfig(const NodeConfig& other)
    : file(other.file),
      node_id(other.node_id),
      role(other.role),
      data_dir(other.data_dir),
      listen_host(other.listen_host),
      listen_port(other.listen_port),
      storage(other.storage),
      logging(other.logging),
      http(other.http),
      plugins(other.plugins),
      sales(other.sales),
      auth(other.auth),
      rules(other.rules),
      sync(other.sync),
      scanning(other.scanning),
      printing(other.printing),
      root(other.root),
      plugin_section_marks(other.plugin_section_marks) {
    for (const auto& [id, section] : other.plugin_sections) plugin_sections[id] = root.get(id);
}

NodeConfig& NodeConfig::operator=(const NodeConfig& other) {
    if (this != &other) *this = NodeConfig(other);
    return *this;
}

namespace {

const std::vector<std::string>& kernel_section_names() {
    static const std::vector<std::string> names = {"node",  "storage", "logging", "http",    "plugins",
                                                   "sales", "auth",    "rules",   "sync",    "scanning", "printing"};
    return names;
}

bool is_kernel_section(const std::string& key) {
    const auto& n = kernel_section_names();
    return std::find(n.begin(), n.end(), key) != n.end();
}

/// Where the value at `path` is written, or the deepest ancestor found.
Mark mark_at(const ConfigNode& root, std::initializer_list<const char*> path) {
    Mark m = root.mark;
    const ConfigNode* cur = &root;
    for (const char* k : path) {
        cur = cur->get(k);
        if (!cur) break;
        m = cur->mark;
    }
    return m;
}

bool valid_node_id(const std::string& id) {
    return !id.empty() && std::all_of(id.begin(), id.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '-' || c == '_' || c == '.';
    });
}

/// "host:port" or "[v6]:port"; false when malformed.
bool parse_listen(const std::string& text, std::string& host, int& port) {
    std::string h, p;
    if (!text.empty() && text.front() == '[') {
        const auto close = text.find(']');
        if (close == std::string::npos || close + 1 >= text.size() || text[close + 1] != ':') {
            return false;
        }
        h = text.substr(1, close - 1);
        p = text.substr(close + 2);
    } else {
        const auto colon = text.rfind(':');
        if (colon == std::string::npos) return false;
        h = text.substr(0, colon);
        p = text.substr(colon + 1);
        if (h.find(':') != std::string::npos) return false;  // bare IPv6 needs brackets
    }
    if (h.empty() || p.empty() || p.size() > 5) return false;
    if (!std::all_of(p.begin(), p.end(), [](char c) { return c >= '0' && c <= '9'; })) return false;
    const int n = std::stoi(p);
    if (n > 65535) return false;
    host = h;
    port = n;
    return true;
}

std::string absolute_from(const fs::path& base, const std::string& p) {
    fs::path path(p);
    if (path.is_relative()) path = base / path;
    return path.lexically_normal().string();
}

std::vector<std::string> strings(const sdk::Value& v) {
    std::vector<std::string> out;
    for (const auto& item : v.as_list()) out.push_back(item.as_string());
    return out;
}

}  // namespace

NodeConfigLoad load_node_config(const std::string& path, const EnvLookup& env) {
    NodeConfigLoad load;
    auto& out = load.diagnostics;
    NodeConfig& cfg = load.config;
    std::error_code ec;
    fs::path abs = fs::absolute(path, ec);
    cfg.file = (ec ? fs::path(path) : abs).lexically_normal().string();
    const fs::path folder = fs::path(cfg.file).parent_path();

    std::string text, reason;
    if (!detail::read_text_file(path, text, reason)) {
        out.push_back(Diagnostic{cfg.file, {}, "", "cannot read the configuration file: " + reason});
        return load;
    }
    auto parsed = detail::read_yaml(text);
    if (auto* err = std::get_if<detail::YamlError>(&parsed)) {
        out.push_back(Diagnostic{cfg.file, err->mark, "", err->message});
        return load;
    }
    cfg.root = std::get<ConfigNode>(std::move(parsed));
    const ConfigNode& root = cfg.root;
    if (root.kind != ConfigNode::Kind::map && root.kind != ConfigNode::Kind::null) {
        out.push_back(Diagnostic{cfg.file, root.mark, "",
                                 "the configuration must be a map of sections (node:, storage:, ...)"});
        return load;
    }

    // Kernel sections are validated on a copy holding only them; the rest
    // are plugin sections, validated once the plugins' schemas are known.
    ConfigNode kernel_part;
    kernel_part.kind = ConfigNode::Kind::map;
    kernel_part.mark = root.mark;
    for (std::size_t i = 0; i < root.members.size(); ++i) {
        const auto& [key, value] = root.members[i];
        if (is_kernel_section(key)) {
            kernel_part.members.emplace_back(key, value);
            kernel_part.key_marks.push_back(root.key_marks[i]);
        } else {
            cfg.plugin_sections[key] = &value;
            cfg.plugin_section_marks[key] = root.key_marks[i];
        }
    }
    const detail::CheckContext ctx{cfg.file, &env, out};
    const sdk::Value v = detail::validate_map(kernel_part, kernel_schema(), "", Mark{1, 1}, true, ctx);

    const sdk::Value& node = v["node"];
    if (const sdk::Value* id = node.find("id")) {
        if (valid_node_id(id->as_string())) {
            cfg.node_id = id->as_string();
        } else {
            ctx.report(mark_at(root, {"node", "id"}), "node.id",
                       "invalid node id " + detail::quoted(id->as_string()) +
                           " (letters, digits, '-', '_' and '.' only)");
        }
    }
    cfg.role = node["role"].as_string() == "hq" ? sdk::NodeRole::hq : sdk::NodeRole::store;
    cfg.data_dir = absolute_from(folder, node["data_dir"].as_string("data"));
    if (const sdk::Value* listen = node.find("listen")) {
        if (!parse_listen(listen->as_string(), cfg.listen_host, cfg.listen_port)) {
            ctx.report(mark_at(root, {"node", "listen"}), "node.listen",
                       "expected host:port with a port from 0 to 65535, got " +
                           detail::quoted(listen->as_string()));
        }
    }

    const sdk::Value& storage = v["storage"];
    cfg.storage.url = storage["url"].as_string();
    const std::string& url = cfg.storage.url;
    if (!url.empty() && url.rfind("sqlite:", 0) != 0 && url.rfind("postgresql://", 0) != 0) {
        // The url may hold a password: never echo it.
        ctx.report(mark_at(root, {"storage", "url"}), "storage.url",
                   "must be empty, start with \"sqlite:\" or start with \"postgresql://\" "
                   "(value not shown: secret)");
    }
    cfg.storage.pool_size = static_cast<int>(storage["pool_size"].as_int(4));
    cfg.storage.busy_timeout_ms = static_cast<int>(storage["busy_timeout_ms"].as_int(5000));

    const sdk::Value& logging = v["logging"];
    cfg.logging.level = logging["level"].as_string("info");
    cfg.logging.format = logging["format"].as_string("text");
    const std::string log_file = logging["file"].as_string();
    cfg.logging.file = log_file.empty() ? "" : absolute_from(cfg.data_dir, log_file);

    const sdk::Value& http = v["http"];
    cfg.http.threads = static_cast<int>(http["threads"].as_int(8));
    cfg.http.max_body_bytes = http["max_body_bytes"].as_int(1048576);
    cfg.http.max_websockets = static_cast<int>(http["max_websockets"].as_int(1024));

    const sdk::Value& plugins = v["plugins"];
    for (const auto& d : strings(plugins["dirs"])) cfg.plugins.dirs.push_back(absolute_from(folder, d));
    const ConfigNode* plugins_node = root.get("plugins");
    cfg.plugins.enabled_given = plugins_node && plugins_node->get("enabled") != nullptr;
    cfg.plugins.enabled = strings(plugins["enabled"]);
    cfg.plugins.disabled = strings(plugins["disabled"]);
    cfg.plugins.required = strings(plugins["required"]);
    cfg.sales = v["sales"];
    cfg.auth = v["auth"];
    cfg.rules = v["rules"];
    cfg.sync = v["sync"];
    cfg.scanning = v["scanning"];
    cfg.printing = v["printing"];
    if (const std::string dir = cfg.printing["templates_dir"].as_string(); !dir.empty())
        cfg.printing.set("templates_dir", absolute_from(folder, dir));
    if (const std::string dir = cfg.rules["scripts_dir"].as_string(); !dir.empty()) {
        cfg.rules.set("scripts_dir", absolute_from(folder, dir));
        const std::string deployment = cfg.rules["deployment"].as_string();
        if (deployment.empty()) {
            ctx.report(mark_at(root, {"rules", "scripts_dir"}), "rules.deployment",
                       "required when rules.scripts_dir is set: the folder under it this node runs, e.g. cafe");
        } else if (deployment == "lib" || deployment == "." || deployment == ".." ||
                   deployment.find_first_of("/\\") != std::string::npos) {
            ctx.report(mark_at(root, {"rules", "deployment"}), "rules.deployment",
                       "expected a folder name under rules.scripts_dir (not lib, no '/'), got " +
                           detail::quoted(deployment));
        }
    }
    detail::sort_by_position(out, 0);
    return load;
}

std::map<std::string, sdk::Value> validate_plugin_sections(
    const NodeConfig& config, const std::map<std::string, std::vector<KeySpec>>& schemas,
    const EnvLookup& env, std::vector<Diagnostic>& out) {
    const std::size_t first = out.size();
    std::vector<std::string> candidates = kernel_section_names();
    for (const auto& [id, schema] : schemas) candidates.push_back(id);

    for (const auto& [key, section] : config.plugin_sections) {
        if (schemas.count(key)) continue;
        const auto m = config.plugin_section_marks.find(key);
        out.push_back(Diagnostic{config.file, m != config.plugin_section_marks.end() ? m->second : Mark{},
                                 key,
                                 "unknown plugin section " + detail::quoted(key) +
                                     detail::did_you_mean(key, candidates)});
    }

    std::map<std::string, sdk::Value> result;
    const detail::CheckContext ctx{config.file, &env, out};
    for (const auto& [id, schema] : schemas) {
        const auto it = config.plugin_sections.find(id);
        const ConfigNode absent;
        const ConfigNode& section = (it != config.plugin_sections.end() && it->second) ? *it->second : absent;
        Mark fallback = config.root.mark;
        if (auto m = config.plugin_section_marks.find(id); m != config.plugin_section_marks.end()) {
            fallback = m->second;
        }
        result[id] = detail::validate_map(section, schema, id, fallback, true, ctx);
    }
    detail::sort_by_position(out, first);
    return result;
}

}  // namespace till::config
