// docs/plugins.md embeds `tillctl plugins schema` for the bundled plugins
// between two markers: this test fails, printing the block to paste, when
// the doc and the manifests drift apart.
#include <catch2/catch.hpp>

#include <string>

#include "support/child_process.hpp"
#include "support/doc_block.hpp"
#include "support/temp_dir.hpp"

TEST_CASE("docs/plugins.md holds the generated schemas of the bundled plugins", "[docs][plugins]") {
    const std::string path = std::string(TILL_SOURCE_DIR) + "/docs/plugins.md";
    const std::string doc = till::test::read_file(path);
    REQUIRE_FALSE(doc.empty());
    const auto block = till::test::generated_block(doc, "plugin schemas");
    REQUIRE(block.text);

    std::string expected;
    const int code = till::test::run_command(
        {std::string(TILL_BIN_DIR) + "/tillctl", "plugins", "schema", "--dir", TILL_BUILD_PLUGIN_DIR}, expected);
    INFO("tillctl plugins schema --dir " << TILL_BUILD_PLUGIN_DIR << " exited " << code << ":\n" << expected);
    REQUIRE(code == 0);
    REQUIRE_FALSE(expected.empty());

    INFO("Replace the block in " << path << " with the output of\n  build/bin/tillctl plugins schema --dir "
                                 << "build/plugins\nthat is:\n"
                                 << block.begin_marker << expected << block.end_marker);
    CHECK(*block.text == expected);
}
