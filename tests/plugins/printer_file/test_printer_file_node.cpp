// printer_file in a real node: the built plugin loaded from the build's
// plugin folder, its test-print route called over a real socket, and the
// receipts file read back.
#include <catch2/catch.hpp>

#include <algorithm>

#include "config/schema.hpp"
#include "node/node.hpp"
#include "support/http_client.hpp"
#include "support/temp_dir.hpp"

namespace {

std::string node_config(int columns) {
    return std::string("node:\n"
                       "  id: printer-test\n"
                       "  role: store\n"
                       "  data_dir: data\n"
                       "  listen: 127.0.0.1:0\n"
                       "logging:\n"
                       "  level: warn\n"
                       "plugins:\n"
                       "  dirs: [") +
           TILL_TEST_PLUGIN_DIR +
           "]\n"
           "  enabled: [printer_file]\n"
           "  required: [printer_file]\n"
           "printer_file:\n"
           "  device_id: counter-1\n"
           "  columns: " +
           std::to_string(columns) + "\n";
}

std::vector<std::string> split_lines(const std::string& text) {
    std::vector<std::string> lines;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t nl = text.find('\n', start);
        if (nl == std::string::npos) nl = text.size();
        lines.push_back(text.substr(start, nl - start));
        start = nl + 1;
    }
    return lines;
}

}  // namespace

TEST_CASE("a node with printer_file prints a test page into its data folder") {
    till::test::TempDir dir("till-printer-file");
    const std::string config_path = dir.write("store.yaml", node_config(32));
    auto started = till::node::Node::start({config_path, till::config::process_env()});
    INFO((started ? std::string() : started.error().message));
    REQUIRE(started.ok());
    auto& node = *started;

    auto statuses = node->plugins();
    auto it = std::find_if(statuses.begin(), statuses.end(), [](const auto& s) { return s.id == "printer_file"; });
    REQUIRE(it != statuses.end());
    CHECK(std::string(till::plugin_host::state_name(it->state)) == "running");

    auto reply = till::test::http_request(node->port(), "POST", "/api/v1/devices/counter-1/test-print");
    INFO(reply.body);
    REQUIRE(reply.status == 200);
    auto body = till::sdk::Value::parse_json(reply.body);
    REQUIRE(body.ok());
    const auto printed = (*body)["printed_lines"].as_int(-1);
    CHECK(printed > 5);

    const std::string receipts = dir.file("data/plugins/printer_file/receipts.txt");
    auto lines = split_lines(till::test::read_file(receipts));
    CHECK(static_cast<std::int64_t>(lines.size()) == printed);
    CHECK(lines.back() == "--- cut ---");
    CHECK(std::find(lines.begin(), lines.end(), "device counter-1") != lines.end());
    for (const auto& line : lines) CHECK(line.size() <= 32);

    // A second page is appended, not overwritten.
    REQUIRE(till::test::http_request(node->port(), "POST", "/api/v1/devices/counter-1/test-print").status == 200);
    CHECK(static_cast<std::int64_t>(split_lines(till::test::read_file(receipts)).size()) == 2 * printed);

    auto unknown = till::test::http_request(node->port(), "POST", "/api/v1/devices/no-such-printer/test-print");
    CHECK(unknown.status == 404);
    CHECK(unknown.content_type.find("application/problem+json") == 0);

    node->stop();
}
