// A whole node on each storage backend: kernel migrations, the node identity
// and a plugin's per-dialect migration, on SQLite and on a real PostgreSQL.
#include <catch2/catch.hpp>

#include "fixture_dir.hpp"
#include "node/node.hpp"
#include "support/http_client.hpp"
#include "support/test_postgres.hpp"
#include "till/sdk/value.hpp"

namespace {

using till::sdk::Value;

Value node_description(const till::node::Node& node) {
    auto reply = till::test::http_get(node.port(), "/api/v1/node");
    REQUIRE(reply.status == 200);
    auto parsed = Value::parse_json(reply.body);
    REQUIRE(parsed);
    return *parsed;
}

}  // namespace

TEST_CASE("an HQ node runs on PostgreSQL with a plugin's migration", "[node][postgresql]") {
    auto url = till::test::TestPostgres::shared().create_database("node_hq");
    till::test::FixtureNodeDir dir;
    dir.add_fixture("fixture_good");
    auto config = dir.dir().write("hq.yaml",
                                  "node:\n  id: hq-test\n  role: hq\n  data_dir: data\n  listen: 127.0.0.1:0\n"
                                  "storage:\n  url: ${env:TEST_HQ_URL}\n"
                                  "logging:\n  level: warn\n  file: node.log\n"
                                  "plugins:\n  dirs: [plugins]\n  required: [fixture_good]\n");
    till::node::NodeOptions options;
    options.config_path = config;
    options.env = [url](const std::string& name) -> std::optional<std::string> {
        if (name == "TEST_HQ_URL") return url;
        return std::nullopt;
    };
    for (int start = 0; start < 2; ++start) {  // the second start finds everything applied
        auto node = till::node::Node::start(options);
        INFO((node ? std::string() : node.error().message));
        REQUIRE(node);
        Value d = node_description(**node);
        CHECK(d["role"].as_string() == "hq");
        CHECK(d["storage"]["dialect"].as_string() == "postgresql");
        CHECK(d["storage"]["url"].as_string().find("postgresql://postgres@127.0.0.1:") == 0);
        CHECK(d["plugins"].as_list()[0]["state"].as_string() == "running");
    }
    auto dbname = url.substr(url.rfind('/') + 1);
    CHECK(till::test::TestPostgres::shared().psql(dbname, "SELECT count(*) FROM fixture_good_items") == "2\n");
    CHECK(till::test::TestPostgres::shared().psql(
              dbname, "SELECT value FROM node_identity WHERE key = 'role'") == "hq\n");

    // HQ nodes share their database: a second HQ node id starts on it; a
    // store never opens HQ's database.
    auto second_hq = dir.dir().write("hq2.yaml",
                                     "node:\n  id: hq-second\n  role: hq\n  data_dir: data2\n  listen: 127.0.0.1:0\n"
                                     "storage:\n  url: ${env:TEST_HQ_URL}\nlogging:\n  level: warn\n  file: node.log\n");
    options.config_path = second_hq;
    {
        auto node = till::node::Node::start(options);
        INFO((node ? std::string() : node.error().message));
        CHECK(node);
    }
    auto store = dir.dir().write("store.yaml",
                                 "node:\n  id: store-x\n  role: store\n  data_dir: data3\n  listen: 127.0.0.1:0\n"
                                 "storage:\n  url: ${env:TEST_HQ_URL}\nlogging:\n  level: warn\n  file: node.log\n");
    options.config_path = store;
    auto refused = till::node::Node::start(options);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == "identity_mismatch");
    CHECK(refused.error().message == "this database belongs to HQ, but the config says node.role store");
}

TEST_CASE("a data dir that belongs to another node is refused", "[node]") {
    till::test::FixtureNodeDir dir;
    till::node::NodeOptions options;
    options.config_path = dir.write_config();
    {
        auto first = till::node::Node::start(options);
        REQUIRE(first);
    }
    options.config_path = dir.dir().write("other.yaml",
                                          "node:\n  id: someone-else\n  role: store\n  data_dir: data\n"
                                          "  listen: 127.0.0.1:0\nlogging:\n  level: warn\n  file: node.log\n");
    auto second = till::node::Node::start(options);
    REQUIRE_FALSE(second);
    CHECK(second.error().code == "identity_mismatch");
    CHECK(second.error().message ==
          "this database belongs to node \"test-node\", but the config says node.id \"someone-else\"");
}

TEST_CASE("an unreachable PostgreSQL fails the start with a clear error and no password", "[node][postgresql]") {
    till::test::FixtureNodeDir dir;
    int port = till::test::free_loopback_port();
    auto config = dir.dir().write("hq.yaml",
                                  "node:\n  id: hq-test\n  role: hq\n  data_dir: data\n  listen: 127.0.0.1:0\n"
                                  "storage:\n  url: postgresql://till:hunter2@127.0.0.1:" +
                                      std::to_string(port) + "/till\nlogging:\n  file: node.log\n");
    till::node::NodeOptions options;
    options.config_path = config;
    auto node = till::node::Node::start(options);
    REQUIRE_FALSE(node);
    INFO(node.error().message);
    CHECK(node.error().message.find("127.0.0.1:" + std::to_string(port)) != std::string::npos);
    CHECK(node.error().message.find("hunter2") == std::string::npos);
}
