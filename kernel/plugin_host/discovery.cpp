#include "plugin_host/discovery.hpp"

#include <algorithm>
#include <filesystem>
#include <map>

namespace till::plugin_host {
namespace {

namespace fs = std::filesystem;

std::string join_diagnostics(const std::vector<config::Diagnostic>& diagnostics) {
    std::string text;
    for (const auto& d : diagnostics) {
        if (!text.empty()) text += "; ";
        text += d.to_string();
    }
    return text;
}

bool has_library(const fs::path& dir) {
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir, ec))
        if (entry.path().extension() == ".so") return true;
    return false;
}

}  // namespace

Discovery discover_plugins(const std::vector<std::string>& dirs) {
    Discovery result;
    std::map<std::string, std::string> seen;  // id -> location
    for (const auto& dir : dirs) {
        std::error_code ec;
        if (!fs::is_directory(dir, ec)) {
            result.warnings.push_back("plugin directory " + dir + " does not exist");
            continue;
        }
        std::vector<fs::path> entries;
        for (const auto& entry : fs::directory_iterator(dir, ec)) entries.push_back(entry.path());
        std::sort(entries.begin(), entries.end());
        for (const auto& path : entries) {
            Candidate c;
            c.location = path.string();
            if (fs::is_regular_file(path, ec) && path.extension() == ".so") {
                c.id = path.stem().string();
                c.problem = path.string() +
                            ": manifest missing (a plugin is a folder holding plugin.yaml and its library)";
            } else if (fs::is_directory(path, ec)) {
                fs::path manifest = path / "plugin.yaml";
                if (!fs::exists(manifest, ec)) {
                    if (!has_library(path)) continue;  // not a plugin folder at all
                    c.id = path.filename().string();
                    c.problem = manifest.string() + ": manifest missing";
                } else {
                    auto load = load_manifest(manifest.string());
                    c.manifest = std::move(load.manifest);
                    c.id = c.manifest.id.empty() ? path.filename().string() : c.manifest.id;
                    if (load.diagnostics.empty()) {
                        c.manifest_ok = true;
                    } else {
                        c.problem = "invalid manifest: " + join_diagnostics(load.diagnostics);
                    }
                }
            } else {
                continue;
            }
            if (auto it = seen.find(c.id); it != seen.end()) {
                c.manifest_ok = false;
                c.problem = "plugin id \"" + c.id + "\" found twice: " + it->second + " and " + c.location;
            } else {
                seen.emplace(c.id, c.location);
            }
            result.candidates.push_back(std::move(c));
        }
    }
    std::stable_sort(result.candidates.begin(), result.candidates.end(),
                     [](const Candidate& a, const Candidate& b) { return a.id < b.id; });
    return result;
}

}  // namespace till::plugin_host
