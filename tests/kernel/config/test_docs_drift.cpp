// docs/configuration.md embeds the kernel reference generated from
// kernel_schema(): this test fails when the two drift apart.
#include <catch2/catch.hpp>

#include "config/node_config.hpp"
#include "support/doc_block.hpp"
#include "support/temp_dir.hpp"

TEST_CASE("docs/configuration.md holds the generated kernel reference", "[config][docs]") {
    const std::string path = std::string(TILL_SOURCE_DIR) + "/docs/configuration.md";
    const std::string doc = till::test::read_file(path);
    REQUIRE_FALSE(doc.empty());
    const auto block = till::test::generated_block(doc, "kernel schema");
    REQUIRE(block.text);
    const std::string expected = till::config::schema_markdown(till::config::kernel_schema(), "");
    INFO("Replace the block in " << path << " with:\n" << block.begin_marker << expected << block.end_marker);
    CHECK(*block.text == expected);
}

TEST_CASE("the example store config in docs/configuration.md is valid", "[config][docs]") {
    const std::string doc = till::test::read_file(std::string(TILL_SOURCE_DIR) + "/docs/configuration.md");
    const auto heading = doc.find("## Example: a store");
    REQUIRE(heading != std::string::npos);
    const auto start = doc.find("```yaml\n", heading);
    REQUIRE(start != std::string::npos);
    const auto stop = doc.find("```", start + 8);
    REQUIRE(stop != std::string::npos);
    till::test::TempDir dir;
    const std::string file = dir.write("store.yaml", doc.substr(start + 8, stop - start - 8));
    auto load = till::config::load_node_config(file, till::config::process_env());
    std::string problems;
    for (const auto& d : load.diagnostics) problems += d.to_string() + "\n";
    INFO(problems);
    CHECK(load.diagnostics.empty());
    CHECK(load.config.node_id == "store-001");
    CHECK(load.config.logging.file == "/var/lib/till/logs/tilld.log");
    CHECK(load.config.plugin_sections.count("printer_escpos") == 1);
}
