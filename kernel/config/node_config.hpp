// The node configuration file (configs/store.yaml, configs/hq.yaml): the
// kernel's sections, validated against kernel_schema(), plus one section per
// plugin keyed by plugin id, validated later against the plugin's manifest.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "config/config_tree.hpp"
#include "config/schema.hpp"
#include "till/sdk/host.hpp"

namespace till::config {

struct NodeConfig {
    std::string file;        ///< absolute path of the config file
    std::string node_id;
    sdk::NodeRole role = sdk::NodeRole::store;
    std::string data_dir;    ///< absolute (relative paths are resolved against the file's folder)
    std::string listen_host = "127.0.0.1";
    int listen_port = 8080;  ///< 0 = any free port

    struct Storage {
        std::string url;     ///< "" = SQLite at <data_dir>/till.db; "sqlite:PATH"; "postgresql://..."
        int pool_size = 4;
        int busy_timeout_ms = 5000;
    } storage;

    struct Logging {
        std::string level = "info";  ///< trace|debug|info|warn|error|critical
        std::string format = "text"; ///< text|json
        std::string file;            ///< "" = standard error; relative to data_dir
    } logging;

    struct Http {
        int threads = 8;
        std::int64_t max_body_bytes = 1048576;
        int max_websockets = 1024;
    } http;

    struct Plugins {
        std::vector<std::string> dirs;      ///< absolute
        bool enabled_given = false;         ///< false: every discovered plugin loads
        std::vector<std::string> enabled;
        std::vector<std::string> disabled;
        std::vector<std::string> required;  ///< node refuses to start if one of these fails
    } plugins;

    sdk::Value sales;  ///< the validated `sales:` section (defaults applied); see domain/common/settings.hpp
    sdk::Value auth;   ///< the validated `auth:` section (secret included; never print it)
    sdk::Value rules;  ///< the validated `rules:` section; scripts_dir made absolute ("" = no rules)
    sdk::Value sync;      ///< the validated `sync:` section (docs/sync.md)
    sdk::Value scanning;  ///< the validated `scanning:` section
    sdk::Value printing;  ///< the validated `printing:` section; templates_dir made absolute
    ConfigNode root;  ///< the whole parsed file, for the plugin sections
    /// Top-level keys that are not kernel sections: plugin id → its section.
    /// The pointers point into `root`. Moving a NodeConfig keeps them valid
    /// (the members' storage moves with it); copying re-resolves them
    /// against the copy's own root (by key), so a copy never points into
    /// the original.
    std::map<std::string, const ConfigNode*> plugin_sections;
    std::map<std::string, Mark> plugin_section_marks;

    NodeConfig() = default;
    NodeConfig(const NodeConfig& other);
    NodeConfig& operator=(const NodeConfig& other);
    NodeConfig(NodeConfig&&) = default;
    NodeConfig& operator=(NodeConfig&&) = default;
};

/// The kernel's sections: node, storage, logging, http, plugins, sales, auth, rules, sync, scanning.
const std::vector<KeySpec>& kernel_schema();

struct NodeConfigLoad {
    std::vector<Diagnostic> diagnostics;  ///< empty = valid
    NodeConfig config;                    ///< meaningful only when diagnostics is empty
};

/// Reads, parses and validates the kernel sections of a node config file.
NodeConfigLoad load_node_config(const std::string& path, const EnvLookup& env);

/// Validates every plugin section against its plugin's schema. A section
/// whose key names no known plugin is an error with a did-you-mean over
/// plugin ids and kernel sections. Plugins without a section get their
/// defaults (and errors for missing required keys). Returns plugin id →
/// validated config (a map Value).
std::map<std::string, sdk::Value> validate_plugin_sections(
    const NodeConfig& config, const std::map<std::string, std::vector<KeySpec>>& schemas,
    const EnvLookup& env, std::vector<Diagnostic>& out);

}  // namespace till::config
