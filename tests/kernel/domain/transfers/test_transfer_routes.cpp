// The transfer routes over real HTTP with real logins: the draft's life
// (create, list, get, patch, cancel), stale versions, bad input naming the
// JSON path, who may do what, and which node may act.
#include <catch2/catch.hpp>

#include "transfers_world.hpp"

using namespace till;
using till::test::Backend;
using till::test::TransferNode;

namespace {

std::string version_body(std::int64_t v) { return R"({"expected_version":)" + std::to_string(v) + "}"; }

constexpr const char* kNewTransfer =
    R"({"from_store":"store-a","to_store":"store-b","note":"for the weekend",)"
    R"("lines":[{"sku":"CUPS","qty_milli":10000},{"sku":"MILK","qty_milli":2000}]})";

}  // namespace

TEST_CASE("a manager drafts, lists, reads, changes and cancels a transfer over HTTP", "[transfers][routes]") {
    TransferNode n("store-a", sdk::NodeRole::store, GENERATE(Backend::sqlite, Backend::postgresql));
    const std::string carol = n.login("carol", "3333");

    auto made = n.call("POST", "/api/v1/transfers", kNewTransfer, carol);
    INFO(made.body);
    REQUIRE(made.status == 201);
    const sdk::Value t = TransferNode::json(made);
    const std::string id = t["id"].as_string();
    CHECK(made.headers["location"] == "/api/v1/transfers/" + id);
    CHECK(t["status"].as_string() == "draft");
    CHECK(t["version"].as_int() == 1);
    CHECK(t["fields"]["status"].as_string() == "draft");
    CHECK(t["fields"]["from_store"].as_string() == "store-a");
    CHECK(t["fields"]["note"].as_string() == "for the weekend");
    CHECK(t["fields"]["lines"].size() == 2);
    CHECK(t["fields"]["lines"].as_list()[0]["received_qty_milli"].is_null());
    CHECK_FALSE(t["fields"]["created_by"].as_string().empty());  // carol's user id
    CHECK_THAT(t["hlc"]["status"].as_string(), Catch::Matches("[0-9]{15}-[0-9]{5}-store-a"));
    CHECK(n.f.last_event("transfer.changed").payload == t);
    CHECK(n.audit_count("transfer.created") == 1);

    auto got = n.call("GET", "/api/v1/transfers/" + id, {}, carol);
    REQUIRE(got.status == 200);
    CHECK(TransferNode::json(got) == t);
    CHECK(n.call("GET", "/api/v1/transfers/0190f5c2-7a3e-7c41-8b2d-5e8f1a2b3c4d", {}, carol).status == 404);
    CHECK(n.call("GET", "/api/v1/transfers/nope", {}, carol).status == 404);

    // A second one, later: newest first; filters by status and store.
    n.f.clock().advance_ms(1000);
    auto other = n.call("POST", "/api/v1/transfers",
                        R"({"from_store":"store-c","to_store":"store-a","lines":[{"sku":"CUPS","qty_milli":1}]})",
                        carol);
    REQUIRE(other.status == 201);
    const std::string other_id = TransferNode::json(other)["id"].as_string();
    auto listed = n.call("GET", "/api/v1/transfers", {}, carol);
    REQUIRE(listed.status == 200);
    sdk::Value page = TransferNode::json(listed);
    REQUIRE(page["items"].size() == 2);
    CHECK(page["items"].as_list()[0]["id"].as_string() == other_id);
    CHECK(page["items"].as_list()[1]["id"].as_string() == id);
    CHECK(page["total"].as_int() == 2);
    page = TransferNode::json(n.call("GET", "/api/v1/transfers?store=store-b", {}, carol));
    REQUIRE(page["items"].size() == 1);
    CHECK(page["items"].as_list()[0]["id"].as_string() == id);
    page = TransferNode::json(n.call("GET", "/api/v1/transfers?limit=1&offset=1", {}, carol));
    REQUIRE(page["items"].size() == 1);
    CHECK(page["items"].as_list()[0]["id"].as_string() == id);
    CHECK(n.call("GET", "/api/v1/transfers?status=lost", {}, carol).status == 400);
    CHECK(n.call("GET", "/api/v1/transfers?limit=0", {}, carol).status == 400);

    // Patch the draft: only changed fields get a new, later stamp.
    n.f.clock().advance_ms(2000);
    auto patched = n.call("PATCH", "/api/v1/transfers/" + id,
                          R"({"expected_version":1,"note":"for monday","lines":[{"sku":"CUPS","qty_milli":12000}]})",
                          carol);
    INFO(patched.body);
    REQUIRE(patched.status == 200);
    const sdk::Value after = TransferNode::json(patched);
    CHECK(after["version"].as_int() == 2);
    CHECK(after["fields"]["note"].as_string() == "for monday");
    CHECK(after["fields"]["lines"].size() == 1);
    CHECK(after["hlc"]["note"].as_string() > t["hlc"]["note"].as_string());
    CHECK(after["hlc"]["lines"].as_string() > t["hlc"]["lines"].as_string());
    CHECK(after["hlc"]["status"] == t["hlc"]["status"]);
    CHECK(n.audit_count("transfer.changed") == 1);

    // Stale.
    auto stale = n.call("PATCH", "/api/v1/transfers/" + id, R"({"expected_version":1,"note":"x"})", carol);
    CHECK(stale.status == 409);
    CHECK(TransferNode::json(stale)["code"].as_string() == "conflict");
    CHECK(TransferNode::json(stale)["current_version"].as_int() == 2);
    CHECK(TransferNode::error_path(stale) == "$.expected_version");
    CHECK(n.call("POST", "/api/v1/transfers/" + id + "/cancel", version_body(1), carol).status == 409);

    // Cancel; then it is no draft any more.
    auto cancelled = n.call("POST", "/api/v1/transfers/" + id + "/cancel", version_body(2), carol);
    INFO(cancelled.body);
    REQUIRE(cancelled.status == 200);
    CHECK(TransferNode::json(cancelled)["status"].as_string() == "cancelled");
    CHECK(TransferNode::json(cancelled)["fields"]["cancelled_by"] == t["fields"]["created_by"]);
    CHECK(n.audit_count("transfer.cancelled") == 1);
    auto late = n.call("PATCH", "/api/v1/transfers/" + id, R"({"expected_version":3,"note":"x"})", carol);
    CHECK(late.status == 409);
    CHECK(TransferNode::json(late)["code"].as_string() == "invalid_state");
    auto send = n.call("POST", "/api/v1/transfers/" + id + "/send", version_body(3), carol);
    CHECK(send.status == 409);
    CHECK(TransferNode::json(send)["code"].as_string() == "invalid_state");
    CHECK(n.call("GET", "/api/v1/transfers?status=cancelled", {}, carol).body.find(id) != std::string::npos);
}

