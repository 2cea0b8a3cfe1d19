// Finds plugins in the directories a node config names, reading manifests
// only: no plugin code runs here.
//
// A plugin is a folder holding plugin.yaml and its library. In each
// configured directory, every sub-folder is a candidate; a loose .so file, or
// a folder with a library but no manifest, is reported as failed (manifest
// missing) so a misplaced file never passes unnoticed.
#pragma once

#include <string>
#include <vector>

#include "plugin_host/manifest.hpp"

namespace till::plugin_host {

struct Candidate {
    std::string id;        ///< the manifest id, or the folder / file name when unreadable
    std::string location;  ///< the plugin folder, or the loose file
    bool manifest_ok = false;
    Manifest manifest;     ///< valid when manifest_ok
    std::string problem;   ///< one line: why the candidate cannot load
};

struct Discovery {
    std::vector<Candidate> candidates;   ///< sorted by id
    std::vector<std::string> warnings;   ///< e.g. a configured directory that does not exist
};

Discovery discover_plugins(const std::vector<std::string>& dirs);

}  // namespace till::plugin_host
