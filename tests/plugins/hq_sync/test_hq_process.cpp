// hq_sync in a real tilld HQ process on a real PostgreSQL: a token issued by
// `tillctl hq token issue`, a gzip batch pushed twice (applied once), a pull,
// a notify WebSocket, and a revoked token refused.
//
// Needs the node to hand its HqHub to plugins (Host::sync_hub()): until the
// lead wires kernel/sync/hq into kernel/node, hq_sync refuses to start in
// tilld and this test fails at "hq_sync is running".
#include <catch2/catch.hpp>

#include <csignal>
#include <chrono>
#include <thread>

#include "gzip_codec.hpp"
#include "node_process.hpp"
#include "support/test_postgres.hpp"
#include "sync_rig.hpp"

namespace {

using till::sdk::Value;

std::string hq_config(const std::string& url) {
    return std::string("node:\n  id: hq-test\n  role: hq\n  data_dir: data\n  listen: 127.0.0.1:0\n"
                       "storage:\n  url: ") +
           url +
           "\n  pool_size: 4\n"
           "logging:\n  level: info\n"
           "plugins:\n  dirs: [" TILL_HQ_PLUGIN_DIR "]\n  enabled: [hq_sync]\n  required: [hq_sync]\n"
           "hq_sync:\n  listen: 127.0.0.1:0\n";
}

std::string issue_token(const till::test::TempDir& dir, const std::string& store) {
    std::string out;
    int rc = till::test::run_command(
        {till::test::bin("tillctl"), "hq", "token", "issue", store, "--config", dir.file("hq.yaml")}, out);
    INFO(out);
    REQUIRE(rc == 0);
    // stdout holds the token alone on its line; stderr the explanation.
    std::string token;
    std::size_t start = 0;
    while (start < out.size()) {
        auto nl = out.find('\n', start);
        if (nl == std::string::npos) nl = out.size();
        std::string line = out.substr(start, nl - start);
        if (line.size() >= 32 && line.find(' ') == std::string::npos) token = line;
        start = nl + 1;
    }
    REQUIRE_FALSE(token.empty());
    return token;
}

int sync_port(int node_port) {
    auto reply = till::test::http_get(node_port, "/api/v1/hq-sync/status");
    INFO(reply.body);
    REQUIRE(reply.status == 200);
    auto v = Value::parse_json(reply.body);
    REQUIRE(v.ok());
    REQUIRE((*v)["running"].as_bool());
    const std::string listen = (*v)["listen"].as_string();
    return std::stoi(listen.substr(listen.rfind(':') + 1));
}

}  // namespace

TEST_CASE("a tilld HQ with hq_sync takes a store's batch once, serves pulls and notifies") {
    till::test::TempDir dir("hq-sync-process");
    auto& pg = till::test::TestPostgres::shared();
    dir.write("hq.yaml", hq_config(pg.create_database("hq_sync_process")));
    const std::string token = issue_token(dir, "store-001");

    till::test::NodeProcess hq(dir, "hq.yaml");
    INFO(till::test::read_file(hq.log));
    REQUIRE(hq.port > 0);
    const int port = sync_port(hq.port);  // "hq_sync is running"

    const auto batch = till::test::make_batch("store-001", 1, 3);
    const std::map<std::string, std::string> headers{{"Authorization", "Bearer " + token},
                                                     {"Content-Encoding", "gzip"}};
    auto first = till::test::http_call(port, "POST", "/sync/v1/batches", till::hq_sync::gzip(batch.to_json()), headers);
    INFO(first.body);
    REQUIRE(first.status == 200);
    auto a = Value::parse_json(first.body);
    REQUIRE(a.ok());
    CHECK((*a)["applied"].as_int() == 3);
    CHECK((*a)["acknowledged_sequence"].as_int() == 3);

    auto again = till::test::http_call(port, "POST", "/sync/v1/batches", till::hq_sync::gzip(batch.to_json()), headers);
    REQUIRE(again.status == 200);
    auto b = Value::parse_json(again.body);
    REQUIRE(b.ok());
    CHECK((*b)["applied"].as_int() == 0);
    CHECK((*b)["duplicates"].as_int() == 3);

    auto pull = till::test::http_call(port, "GET", "/sync/v1/changes?since=0", "",
                                      {{"Authorization", "Bearer " + token}});
    INFO(pull.body);
    REQUIRE(pull.status == 200);
    auto page = Value::parse_json(pull.body);
    REQUIRE(page.ok());
    CHECK((*page)["schema"].as_int() == 1);
    CHECK((*page)["acknowledged_sequence"].as_int() == 3);

    till::test::NotifyClient store(port, token);
    CHECK(store.next_revision(5000) >= 0);

    std::string out;
    REQUIRE(till::test::run_command(
                {till::test::bin("tillctl"), "hq", "token", "revoke", "store-001", "--config", dir.file("hq.yaml")},
                out) == 0);
    auto refused = till::test::http_call(port, "POST", "/sync/v1/batches",
                                         till::hq_sync::gzip(till::test::make_batch("store-001", 4, 1).to_json()),
                                         headers);
    CHECK(refused.status == 401);

    hq.process->send_signal(SIGTERM);
    CHECK(hq.process->wait_exit(30000) == 0);
}
