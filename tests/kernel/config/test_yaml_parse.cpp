// parse_yaml / load_yaml_file: positions, duplicate keys, syntax errors.
#include <catch2/catch.hpp>

#include "config/config_tree.hpp"
#include "support/temp_dir.hpp"

using till::config::ConfigNode;
using till::config::load_yaml_file;
using till::config::parse_yaml;

TEST_CASE("parse_yaml keeps 1-based positions of keys and values", "[config][yaml]") {
    auto r = parse_yaml("node:\n  id: store-1\n  ports: [1, 2]\n", "x.yaml");
    REQUIRE(r.ok());
    const ConfigNode& root = *r;
    REQUIRE(root.kind == ConfigNode::Kind::map);
    const ConfigNode* node = root.get("node");
    REQUIRE(node);
    REQUIRE(node->key_marks.size() == 2);
    CHECK(node->key_marks[0].line == 2);
    CHECK(node->key_marks[0].col == 3);
    const ConfigNode* id = node->get("id");
    REQUIRE(id);
    CHECK(id->kind == ConfigNode::Kind::scalar);
    CHECK(id->scalar == "store-1");
    CHECK(id->mark.line == 2);
    CHECK(id->mark.col == 7);
    const ConfigNode* ports = node->get("ports");
    REQUIRE(ports);
    REQUIRE(ports->items.size() == 2);
    CHECK(ports->items[1].scalar == "2");
    CHECK(ports->items[1].mark.line == 3);
    CHECK(ports->items[1].mark.col == 14);
}

TEST_CASE("parse_yaml reports a syntax error as file:line:col", "[config][yaml]") {
    auto r = parse_yaml("a: 1\nb: [1, 2\nc: 3\n", "configs/bad.yaml");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "invalid_yaml");
    INFO(r.error().message);
    CHECK(r.error().message.rfind("configs/bad.yaml:", 0) == 0);
    // "file:line:col: message"
    CHECK_THAT(r.error().message, Catch::Matches(R"(configs/bad\.yaml:\d+:\d+: .+)"));
}

TEST_CASE("parse_yaml refuses a duplicate key and names both places", "[config][yaml]") {
    auto r = parse_yaml("node:\n  id: a\n  role: store\n  id: b\n", "dup.yaml");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message ==
          "dup.yaml:4:3: duplicate key \"id\" (first defined at line 2, column 3)");
}

TEST_CASE("parse_yaml: null values, quoted null, empty document, aliases", "[config][yaml]") {
    auto r = parse_yaml("a:\nb: ~\nc: \"null\"\nbase: &b {x: 1}\ncopy: *b\n", "n.yaml");
    REQUIRE(r.ok());
    CHECK(r->get("a")->kind == ConfigNode::Kind::null);
    CHECK(r->get("b")->kind == ConfigNode::Kind::null);
    CHECK(r->get("c")->kind == ConfigNode::Kind::scalar);
    CHECK(r->get("copy")->get("x")->scalar == "1");

    auto empty = parse_yaml("", "e.yaml");
    REQUIRE(empty.ok());
    CHECK(empty->kind == ConfigNode::Kind::null);
}

TEST_CASE("load_yaml_file reads a real file and names a missing one", "[config][yaml]") {
    till::test::TempDir dir;
    const std::string path = dir.write("c.yaml", "k: v\n");
    auto r = load_yaml_file(path);
    REQUIRE(r.ok());
    CHECK(r->get("k")->scalar == "v");

    auto missing = load_yaml_file(dir.file("nope.yaml"));
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.error().message.find(dir.file("nope.yaml")) != std::string::npos);
    CHECK(missing.error().message.find("No such file") != std::string::npos);

    auto bad = load_yaml_file(dir.write("bad.yaml", "a: 1\na: 2\n"));
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().message.rfind(dir.file("bad.yaml") + ":2:1: duplicate key", 0) == 0);
}

TEST_CASE("parse_yaml refuses an alias bomb before it exhausts memory", "[config][yaml]") {
    // Each level holds ten aliases of the one before: 10^9 values at level 9.
    std::string text = "l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n";
    for (int level = 1; level <= 9; ++level) {
        std::string prev = "*l" + std::to_string(level - 1);
        text += "l" + std::to_string(level) + ": &l" + std::to_string(level) + " [";
        for (int i = 0; i < 10; ++i) text += (i ? ", " : "") + prev;
        text += "]\n";
    }
    auto r = parse_yaml(text, "configs/bomb.yaml");
    REQUIRE_FALSE(r.ok());
    INFO(r.error().message);
    CHECK_THAT(r.error().message, Catch::Matches(R"(configs/bomb\.yaml:\d+:\d+: document too large: .+)"));
}

TEST_CASE("parse_yaml still expands ordinary aliases", "[config][yaml]") {
    auto r = parse_yaml("base: &base {a: 1, b: [x, y]}\ncopy: *base\n", "configs/ok.yaml");
    REQUIRE(r.ok());
    const ConfigNode* copy = r->get("copy");
    REQUIRE(copy);
    REQUIRE(copy->get("b"));
    CHECK(copy->get("b")->items.size() == 2);
}

TEST_CASE("load_yaml_file reads regular files only", "[config][yaml]") {
    auto r = load_yaml_file("/dev/zero");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message == "cannot read /dev/zero: is not a regular file");
}
