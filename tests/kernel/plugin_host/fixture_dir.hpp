// Builds a plugin directory for one scenario from the fixture plugins, and a
// node config that points at it.
#pragma once

#include <string>
#include <vector>

#include "support/temp_dir.hpp"

namespace till::test {

class FixtureNodeDir {
public:
    FixtureNodeDir();
    /// Copies fixture `id` (its folder: plugin.yaml + library) into plugins/.
    void add_fixture(const std::string& id);
    /// Path of plugins/<folder>/<file>, creating the folder.
    std::string plugin_file(const std::string& folder, const std::string& file, const std::string& content);
    /// Writes node.yaml: listen 127.0.0.1:0, plugins.dirs [plugins], plus `extra` YAML appended.
    std::string write_config(const std::string& extra = {});
    std::string plugins_dir() const { return dir_.file("plugins"); }
    const TempDir& dir() const { return dir_; }

private:
    TempDir dir_;
};

std::string fixture_library(const std::string& id);

}  // namespace till::test
