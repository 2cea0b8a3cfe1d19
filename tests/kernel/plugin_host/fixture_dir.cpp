#include "fixture_dir.hpp"

#include <filesystem>
#include <stdexcept>

namespace till::test {

namespace fs = std::filesystem;

std::string fixture_library(const std::string& id) {
    std::string file = id;
    for (auto& c : file)
        if (c == '_') c = '-';
    return std::string(TILL_FIXTURE_PLUGIN_DIR) + "/" + id + "/till-" + file + ".so";
}

FixtureNodeDir::FixtureNodeDir() : dir_("till-plugin-host") { fs::create_directories(plugins_dir()); }

void FixtureNodeDir::add_fixture(const std::string& id) {
    fs::path from = fs::path(TILL_FIXTURE_PLUGIN_DIR) / id;
    if (!fs::exists(from / "plugin.yaml")) throw std::runtime_error("fixture not built: " + from.string());
    fs::copy(from, fs::path(plugins_dir()) / id, fs::copy_options::recursive | fs::copy_options::overwrite_existing);
}

std::string FixtureNodeDir::plugin_file(const std::string& folder, const std::string& file,
                                        const std::string& content) {
    return dir_.write("plugins/" + folder + "/" + file, content);
}

std::string FixtureNodeDir::write_config(const std::string& extra) {
    return dir_.write("node.yaml",
                      "node:\n"
                      "  id: test-node\n"
                      "  role: store\n"
                      "  data_dir: data\n"
                      "  listen: 127.0.0.1:0\n"
                      "logging:\n"
                      "  level: warn\n"
                      "  file: node.log\n"
                      "plugins:\n"
                      "  dirs: [plugins]\n" +
                          extra);
}

}  // namespace till::test
