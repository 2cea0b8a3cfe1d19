// `tillctl audit verify --config FILE` run as a process on a node's SQLite
// database: OK on an intact chain, the broken entry and exit 1 on a
// tampered one, exit 2 on a bad config.
#include <catch2/catch.hpp>

#include <fstream>

#include "audit_test_support.hpp"
#include "storage/database.hpp"
#include "support/child_process.hpp"
#include "support/temp_dir.hpp"

using namespace till;

namespace {

std::string tillctl() { return std::string(TILL_BIN_DIR) + "/tillctl"; }

/// A node's data dir with an audit log of `n` entries in its SQLite database.
void make_node_database(const std::string& data_dir, int n) {
    storage::StorageSettings settings;
    settings.data_dir = data_dir;
    auto db = storage::Database::open(settings);
    REQUIRE(db.ok());
    // AuditTrail uses only storage and clock; the rest comes from a scratch fixture.
    test::DomainFixture scratch;
    domain::DomainContext ctx{**db,           scratch.bus(),   scratch.clock(), scratch.registry(),
                              scratch.ctx().logger, scratch.ctx().node, scratch.sales(), scratch.auth(),
                              scratch.ctx().ids,    scratch.ctx().replication};
    domain::audit::AuditTrail audit(ctx);
    REQUIRE(audit.start().ok());
    for (int i = 0; i < n; ++i)
        REQUIRE((*db)
                    ->transaction([&](sdk::SqlExecutor& tx) {
                        return audit.append(tx, {"user-" + std::to_string(i), "order.void", "order:" + std::to_string(i),
                                                 "customer left", "", "T1", {}});
                    })
                    .ok());
}

}  // namespace

TEST_CASE("tillctl audit verify: OK, then the tampered entry with exit 1", "[audit][tillctl]") {
    test::TempDir dir("till-audit-ctl");
    const std::string config = dir.write("node.yaml", "node:\n  id: audit-node\n  role: store\n  data_dir: data\n"
                                                      "  listen: 127.0.0.1:0\n");
    make_node_database(dir.file("data"), 4);

    std::string out;
    int code = test::run_command({tillctl(), "audit", "verify", "--config", config}, out);
    INFO(out);
    CHECK(code == 0);
    CHECK(out.find("OK: 4 audit entries") != std::string::npos);

    {
        storage::StorageSettings settings;
        settings.data_dir = dir.file("data");
        auto db = storage::Database::open(settings);
        REQUIRE(db.ok());
        REQUIRE((*db)->execute("UPDATE audit_log SET reason = 'never happened' WHERE seq = 2").ok());
    }
    code = test::run_command({tillctl(), "audit", "verify", "--config", config}, out);
    INFO(out);
    CHECK(code == 1);
    CHECK(out.find("BROKEN: entry 2") != std::string::npos);

    {
        storage::StorageSettings settings;
        settings.data_dir = dir.file("data");
        auto db = storage::Database::open(settings);
        REQUIRE(db.ok());
        REQUIRE((*db)->execute("DELETE FROM audit_log WHERE seq = 1").ok());
    }
    code = test::run_command({tillctl(), "audit", "verify", "--config", config}, out);
    CHECK(code == 1);
    CHECK(out.find("BROKEN: entry 1") != std::string::npos);
}

TEST_CASE("tillctl audit verify: usage, config errors and a missing database", "[audit][tillctl]") {
    test::TempDir dir("till-audit-ctl");
    std::string out;
    CHECK(test::run_command({tillctl(), "audit", "verify"}, out) == 2);
    CHECK(out.find("usage") != std::string::npos);
    CHECK(test::run_command({tillctl(), "audit", "verify", "--config", dir.file("missing.yaml")}, out) == 2);
    const std::string bad = dir.write("bad.yaml", "node:\n  id: x\n  role: moon\n  data_dir: data\n");
    CHECK(test::run_command({tillctl(), "audit", "verify", "--config", bad}, out) == 2);
    CHECK(out.find("bad.yaml") != std::string::npos);

    const std::string fresh = dir.write("fresh.yaml", "node:\n  id: fresh\n  role: store\n  data_dir: fresh-data\n");
    CHECK(test::run_command({tillctl(), "audit", "verify", "--config", fresh}, out) == 1);
    CHECK(out.find("no database") != std::string::npos);
    CHECK_FALSE(std::ifstream(dir.file("fresh-data/till.db")).good());
}
