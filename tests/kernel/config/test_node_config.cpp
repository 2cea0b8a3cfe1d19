// load_node_config on real files: each class of mistake names file:line:col
// and the key path; valid files give resolved, absolute paths and defaults.
#include <catch2/catch.hpp>

#include <filesystem>

#include "config/node_config.hpp"
#include "diag_helpers.hpp"
#include "support/temp_dir.hpp"

using namespace till::config;
using till::test::all_text;
using till::test::fake_env;
using till::test::find_diag;

namespace {

NodeConfigLoad load_text(const till::test::TempDir& dir, const std::string& text,
                         const EnvLookup& env = fake_env({})) {
    return load_node_config(dir.write("configs/store.yaml", text), env);
}

/// Expects exactly one diagnostic and returns its text.
std::string only_diag(const NodeConfigLoad& load) {
    INFO(all_text(load.diagnostics));
    REQUIRE(load.diagnostics.size() == 1);
    return load.diagnostics[0].to_string();
}

}  // namespace

TEST_CASE("a minimal store config gets every default", "[config][node]") {
    till::test::TempDir dir;
    auto load = load_text(dir, "node:\n  id: store-001\n  role: store\n");
    INFO(all_text(load.diagnostics));
    REQUIRE(load.diagnostics.empty());
    const NodeConfig& c = load.config;
    CHECK(c.file == dir.file("configs/store.yaml"));
    CHECK(c.node_id == "store-001");
    CHECK(c.role == till::sdk::NodeRole::store);
    CHECK(c.data_dir == dir.file("configs/data"));
    CHECK(c.listen_host == "127.0.0.1");
    CHECK(c.listen_port == 8080);
    CHECK(c.storage.url.empty());
    CHECK(c.storage.pool_size == 4);
    CHECK(c.storage.busy_timeout_ms == 5000);
    CHECK(c.logging.level == "info");
    CHECK(c.logging.format == "text");
    CHECK(c.logging.file.empty());
    CHECK(c.http.threads == 8);
    CHECK(c.http.max_body_bytes == 1048576);
    CHECK(c.http.max_websockets == 1024);
    CHECK(c.plugins.dirs.empty());
    CHECK_FALSE(c.plugins.enabled_given);
    CHECK(c.plugin_sections.empty());
}

TEST_CASE("relative paths are resolved to absolute ones", "[config][node]") {
    till::test::TempDir dir;
    auto load = load_text(dir,
                          "node:\n  id: s1\n  role: hq\n  data_dir: ../var/till\n"
                          "  listen: 0.0.0.0:0\n"
                          "logging:\n  file: logs/till.log\n  format: json\n  level: debug\n"
                          "plugins:\n  dirs: [plugins, /opt/till/plugins]\n  enabled: []\n");
    INFO(all_text(load.diagnostics));
    REQUIRE(load.diagnostics.empty());
    const NodeConfig& c = load.config;
    CHECK(c.role == till::sdk::NodeRole::hq);
    CHECK(c.data_dir == dir.file("var/till"));
    CHECK(c.logging.file == dir.file("var/till/logs/till.log"));
    CHECK(c.logging.format == "json");
    CHECK(c.logging.level == "debug");
    CHECK(c.listen_host == "0.0.0.0");
    CHECK(c.listen_port == 0);
    REQUIRE(c.plugins.dirs.size() == 2);
    CHECK(c.plugins.dirs[0] == dir.file("configs/plugins"));
    CHECK(c.plugins.dirs[1] == "/opt/till/plugins");
    CHECK(c.plugins.enabled_given);
    CHECK(c.plugins.enabled.empty());
}

TEST_CASE("an unknown key is marked at the key with a did-you-mean", "[config][node]") {
    till::test::TempDir dir;
    auto load = load_text(dir, "node:\n  id: s1\n  role: store\nplugins:\n  dirz: [a]\n");
    CHECK(only_diag(load) == dir.file("configs/store.yaml") +
                                 ":5:3: plugins.dirz: unknown key \"dirz\"; did you mean \"dirs\"?");
}

TEST_CASE("a wrong type names the value and its position", "[config][node]") {
    till::test::TempDir dir;
    auto load = load_text(dir, "node:\n  id: s1\n  role: store\nhttp:\n  threads: 12.5\n");
    CHECK(only_diag(load) ==
          dir.file("configs/store.yaml") + ":5:12: http.threads: expected integer, got \"12.5\"");
}

