// Sending and receiving move stock through the real inventory ledger in the
// same transaction as the status, the audit entry and the replication
// append: a failing ledger or replication leaves nothing. Only the source
// sends, only the destination receives (SQLite and PostgreSQL).
#include <catch2/catch.hpp>

#include "domain/inventory/inventory_service.hpp"
#include "transfers_world.hpp"

using namespace till;
using till::test::Backend;
using till::test::TransferNode;
namespace change_type = till::domain::change_type;

namespace {

std::string version_body(std::int64_t v) { return R"({"expected_version":)" + std::to_string(v) + "}"; }

}  // namespace

TEST_CASE("sending at the source moves its stock out and pushes the transfer at once", "[transfers][stock]") {
    TransferNode a("store-a", sdk::NodeRole::store, GENERATE(Backend::sqlite, Backend::postgresql));
    a.stock("CUPS", 50000);
    a.stock("MILK", 5000);
    const std::string bob = a.login("bob", "2222");
    const auto t = a.draft("store-a", "store-b");

    a.f.clock().advance_ms(5000);
    auto sent = a.call("POST", "/api/v1/transfers/" + t.id + "/send", version_body(1), bob);
    INFO(sent.body);
    REQUIRE(sent.status == 200);
    const sdk::Value v = TransferNode::json(sent);
    CHECK(v["status"].as_string() == "sent");
    CHECK(v["version"].as_int() == 2);
    CHECK_FALSE(v["fields"]["sent_by"].as_string().empty());
    CHECK(v["fields"]["sent_by"] != v["fields"]["created_by"]);  // bob, not carol
    CHECK(v["fields"]["sent_utc_ms"].as_int() == a.f.clock().now_utc_ms());
    CHECK(v["hlc"]["status"].as_string() > v["hlc"]["note"].as_string());

    CHECK(a.on_hand("CUPS") == 40000);
    CHECK(a.on_hand("MILK") == 3000);
    auto moves = a.inventory->movements("CUPS", "", 10);
    REQUIRE(moves.ok());
    REQUIRE_FALSE(moves->items.empty());
    const auto& m = moves->items.front();
    CHECK(m.qty_delta_milli == -10000);
    CHECK(m.kind == "transfer");
    CHECK(m.reason_code == "transfer");
    CHECK(m.reference == "transfer:" + t.id);
    CHECK(m.user_id == v["fields"]["sent_by"].as_string());
    CHECK(a.audit_count("transfer.sent") == 1);
    CHECK(a.f.last_event("transfer.changed").payload == v);

    auto changes = a.recorded.committed(change_type::transfer);
    REQUIRE(changes.size() == 2);
    CHECK_FALSE(changes[0].high_priority);  // the draft
    CHECK(changes[1].high_priority);         // sent
    CHECK(changes[1].entity_id == t.id);
    CHECK(changes[1].payload["fields"]["status"].as_string() == "sent");
    CHECK(a.recorded.high_priority_wakeups() >= 1);

    // Once sent: neither again, nor a change, nor a cancel.
    auto again = a.call("POST", "/api/v1/transfers/" + t.id + "/send", version_body(2), bob);
    CHECK(again.status == 409);
    CHECK(TransferNode::json(again)["code"].as_string() == "invalid_state");
    const std::string carol = a.login("carol", "3333");
    auto cancel = a.call("POST", "/api/v1/transfers/" + t.id + "/cancel", version_body(2), carol);
    CHECK(cancel.status == 409);
    CHECK_THAT(TransferNode::json(cancel)["detail"].as_string(), Catch::Contains("the goods have left"));
    CHECK(a.on_hand("CUPS") == 40000);
    auto stale = a.call("POST", "/api/v1/transfers/" + t.id + "/send", version_body(1), bob);
    CHECK(stale.status == 409);
    CHECK(TransferNode::json(stale)["code"].as_string() == "conflict");
}

TEST_CASE("a failing ledger or replication leaves the transfer unsent and the stock untouched",
          "[transfers][stock]") {
    TransferNode a("store-a", sdk::NodeRole::store, GENERATE(Backend::sqlite, Backend::postgresql));
    a.stock("CUPS", 50000);
    a.stock("MILK", 5000);
    const auto t = a.draft("store-a", "store-b");
    const auto movements_before = a.count("SELECT COUNT(*) FROM stock_movements");

    for (const std::string& failing : {std::string(change_type::stock_movement), std::string(change_type::transfer)}) {
        INFO("failing: " << failing);
        a.recorded.fail_appends(failing);
        auto sent = a.transfers->send(TransferNode::manager(), t.id, 1);
        REQUIRE_FALSE(sent.ok());
        a.recorded.succeed_appends();
        CHECK(a.get(t.id).status == "draft");
        CHECK(a.get(t.id).version == 1);
        CHECK(a.on_hand("CUPS") == 50000);
        CHECK(a.on_hand("MILK") == 5000);
        CHECK(a.count("SELECT COUNT(*) FROM stock_movements") == movements_before);
        CHECK(a.audit_count("transfer.sent") == 0);
        CHECK(a.recorded.committed(change_type::transfer).size() == 1);  // the draft only
    }
    // And it still goes through afterwards.
    REQUIRE(a.transfers->send(TransferNode::manager(), t.id, 1).ok());
    CHECK(a.on_hand("CUPS") == 40000);
}

