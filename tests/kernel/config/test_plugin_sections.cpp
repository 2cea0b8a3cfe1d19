// Plugin sections of the node config checked against schemas parsed from
// manifest snippets: defaults, errors with positions, unknown sections.
#include <catch2/catch.hpp>

#include "config/node_config.hpp"
#include "diag_helpers.hpp"
#include "support/temp_dir.hpp"

using namespace till::config;
using till::test::all_text;
using till::test::fake_env;

namespace {

const char* const kManifest = R"(id: printer_file
version: 1.0.0
config:
  path:
    type: string
    required: true
    description: Where receipts are written.
  width:
    type: integer
    default: 42
    min: 20
    max: 80
  mode:
    type: string
    enum: [append, truncate]
    default: append
  token:
    type: string
    secret: true
  tags:
    type: string_list
    default: [a, b]
  device:
    type: map
    keys:
      baud: {type: integer, default: 9600}
      flow: {type: boolean, default: off}
)";

std::vector<KeySpec> manifest_schema(const till::test::TempDir& dir) {
    const std::string file = dir.write("plugins/printer_file/plugin.yaml", kManifest);
    auto manifest = load_yaml_file(file);
    REQUIRE(manifest.ok());
    std::vector<Diagnostic> out;
    auto schema = parse_schema(*manifest->get("config"), "config", file, out);
    INFO(all_text(out));
    REQUIRE(out.empty());
    return schema;
}

NodeConfig load_ok(const till::test::TempDir& dir, const std::string& text) {
    auto load = load_node_config(dir.write("store.yaml", text), fake_env({}));
    INFO(all_text(load.diagnostics));
    REQUIRE(load.diagnostics.empty());
    return std::move(load.config);
}

const std::string kNode = "node:\n  id: s1\n  role: store\n";

}  // namespace

TEST_CASE("a plugin section gets its values and the schema defaults", "[config][plugins]") {
    till::test::TempDir dir;
    auto schemas = std::map<std::string, std::vector<KeySpec>>{{"printer_file", manifest_schema(dir)}};
    NodeConfig c = load_ok(dir, kNode + "printer_file:\n  path: ${env:OUT}/r.txt\n  width: 60\n");
    std::vector<Diagnostic> out;
    auto values = validate_plugin_sections(c, schemas, fake_env({{"OUT", "/srv"}}), out);
    INFO(all_text(out));
    REQUIRE(out.empty());
    const till::sdk::Value& v = values.at("printer_file");
    CHECK(v["path"].as_string() == "/srv/r.txt");
    CHECK(v["width"].as_int() == 60);
    CHECK(v["mode"].as_string() == "append");
    CHECK(v["token"].is_null());
    CHECK(v["tags"].as_list().size() == 2);
    CHECK(v["device"]["baud"].as_int() == 9600);
    CHECK(v["device"]["flow"].is_bool());
    CHECK_FALSE(v["device"]["flow"].as_bool(true));
}

TEST_CASE("plugin section errors name file:line:col and the plugin path", "[config][plugins]") {
    till::test::TempDir dir;
    auto schemas = std::map<std::string, std::vector<KeySpec>>{{"printer_file", manifest_schema(dir)}};
    NodeConfig c = load_ok(dir, kNode +
                                    "printer_file:\n"     // line 4
                                    "  path: out.txt\n"   // 5
                                    "  width: abc\n"      // 6
                                    "  mode: apend\n"     // 7
                                    "  device:\n"         // 8
                                    "    baud: 10\n"      // 9
                                    "    flwo: on\n");    // 10
    std::vector<Diagnostic> out;
    validate_plugin_sections(c, schemas, fake_env({}), out);
    INFO(all_text(out));
    REQUIRE(out.size() == 3);
    const std::string f = dir.file("store.yaml");
    // In file order.
    CHECK(out[0].to_string() == f + ":6:10: printer_file.width: expected integer, got \"abc\"");
    CHECK(out[1].to_string() == f + ":7:9: printer_file.mode: expected one of append, truncate, "
                                    "got \"apend\"; did you mean \"append\"?");
    CHECK(out[2].to_string() == f + ":10:5: printer_file.device.flwo: unknown key \"flwo\"; did you mean \"flow\"?");
}

TEST_CASE("a missing plugin section still reports missing required keys", "[config][plugins]") {
    till::test::TempDir dir;
    auto schemas = std::map<std::string, std::vector<KeySpec>>{{"printer_file", manifest_schema(dir)}};
    NodeConfig c = load_ok(dir, kNode);
    std::vector<Diagnostic> out;
    validate_plugin_sections(c, schemas, fake_env({}), out);
    REQUIRE(out.size() == 1);
    CHECK(out[0].path == "printer_file");
    CHECK(out[0].message == "missing required key \"path\"");
}

TEST_CASE("an unknown plugin section suggests a plugin id", "[config][plugins]") {
    till::test::TempDir dir;
    auto schemas = std::map<std::string, std::vector<KeySpec>>{{"printer_file", manifest_schema(dir)}};
    NodeConfig c = load_ok(dir, kNode + "printer_file:\n  path: x\nprintr_file:\n  path: y\nloging:\n  level: info\n");
    std::vector<Diagnostic> out;
    validate_plugin_sections(c, schemas, fake_env({}), out);
    INFO(all_text(out));
    REQUIRE(out.size() == 2);
    const std::string f = dir.file("store.yaml");
    CHECK(out[0].to_string() ==
          f + ":6:1: printr_file: unknown plugin section \"printr_file\"; did you mean \"printer_file\"?");
    CHECK(out[1].to_string() == f + ":8:1: loging: unknown plugin section \"loging\"; did you mean \"logging\"?");
}