TEST_CASE("an enum miss lists the allowed values and suggests one", "[config][node]") {
    till::test::TempDir dir;
    auto load = load_text(dir, "node:\n  id: s1\n  role: stroe\n");
    CHECK(only_diag(load) == dir.file("configs/store.yaml") +
                                 ":3:9: node.role: expected one of store, hq, got \"stroe\"; "
                                 "did you mean \"store\"?");
}

TEST_CASE("an out-of-range integer gives the range", "[config][node]") {
    till::test::TempDir dir;
    auto load = load_text(dir, "node:\n  id: s1\n  role: store\nstorage:\n  pool_size: 100\n");
    CHECK(only_diag(load) == dir.file("configs/store.yaml") +
                                 ":5:14: storage.pool_size: must be between 1 and 64, got 100");
}

TEST_CASE("a missing required key is marked at its parent map", "[config][node]") {
    till::test::TempDir dir;
    auto load = load_text(dir, "# store\nnode:\n  role: store\n");
    CHECK(only_diag(load) ==
          dir.file("configs/store.yaml") + ":3:3: node: missing required key \"id\"");

    auto no_node = load_text(dir, "http:\n  threads: 2\n");
    CHECK(only_diag(no_node) ==
          dir.file("configs/store.yaml") + ":1:1: missing required key \"node\"");
}

TEST_CASE("every problem is reported, not just the first", "[config][node]") {
    till::test::TempDir dir;
    auto load = load_text(dir,
                          "node:\n  id: s1\n  role: shop\nhttp:\n  threads: 0\n  treads: 2\n"
                          "logging:\n  level: verbose\n");
    INFO(all_text(load.diagnostics));
    CHECK(load.diagnostics.size() == 4);
}

TEST_CASE("${env:NAME} is replaced anywhere in a string", "[config][node][env]") {
    till::test::TempDir dir;
    auto env = fake_env({{"DB_PASSWORD", "s3cr3t"}, {"HOST", "db.local"}, {"THREADS", "3"}});
    auto load = load_text(dir,
                          "node:\n  id: s1\n  role: hq\nstorage:\n"
                          "  url: postgresql://till:${env:DB_PASSWORD}@${env:HOST}:5432/till\n"
                          "http:\n  threads: ${env:THREADS}\n",
                          env);
    INFO(all_text(load.diagnostics));
    REQUIRE(load.diagnostics.empty());
    CHECK(load.config.storage.url == "postgresql://till:s3cr3t@db.local:5432/till");
    CHECK(load.config.http.threads == 3);
}

TEST_CASE("${env:NAME:-fallback} uses the fallback only when NAME is unset", "[config][node][env]") {
    till::test::TempDir dir;
    const std::string text =
        "node:\n  id: s1\n  role: store\n  listen: ${env:LISTEN:-127.0.0.1:8181}\n"
        "http:\n  threads: ${env:THREADS:-5}\n";
    auto unset = load_text(dir, text);
    INFO(all_text(unset.diagnostics));
    REQUIRE(unset.diagnostics.empty());
    CHECK(unset.config.listen_port == 8181);
    CHECK(unset.config.http.threads == 5);
    auto set = load_text(dir, text, fake_env({{"LISTEN", "127.0.0.1:0"}, {"THREADS", "2"}}));
    REQUIRE(set.diagnostics.empty());
    CHECK(set.config.listen_port == 0);
    CHECK(set.config.http.threads == 2);
}

TEST_CASE("an unset environment variable is named at its position", "[config][node][env]") {
    till::test::TempDir dir;
    auto load = load_text(dir,
                          "node:\n  id: s1\n  role: hq\nstorage:\n  url: \"postgresql://u:${env:PG_PASS}@h/db\"\n");
    CHECK(only_diag(load) == dir.file("configs/store.yaml") +
                                 ":5:8: storage.url: environment variable \"PG_PASS\" is not set");
}