TEST_CASE("the destination receives with a shortfall, and the wrong node is told where to act", "[transfers][stock]") {
    const Backend backend = GENERATE(Backend::sqlite, Backend::postgresql);
    test::CafePolicy policy;
    TransferNode a("store-a", sdk::NodeRole::store, backend);
    TransferNode b("store-b", sdk::NodeRole::store, backend);
    domain::ReplicaApplier& at_b = b.transfers->replica_applier(policy);
    a.stock("CUPS", 50000);
    a.stock("MILK", 5000);
    b.stock("CUPS", 1000);
    const auto t = a.draft("store-a", "store-b");
    const std::string bob_b = b.login("bob", "2222");
    const std::string bob_a = a.login("bob", "2222");

    // The draft reaches store-b; it cannot send it there.
    REQUIRE(test::apply_batch(b.f.db(), at_b, a.recorded.committed(change_type::transfer)).ok());
    auto wrong = b.call("POST", "/api/v1/transfers/" + t.id + "/send", version_body(1), bob_b);
    CHECK(wrong.status == 409);
    CHECK(TransferNode::json(wrong)["code"].as_string() == "invalid_state");
    CHECK_THAT(TransferNode::json(wrong)["detail"].as_string(),
               Catch::Contains("transfer " + t.id + " leaves store-a: send it there"));
    // Nor receive a draft.
    auto early = b.call("POST", "/api/v1/transfers/" + t.id + "/receive", version_body(1), bob_b);
    CHECK(early.status == 409);

    REQUIRE(a.call("POST", "/api/v1/transfers/" + t.id + "/send", version_body(1), bob_a).status == 200);
    auto at_a_wrong = a.call("POST", "/api/v1/transfers/" + t.id + "/receive", version_body(2), bob_a);
    CHECK(at_a_wrong.status == 409);
    CHECK_THAT(TransferNode::json(at_a_wrong)["detail"].as_string(),
               Catch::Contains("arrives at store-b: receive it there"));

    // The sent record reaches store-b (stock there untouched by the applier).
    REQUIRE(test::apply_batch(b.f.db(), at_b, {a.recorded.committed(change_type::transfer).back()}).ok());
    const auto at_b_sent = b.get(t.id);
    CHECK(at_b_sent.status == "sent");
    CHECK(b.on_hand("CUPS") == 1000);
    CHECK(b.recorded.committed(change_type::transfer).empty());

    // Bad receive lines name the path.
    const std::string path = "/api/v1/transfers/" + t.id + "/receive";
    const std::string v = std::to_string(at_b_sent.version);
    auto bad = b.call("POST", path, R"({"expected_version":)" + v + R"(,"lines":[{"sku":"TEA","received_qty_milli":1}]})",
                      bob_b);
    CHECK(bad.status == 422);
    CHECK(TransferNode::error_path(bad) == "$.lines[0].sku");
    bad = b.call("POST", path,
                 R"({"expected_version":)" + v + R"(,"lines":[{"sku":"CUPS","received_qty_milli":-1}]})", bob_b);
    CHECK(TransferNode::error_path(bad) == "$.lines[0].received_qty_milli");

    // 8 of 10 cups arrive, no milk at all; the milk line moves nothing.
    auto got = b.call("POST", path,
                      R"({"expected_version":)" + v +
                          R"(,"lines":[{"sku":"CUPS","received_qty_milli":8000},{"sku":"MILK","received_qty_milli":0}]})",
                      bob_b);
    INFO(got.body);
    REQUIRE(got.status == 200);
    const sdk::Value r = TransferNode::json(got);
    CHECK(r["status"].as_string() == "received");
    CHECK_FALSE(r["fields"]["received_by"].as_string().empty());
    const auto& lines = r["fields"]["lines"].as_list();
    REQUIRE(lines.size() == 2);
    CHECK(lines[0]["qty_milli"].as_int() == 10000);
    CHECK(lines[0]["received_qty_milli"].as_int() == 8000);
    CHECK(lines[1]["received_qty_milli"].as_int() == 0);
    CHECK(b.on_hand("CUPS") == 9000);
    CHECK(b.count("SELECT COUNT(*) FROM stock_movements WHERE reference = ?", {"transfer:" + t.id}) == 1);
    CHECK(b.count("SELECT COUNT(*) FROM audit_log WHERE action = ? AND details LIKE ?",
                  {"transfer.received", "%difference_milli%"}) == 1);
    auto pushed = b.recorded.committed(change_type::transfer);
    REQUIRE(pushed.size() == 1);
    CHECK(pushed[0].high_priority);

    // Back at store-a the received record merges in; its stock stays as sent.
    REQUIRE(test::apply_batch(a.f.db(), a.transfers->replica_applier(policy), pushed).ok());
    CHECK(a.get(t.id).status == "received");
    CHECK(a.get(t.id).lines[0].received_qty_milli == 8000);
    CHECK(a.on_hand("CUPS") == 40000);
}

TEST_CASE("receiving without lines takes everything as sent", "[transfers][stock]") {
    test::CafePolicy policy;
    TransferNode a("store-a", sdk::NodeRole::store);
    TransferNode b("store-b", sdk::NodeRole::store);
    a.stock("CUPS", 50000);
    a.stock("MILK", 5000);
    const auto t = a.draft("store-a", "store-b");
    REQUIRE(a.transfers->send(TransferNode::manager(), t.id, 1).ok());
    REQUIRE(test::apply_batch(b.f.db(), b.transfers->replica_applier(policy), a.recorded.committed(change_type::transfer))
                .ok());
    auto got = b.transfers->receive(TransferNode::manager(), t.id, b.get(t.id).version, std::nullopt);
    REQUIRE(got.ok());
    CHECK(b.on_hand("CUPS") == 10000);
    CHECK(b.on_hand("MILK") == 2000);
    CHECK(got->lines[1].received_qty_milli == 2000);
}