TEST_CASE("bad transfer input is a 4xx problem naming the JSON path", "[transfers][routes]") {
    TransferNode n("store-a", sdk::NodeRole::store);
    const std::string carol = n.login("carol", "3333");
    const std::string lines = R"("lines":[{"sku":"CUPS","qty_milli":1000}])";

    const std::vector<std::pair<std::string, std::string>> cases = {
        {R"({"to_store":"store-b",)" + lines + "}", "$.from_store"},
        {R"({"from_store":"store a","to_store":"store-b",)" + lines + "}", "$.from_store"},
        {R"({"from_store":")" + std::string(65, 'a') + R"(","to_store":"store-a",)" + lines + "}", "$.from_store"},
        {R"({"from_store":"store-a","to_store":"",)" + lines + "}", "$.to_store"},
        {R"({"from_store":"store-a","to_store":"store-a",)" + lines + "}", "$.to_store"},
        {R"({"from_store":"store-a","to_store":"store-b"})", "$.lines"},
        {R"({"from_store":"store-a","to_store":"store-b","lines":[]})", "$.lines"},
        {R"({"from_store":"store-a","to_store":"store-b","lines":{}})", "$.lines"},
        {R"({"from_store":"store-a","to_store":"store-b","lines":[7]})", "$.lines[0]"},
        {R"({"from_store":"store-a","to_store":"store-b","lines":[{"qty_milli":1}]})", "$.lines[0].sku"},
        {R"({"from_store":"store-a","to_store":"store-b","lines":[{"sku":"CUPS","qty_milli":0}]})",
         "$.lines[0].qty_milli"},
        {R"({"from_store":"store-a","to_store":"store-b","lines":[{"sku":"CUPS","qty_milli":1.5}]})",
         "$"},  // the JSON reader refuses non-integers
        {R"({"from_store":"store-a","to_store":"store-b","lines":[{"sku":"CUPS","qty_milli":"1"}]})",
         "$.lines[0].qty_milli"},
        {R"({"from_store":"store-a","to_store":"store-b","lines":[{"sku":"CUPS","qty_milli":1,"price":2}]})",
         "$.lines[0].price"},
        {R"({"from_store":"store-a","to_store":"store-b","lines":[{"sku":"CUPS","qty_milli":1},)"
         R"({"sku":"MILK","qty_milli":1},{"sku":"CUPS","qty_milli":1}]})",
         "$.lines[2].sku"},
        {R"({"from_store":"store-a","to_store":"store-b","lines":[{"sku":"CUPS","qty_milli":1},)"
         R"({"sku":"MILK","qty_milli":1},{"sku":"LATTE-BEANS","qty_milli":1},{"sku":"TEA","qty_milli":1}]})",
         "$.lines[3].sku"},
        {R"({"from_store":"store-a","to_store":"store-b","note":5,)" + lines + "}", "$.note"},
        {R"({"from_store":"store-a","to_store":"store-b","colour":"red",)" + lines + "}", "$.colour"},
    };
    for (const auto& [body, path] : cases) {
        auto r = n.call("POST", "/api/v1/transfers", body, carol);
        INFO(body << " -> " << r.body);
        CHECK(r.status >= 400);
        CHECK(r.status < 500);
        CHECK(TransferNode::error_path(r) == path);
    }
    std::string many = R"({"from_store":"store-a","to_store":"store-b","lines":[)";
    for (int i = 0; i < 501; ++i) many += std::string(i ? "," : "") + R"({"sku":"CUPS","qty_milli":1})";
    auto r = n.call("POST", "/api/v1/transfers", many + "]}", carol);
    CHECK(r.status == 422);
    CHECK(TransferNode::error_path(r) == "$.lines");
    CHECK(n.call("POST", "/api/v1/transfers", "not json", carol).status == 400);
    CHECK(n.call("POST", "/api/v1/transfers", "[1]", carol).status == 400);
    CHECK(n.count("SELECT COUNT(*) FROM transfers") == 0);

    // Patch and the steps too.
    const std::string id = n.draft("store-a", "store-b").id;
    const std::vector<std::pair<std::string, std::string>> patches = {
        {R"({"note":"x"})", "$.expected_version"},
        {R"({"expected_version":0})", "$.expected_version"},
        {R"({"expected_version":"1"})", "$.expected_version"},
        {R"({"expected_version":1,"to_store":"store-a"})", "$.to_store"},
        {R"({"expected_version":1,"to_store":"a/b"})", "$.to_store"},
        {R"({"expected_version":1,"lines":[{"sku":"NOPE","qty_milli":1}]})", "$.lines[0].sku"},
        {R"({"expected_version":1,"lines":[{"sku":"CUPS","qty_milli":-5}]})", "$.lines[0].qty_milli"},
        {R"({"expected_version":1,"status":"sent"})", "$.status"},
    };
    for (const auto& [body, path] : patches) {
        auto p = n.call("PATCH", "/api/v1/transfers/" + id, body, carol);
        INFO(body << " -> " << p.body);
        CHECK(p.status >= 400);
        CHECK(p.status < 500);
        CHECK(TransferNode::error_path(p) == path);
    }
    auto s = n.call("POST", "/api/v1/transfers/" + id + "/send", "{}", carol);
    CHECK(s.status == 422);
    CHECK(TransferNode::error_path(s) == "$.expected_version");
    CHECK(n.get(id).version == 1);
}