TEST_CASE("a secret value never appears in a diagnostic", "[config][node][secret]") {
    till::test::TempDir dir;
    auto env = fake_env({{"PW", "hunter2"}});
    auto load = load_text(dir,
                          "node:\n  id: s1\n  role: hq\nstorage:\n  url: mysql://root:${env:PW}@h/db\n",
                          env);
    const std::string text = only_diag(load);
    CHECK(text.find("hunter2") == std::string::npos);
    CHECK(text.find("mysql") == std::string::npos);
    CHECK(text.find(":5:8: storage.url: must be empty") != std::string::npos);

    // The same through the generic validator: a secret integer out of range.
    KeySpec pin;
    pin.name = "pin";
    pin.type = KeyType::integer;
    pin.secret = true;
    pin.max = 9999;
    auto tree = parse_yaml("pin: 123456\n", "p.yaml");
    REQUIRE(tree.ok());
    std::vector<Diagnostic> out;
    validate(*tree, {pin}, "", "p.yaml", fake_env({}), out);
    REQUIRE(out.size() == 1);
    CHECK(out[0].to_string().find("123456") == std::string::npos);
}

TEST_CASE("a string_list given a single scalar is an error", "[config][node]") {
    till::test::TempDir dir;
    auto load = load_text(dir, "node:\n  id: s1\n  role: store\nplugins:\n  enabled: hello\n");
    const std::string text = only_diag(load);
    CHECK(text.rfind(dir.file("configs/store.yaml") +
                         ":5:12: plugins.enabled: expected a list of strings, got \"hello\"",
                     0) == 0);
}

TEST_CASE("a list item error names its index", "[config][node]") {
    till::test::TempDir dir;
    auto load = load_text(dir,
                          "node:\n  id: s1\n  role: store\nplugins:\n  dirs:\n    - a\n    - {x: 1}\n");
    CHECK(only_diag(load) ==
          dir.file("configs/store.yaml") + ":7:7: plugins.dirs[1]: expected string, got a map");
}

TEST_CASE("node id, listen address and storage url are checked", "[config][node]") {
    till::test::TempDir dir;
    CHECK(only_diag(load_text(dir, "node:\n  id: store 1\n  role: store\n")) ==
          dir.file("configs/store.yaml") +
              ":2:7: node.id: invalid node id \"store 1\" (letters, digits, '-', '_' and '.' only)");
    CHECK(only_diag(load_text(dir, "node:\n  id: s\n  role: store\n  listen: localhost:70000\n")) ==
          dir.file("configs/store.yaml") +
              ":4:11: node.listen: expected host:port with a port from 0 to 65535, got "
              "\"localhost:70000\"");
    auto ok = load_text(dir, "node:\n  id: s\n  role: store\n  listen: \"[::1]:9000\"\n"
                             "storage:\n  url: sqlite:/tmp/x.db\n");
    INFO(all_text(ok.diagnostics));
    CHECK(ok.diagnostics.empty());
    CHECK(ok.config.listen_host == "::1");
    CHECK(ok.config.listen_port == 9000);
}

TEST_CASE("bad YAML and a non-map root are diagnostics with positions", "[config][node]") {
    till::test::TempDir dir;
    const std::string text = only_diag(load_text(dir, "node:\n  id: [s1\n"));
    CHECK_THAT(text, Catch::Matches(".*/configs/store\\.yaml:\\d+:\\d+: .+"));
    CHECK(only_diag(load_text(dir, "- a\n- b\n")) ==
          dir.file("configs/store.yaml") +
              ":1:1: the configuration must be a map of sections (node:, storage:, ...)");
    auto missing = load_node_config(dir.file("absent.yaml"), fake_env({}));
    REQUIRE(missing.diagnostics.size() == 1);
    CHECK(missing.diagnostics[0].to_string() ==
          dir.file("absent.yaml") + ": cannot read the configuration file: No such file or directory");
}

TEST_CASE("plugin sections are kept and survive copies of NodeConfig", "[config][node]") {
    till::test::TempDir dir;
    auto load = load_text(dir, "node:\n  id: s1\n  role: store\nprinter_file:\n  path: out.txt\n");
    REQUIRE(load.diagnostics.empty());
    NodeConfig original = std::move(load.config);
    REQUIRE(original.plugin_sections.count("printer_file") == 1);
    CHECK(original.plugin_sections.at("printer_file")->get("path")->scalar == "out.txt");
    CHECK(original.plugin_section_marks.at("printer_file").line == 4);

    NodeConfig copy = original;
    const ConfigNode* section = copy.plugin_sections.at("printer_file");
    CHECK(section == copy.root.get("printer_file"));
    CHECK(section != original.plugin_sections.at("printer_file"));
    original = NodeConfig();  // the copy must not point into what is gone
    CHECK(section->get("path")->scalar == "out.txt");
}
