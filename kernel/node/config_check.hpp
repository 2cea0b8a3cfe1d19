// Everything that can be checked about a node config without running plugin
// code: the kernel sections, the plugin manifests found in plugins.dirs, and
// each plugin section against its manifest's schema. Used by tilld at start
// and by `tillctl config check`.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "config/node_config.hpp"
#include "plugin_host/discovery.hpp"

namespace till::node {

struct CheckedConfig {
    std::vector<config::Diagnostic> diagnostics;      ///< empty = the node may start
    config::NodeConfig config;
    plugin_host::Discovery discovery;
    std::map<std::string, sdk::Value> plugin_configs; ///< validated, defaults applied
};

CheckedConfig check_node_config(const std::string& path, const config::EnvLookup& env);

}  // namespace till::node
