#include "node/config_check.hpp"

#include <algorithm>

namespace till::node {

namespace {

// A required plugin that is not in plugins.dirs can never start: say so now,
// at its place in the file, rather than when the node refuses to start.
void check_required_plugins(CheckedConfig& checked) {
    const config::ConfigNode* plugins = checked.config.root.get("plugins");
    const config::ConfigNode* required = plugins ? plugins->get("required") : nullptr;
    if (!required || required->kind != config::ConfigNode::Kind::sequence) return;
    std::vector<std::string> ids;
    for (const auto& candidate : checked.discovery.candidates) ids.push_back(candidate.id);
    for (std::size_t i = 0; i < required->items.size(); ++i) {
        const auto& item = required->items[i];
        if (std::find(ids.begin(), ids.end(), item.scalar) != ids.end()) continue;
        std::string message = "required plugin \"" + item.scalar + "\" is not in plugins.dirs";
        auto close = config::closest_match(item.scalar, ids);
        if (!close.empty()) message += "; did you mean \"" + close + "\"?";
        checked.diagnostics.push_back(config::Diagnostic{checked.config.file, item.mark,
                                                         "plugins.required[" + std::to_string(i) + "]", message});
    }
}

}  // namespace

CheckedConfig check_node_config(const std::string& path, const config::EnvLookup& env) {
    CheckedConfig checked;
    auto load = config::load_node_config(path, env);
    checked.diagnostics = std::move(load.diagnostics);
    if (!checked.diagnostics.empty()) return checked;
    checked.config = std::move(load.config);

    checked.discovery = plugin_host::discover_plugins(checked.config.plugins.dirs);
    std::map<std::string, std::vector<config::KeySpec>> schemas;
    for (const auto& candidate : checked.discovery.candidates) {
        // A plugin whose manifest is broken is reported by the plugin host
        // (failed_to_load); its section cannot be checked and is left alone.
        schemas[candidate.id] = candidate.manifest_ok ? candidate.manifest.config_schema
                                                      : std::vector<config::KeySpec>{};
    }
    std::vector<config::Diagnostic> plugin_diagnostics;
    checked.plugin_configs =
        config::validate_plugin_sections(checked.config, schemas, env, plugin_diagnostics);
    for (auto& d : plugin_diagnostics) {
        // Skip diagnostics about sections of plugins with broken manifests.
        bool broken = false;
        for (const auto& candidate : checked.discovery.candidates) {
            if (!candidate.manifest_ok &&
                (d.path == candidate.id || d.path.rfind(candidate.id + ".", 0) == 0))
                broken = true;
        }
        if (!broken) checked.diagnostics.push_back(std::move(d));
    }
    check_required_plugins(checked);
    return checked;
}

}  // namespace till::node
