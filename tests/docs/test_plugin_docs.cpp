// docs/plugins.md embeds `tillctl plugins schema` for the bundled plugins
// between two markers: this test fails, printing the block to paste, when
// the doc and the manifests drift apart.
#include <catch2/catch.hpp>

#include <string>

#include "support/child_process.hpp"
#include "support/temp_dir.hpp"

TEST_CASE("docs/plugins.md holds the generated schemas of the bundled plugins", "[docs][plugins]") {
    const std::string path = std::string(TILL_SOURCE_DIR) + "/docs/plugins.md";
    const std::string doc = till::test::read_file(path);
    REQUIRE_FALSE(doc.empty());
    const std::string begin = "<!-- BEGIN GENERATED: plugin schemas -->\n";
    const std::string end = "<!-- END GENERATED: plugin schemas -->";
    const auto b = doc.find(begin);
    const auto e = doc.find(end);
    REQUIRE(b != std::string::npos);
    REQUIRE(e != std::string::npos);
    REQUIRE(b < e);
    const std::string actual = doc.substr(b + begin.size(), e - b - begin.size());

    std::string expected;
    const int code = till::test::run_command(
        {std::string(TILL_BIN_DIR) + "/tillctl", "plugins", "schema", "--dir", TILL_BUILD_PLUGIN_DIR}, expected);
    INFO("tillctl plugins schema --dir " << TILL_BUILD_PLUGIN_DIR << " exited " << code << ":\n" << expected);
    REQUIRE(code == 0);
    REQUIRE_FALSE(expected.empty());

    INFO("Replace the block in " << path << " with the output of\n  build/bin/tillctl plugins schema --dir "
                                 << "build/plugins\nthat is:\n"
                                 << begin << expected << end);
    CHECK(actual == expected);
}
