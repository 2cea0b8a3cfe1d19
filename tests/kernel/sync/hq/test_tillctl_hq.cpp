// `tillctl hq token issue|revoke|list` and `tillctl hq stores` run as
// processes on an HQ node's database (found through its config): the issued
// token authenticates at the hub, a revoked one does not; usage and config
// errors exit 2; a store config is refused.
#include "hq_rig.hpp"

#include "support/child_process.hpp"

using namespace till;
using namespace till::sync::hq;
using namespace till::sync::hq::testing;

namespace {

std::string tillctl() { return std::string(TILL_BIN_DIR) + "/tillctl"; }

std::string hq_config(const test::TempDir& dir, const std::string& storage_url) {
    std::string yaml = "node:\n  id: hq-1\n  role: hq\n  data_dir: data\n  listen: 127.0.0.1:0\n";
    if (!storage_url.empty()) yaml += "storage:\n  url: \"" + storage_url + "\"\n";
    return dir.write("hq.yaml", yaml);
}

std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

}  // namespace

TEST_CASE("tillctl hq: issue, list, stores, revoke on the HQ database", "[sync][hq][tillctl]") {
    for_each_backend("hq_tillctl", [](Backend backend, const std::string& hint) {
        Place place = fresh_place(backend, hint);
        const std::string config = hq_config(*place.dir, place.settings.url);
        // The node's data dir, as the config resolves it.
        place.settings.data_dir = place.dir->file("data");

        std::string out;
        int code = test::run_command({tillctl(), "hq", "token", "issue", "store-007", "--config", config}, out);
        INFO(out);
        REQUIRE(code == 0);
        const std::string token = first_line(out);
        REQUIRE(token.size() == 64);

        {
            HqRig rig(place);
            auto who = rig.hub->authenticate_store(token);
            REQUIRE(who.ok());
            CHECK(*who == "store-007");
            REQUIRE(rig.hub->apply_batch("store-007", batch_of("store-007", mixed_events("store-007", 3))).status ==
                    sdk::TransportStatus::ok);
        }

        code = test::run_command({tillctl(), "hq", "token", "list", "--config", config}, out);
        CHECK(code == 0);
        CHECK(out.find("store-007") != std::string::npos);
        CHECK(out.find(token) == std::string::npos);
        CHECK(out.find(sha256_hex(token).substr(0, 12)) != std::string::npos);

        code = test::run_command({tillctl(), "hq", "stores", "--config", config, "--json"}, out);
        REQUIRE(code == 0);
        auto stores = sdk::Value::parse_json(first_line(out));
        INFO(out);
        REQUIRE(stores.ok());
        REQUIRE(stores->size() == 1);
        CHECK(stores->as_list()[0]["store_id"].as_string() == "store-007");
        CHECK(stores->as_list()[0]["acknowledged_sequence"].as_int() == 3);
        CHECK(stores->as_list()[0]["live_tokens"].as_int() == 1);

        code = test::run_command({tillctl(), "hq", "stores", "--config", config}, out);
        CHECK(code == 0);
        CHECK(out.find("ACK SEQ") != std::string::npos);

        code = test::run_command({tillctl(), "hq", "token", "revoke", "store-007", "--config", config}, out);
        CHECK(code == 0);
        CHECK(out.find("revoked 1 sync token of store store-007") != std::string::npos);
        code = test::run_command({tillctl(), "hq", "token", "revoke", "store-007", "--config", config}, out);
        CHECK(code == 1);
        CHECK(out.find("no live sync token") != std::string::npos);

        HqRig rig(place);
        CHECK(rig.hub->authenticate_store(token).error().code == "unauthorized");
    });
}

TEST_CASE("tillctl hq: usage, bad store ids, bad and store configs", "[sync][hq][tillctl]") {
    test::TempDir dir("till-hq-ctl");
    const std::string config = hq_config(dir, "");
    std::string out;
    CHECK(test::run_command({tillctl(), "hq"}, out) == 2);
    CHECK(test::run_command({tillctl(), "hq", "token", "issue", "store-1"}, out) == 2);  // no --config
    CHECK(test::run_command({tillctl(), "hq", "token", "mint", "s", "--config", config}, out) == 2);
    CHECK(test::run_command({tillctl(), "hq", "token", "issue", "bad store", "--config", config}, out) == 2);
    CHECK(out.find("is not valid") != std::string::npos);

    const std::string store_config =
        dir.write("store.yaml", "node:\n  id: store-1\n  role: store\n  data_dir: sdata\n  listen: 127.0.0.1:0\n");
    CHECK(test::run_command({tillctl(), "hq", "token", "issue", "s1", "--config", store_config}, out) == 2);
    CHECK(out.find("sync tokens are issued at HQ") != std::string::npos);

    const std::string broken = dir.write("broken.yaml", "node:\n  id: [\n");
    CHECK(test::run_command({tillctl(), "hq", "stores", "--config", broken}, out) == 2);
}
