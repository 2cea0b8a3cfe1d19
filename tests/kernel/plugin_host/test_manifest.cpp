#include <catch2/catch.hpp>

#include "plugin_host/discovery.hpp"
#include "plugin_host/manifest.hpp"
#include "support/temp_dir.hpp"

using till::plugin_host::load_manifest;

namespace {

std::string all_messages(const till::plugin_host::ManifestLoad& load) {
    std::string text;
    for (const auto& d : load.diagnostics) text += d.to_string() + "\n";
    return text;
}

const char* kValid =
    "id: printer_demo\n"
    "kinds: [device]\n"
    "version: 1.0.0\n"
    "sdk_abi: \"1.0\"\n"
    "status: beta\n"
    "description: A demo.\n"
    "depends:\n"
    "  fixture_good: \">=1.0.0 <2.0.0\"\n"
    "config:\n"
    "  port:\n"
    "    type: integer\n"
    "    default: 9100\n"
    "    description: TCP port.\n";

}  // namespace

TEST_CASE("a valid manifest is read completely", "[manifest]") {
    till::test::TempDir dir;
    dir.write("printer_demo/till-printer-demo.so", "not loaded here");
    auto path = dir.write("printer_demo/plugin.yaml", kValid);
    auto load = load_manifest(path);
    INFO(all_messages(load));
    REQUIRE(load.diagnostics.empty());
    const auto& m = load.manifest;
    CHECK(m.id == "printer_demo");
    CHECK(m.kinds == std::vector<std::string>{"device"});
    CHECK(m.version.to_string() == "1.0.0");
    CHECK(m.sdk_abi_major == 1);
    CHECK(m.sdk_abi_minor == 0);
    CHECK(m.status == "beta");
    REQUIRE(m.depends.size() == 1);
    CHECK(m.depends[0].id == "fixture_good");
    CHECK(m.depends[0].range == ">=1.0.0 <2.0.0");
    REQUIRE(m.config_schema.size() == 1);
    CHECK(m.config_schema[0].name == "port");
    CHECK(m.library == dir.file("printer_demo/till-printer-demo.so"));
}

TEST_CASE("manifest errors name file:line:col and the key", "[manifest]") {
    till::test::TempDir dir;
    dir.write("p/till-p.so", "x");
    auto path = dir.write("p/plugin.yaml",
                          "id: Bad-Id\n"
                          "kinds: [devise]\n"
                          "version: one\n"
                          "sdk_abi: \"1\"\n"
                          "description: x\n"
                          "colour: red\n"
                          "depends:\n"
                          "  other: \">=x\"\n");
    auto load = load_manifest(path);
    std::string text = all_messages(load);
    INFO(text);
    CHECK_THAT(text, Catch::Contains(path + ":1:5: id: invalid plugin id \"Bad-Id\""));
    CHECK_THAT(text, Catch::Contains("kinds: unknown kind \"devise\"; did you mean \"device\"?"));
    CHECK_THAT(text, Catch::Contains(path + ":3:10: version: expected a semantic version"));
    CHECK_THAT(text, Catch::Contains(path + ":4:10: sdk_abi: expected major.minor"));
    CHECK_THAT(text, Catch::Contains(path + ":6:1: colour: unknown key"));
    CHECK_THAT(text, Catch::Contains(path + ":8:10: depends.other: invalid version range"));
}

TEST_CASE("manifest with a missing required key or broken YAML", "[manifest]") {
    till::test::TempDir dir;
    dir.write("p/till-p.so", "x");
    auto path = dir.write("p/plugin.yaml", "id: p\nkinds: [report]\nversion: 1.0.0\nsdk_abi: \"1.0\"\n");
    auto load = load_manifest(path);
    CHECK_THAT(all_messages(load), Catch::Contains("description"));

    auto broken = dir.write("q/plugin.yaml", "id: q\nkinds: [report\n");
    auto load2 = load_manifest(broken);
    REQUIRE_FALSE(load2.diagnostics.empty());
    CHECK_THAT(all_messages(load2), Catch::Contains(broken + ":"));
}

TEST_CASE("discovery reports loose libraries, missing manifests and duplicates", "[manifest][discovery]") {
    till::test::TempDir dir;
    dir.write("plugins/stray.so", "x");
    dir.write("plugins/nomanifest/till-nomanifest.so", "x");
    dir.write("plugins/notaplugin/readme.txt", "just a folder");
    dir.write("plugins/good/till-good.so", "x");
    dir.write("plugins/good/plugin.yaml", "id: good\nkinds: [report]\nversion: 1.0.0\nsdk_abi: \"1.0\"\ndescription: g\n");
    dir.write("more/good2/till-good.so", "x");
    dir.write("more/good2/plugin.yaml", "id: good\nkinds: [report]\nversion: 1.0.0\nsdk_abi: \"1.0\"\ndescription: g\n");
    auto found = till::plugin_host::discover_plugins({dir.file("plugins"), dir.file("more"), dir.file("absent")});
    REQUIRE(found.warnings.size() == 1);
    CHECK_THAT(found.warnings[0], Catch::Contains("absent") && Catch::Contains("does not exist"));
    std::map<std::string, const till::plugin_host::Candidate*> by_location;
    for (const auto& c : found.candidates) by_location[c.location] = &c;
    CHECK(by_location.size() == 4);
    CHECK_THAT(by_location.at(dir.file("plugins/stray.so"))->problem, Catch::Contains("manifest missing"));
    CHECK_THAT(by_location.at(dir.file("plugins/nomanifest"))->problem, Catch::Contains("manifest missing"));
    CHECK(by_location.at(dir.file("plugins/good"))->manifest_ok);
    CHECK_FALSE(by_location.at(dir.file("more/good2"))->manifest_ok);
    CHECK_THAT(by_location.at(dir.file("more/good2"))->problem, Catch::Contains("found twice"));
}

TEST_CASE("an over-long sdk_abi is a diagnostic, not a crash", "[manifest]") {
    till::test::TempDir dir;
    dir.write("p/till-p.so", "x");
    auto path = dir.write("p/plugin.yaml",
                          "id: p\nkinds: [report]\nversion: 1.0.0\nsdk_abi: \"1.99999999999999999999\"\ndescription: d\n");
    auto load = load_manifest(path);
    CHECK_THAT(all_messages(load), Catch::Contains(path + ":4:10: sdk_abi: expected major.minor"));
}
