// plugin.yaml: what the kernel knows about a plugin before opening its
// library. See docs/sdk/manifest.md for the format.
#pragma once

#include <string>
#include <vector>

#include "config/schema.hpp"
#include "plugin_host/semver.hpp"

namespace till::plugin_host {

struct Dependency {
    std::string id;
    std::string range;  ///< semver range, "*" = any version
};

struct Manifest {
    std::string file;                  ///< absolute path of plugin.yaml
    std::string dir;                   ///< the plugin's folder
    std::string id;                    ///< [a-z][a-z0-9_]*
    std::vector<std::string> kinds;    ///< order_type, device, payment, sync_transport, report, ui, hq
    SemVer version;
    int sdk_abi_major = 0;
    int sdk_abi_minor = 0;
    std::string status;                ///< stable | beta | experimental
    std::string description;
    std::vector<Dependency> depends;
    std::vector<config::KeySpec> config_schema;
    std::string library;               ///< absolute path of the shared library
};

/// The kinds a manifest may name.
const std::vector<std::string>& known_plugin_kinds();

struct ManifestLoad {
    std::vector<config::Diagnostic> diagnostics;  ///< empty = valid
    Manifest manifest;
};

/// Reads and validates a plugin.yaml. The library is the manifest's
/// `library:` (relative to the folder) or else the single *.so in the folder.
ManifestLoad load_manifest(const std::string& manifest_path);

}  // namespace till::plugin_host