TEST_CASE("transfer routes need a login and transfer.manage or transfer.move", "[transfers][routes]") {
    TransferNode n("store-a", sdk::NodeRole::store);
    const std::string alice = n.login("alice", "1111");  // cashier: neither
    const std::string bob = n.login("bob", "2222");      // supervisor: transfer.move
    const std::string carol = n.login("carol", "3333");  // manager: both

    CHECK(n.call("GET", "/api/v1/transfers").status == 401);
    CHECK(n.call("POST", "/api/v1/transfers", kNewTransfer).status == 401);
    CHECK(n.call("GET", "/api/v1/transfers", {}, "not-a-token").status == 401);

    auto refused = n.call("POST", "/api/v1/transfers", kNewTransfer, alice);
    CHECK(refused.status == 403);
    CHECK(TransferNode::json(refused)["code"].as_string() == "override_required");
    CHECK(n.call("POST", "/api/v1/transfers", kNewTransfer, bob).status == 403);
    auto made = n.call("POST", "/api/v1/transfers", kNewTransfer, carol);
    REQUIRE(made.status == 201);
    const std::string id = TransferNode::json(made)["id"].as_string();

    // Reading needs only a login.
    CHECK(n.call("GET", "/api/v1/transfers/" + id, {}, alice).status == 200);
    auto patch = n.call("PATCH", "/api/v1/transfers/" + id, R"({"expected_version":1,"note":"x"})", alice);
    CHECK(patch.status == 403);
    CHECK(TransferNode::json(patch)["code"].as_string() == "override_required");
    CHECK(n.call("POST", "/api/v1/transfers/" + id + "/cancel", version_body(1), bob).status == 403);
    auto send = n.call("POST", "/api/v1/transfers/" + id + "/send", version_body(1), alice);
    CHECK(send.status == 403);
    CHECK(TransferNode::json(send)["code"].as_string() == "override_required");
    n.stock("CUPS", 50000);
    n.stock("MILK", 50000);
    auto sent = n.call("POST", "/api/v1/transfers/" + id + "/send", version_body(1), bob);
    INFO(sent.body);
    CHECK(sent.status == 200);

    // A store drafts only transfers it takes part in.
    auto elsewhere = n.call("POST", "/api/v1/transfers",
                            R"({"from_store":"store-b","to_store":"store-c","lines":[{"sku":"CUPS","qty_milli":1}]})",
                            carol);
    CHECK(elsewhere.status == 403);
    CHECK_THAT(TransferNode::json(elsewhere)["detail"].as_string(),
               Catch::Contains("may only handle transfers that leave from or arrive at it"));
}

TEST_CASE("HQ drafts transfers between any stores but sends and receives none", "[transfers][routes]") {
    TransferNode hq("hq", sdk::NodeRole::hq);
    const std::string carol = hq.login("carol", "3333");
    auto made = hq.call("POST", "/api/v1/transfers",
                        R"({"from_store":"store-b","to_store":"store-c","lines":[{"sku":"CUPS","qty_milli":1}]})",
                        carol);
    REQUIRE(made.status == 201);
    const std::string id = TransferNode::json(made)["id"].as_string();
    // HQ's list shows every store's transfers by default.
    CHECK(TransferNode::json(hq.call("GET", "/api/v1/transfers", {}, carol))["items"].size() == 1);
    auto send = hq.call("POST", "/api/v1/transfers/" + id + "/send", version_body(1), carol);
    CHECK(send.status == 409);
    CHECK(TransferNode::json(send)["code"].as_string() == "invalid_state");
    CHECK_THAT(TransferNode::json(send)["detail"].as_string(),
               Catch::Contains("transfer " + id + " leaves store-b: send it there"));
    CHECK(hq.get(id).status == "draft");
}
