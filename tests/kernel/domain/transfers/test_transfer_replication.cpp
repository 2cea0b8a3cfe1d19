// Transfers and sync: every change appends the conflict record (fields and
// HLC stamps) in its transaction, and the record round-trips; the applier
// validates what arrives, merges it with the local record through the
// shipped Lua policy (scripts/cafe: status only moves forward), never moves
// stock nor appends, and on a store keeps only the transfers it takes part
// in (SQLite and PostgreSQL).
#include <catch2/catch.hpp>

#include "domain/customers/customer_record.hpp"
#include "domain/transfers/transfer_model.hpp"
#include "transfers_world.hpp"

using namespace till;
using namespace till::domain::transfers;
using till::domain::ReplicatedChange;
using till::test::Backend;
using till::test::TransferNode;
namespace change_type = till::domain::change_type;

namespace {

std::string fields_and_stamps(const Transfer& t) {
    const sdk::Value r = transfer_record(t);
    return r["fields"].to_json() + " " + r["hlc"].to_json();
}

ReplicatedChange change_of(const Transfer& t) {
    return ReplicatedChange{std::string(change_type::transfer), t.id, transfer_record(t), is_high_priority(t.status)};
}

}  // namespace

TEST_CASE("transfer changes append the conflict record, which round-trips", "[transfers][sync]") {
    TransferNode a("store-a", sdk::NodeRole::store);
    const auto t = a.draft("store-a", "store-b");
    a.f.clock().advance_ms(1000);
    TransferPatch p;
    p.expected_version = 1;
    p.note = "fragile";
    REQUIRE(a.transfers->update(TransferNode::manager(), t.id, p).ok());
    // A patch that changes nothing appends nothing.
    TransferPatch same;
    same.expected_version = 2;
    same.note = "fragile";
    REQUIRE(a.transfers->update(TransferNode::manager(), t.id, same).ok());

    auto changes = a.recorded.committed(change_type::transfer);
    REQUIRE(changes.size() == 2);
    const sdk::Value& first = changes[0].payload;
    CHECK(first["id"].as_string() == t.id);
    CHECK(first["version"].as_int() == 1);
    CHECK(first["created_utc_ms"].as_int() == t.created_utc_ms);
    for (const auto& field : transfer_fields()) {
        INFO(field);
        CHECK(first["fields"].find(field) != nullptr);
        CHECK_THAT(first["hlc"][field].as_string(), Catch::Matches("[0-9]{15}-[0-9]{5}-store-a"));
    }
    CHECK(first.find("status") == nullptr);  // the sync payload is the record shape only
    const sdk::Value& second = changes[1].payload;
    CHECK(second["fields"]["note"].as_string() == "fragile");
    CHECK(second["hlc"]["note"].as_string() > first["hlc"]["note"].as_string());
    CHECK(second["hlc"]["lines"] == first["hlc"]["lines"]);
    for (const auto& c : changes) CHECK_FALSE(c.high_priority);

    auto back = transfer_from_record(second);
    REQUIRE(back.ok());
    CHECK(fields_and_stamps(*back) == fields_and_stamps(a.get(t.id)));
    CHECK(transfer_record(*back) == second);
}

namespace {

/// Two nodes with the same transfer: store-a drafted it, HQ got it.
struct Pair {
    test::CafePolicy policy;
    TransferNode a;
    TransferNode hq;
    domain::ReplicaApplier& at_a;
    domain::ReplicaApplier& at_hq;
    Transfer t;

    explicit Pair(Backend backend)
        : a("store-a", sdk::NodeRole::store, backend),
          hq("hq", sdk::NodeRole::hq, backend),
          at_a(a.transfers->replica_applier(policy)),
          at_hq(hq.transfers->replica_applier(policy)) {
        a.stock("CUPS", 50000);
        a.stock("MILK", 5000);
        t = a.draft("store-a", "store-b");
        REQUIRE(test::apply_batch(hq.f.db(), at_hq, a.recorded.committed(change_type::transfer)).ok());
        REQUIRE(hq.get(t.id).status == "draft");
    }
};

}  // namespace

TEST_CASE("a local draft merged with a remote sent gives sent, and the applier moves no stock", "[transfers][sync]") {
    Pair p(GENERATE(Backend::sqlite, Backend::postgresql));
    // HQ edits the note while store-a sends (offline from each other).
    p.hq.f.clock().advance_ms(60'000);
    TransferPatch note;
    note.expected_version = p.hq.get(p.t.id).version;
    note.note = "hq note";
    REQUIRE(p.hq.transfers->update(TransferNode::manager(), p.t.id, note).ok());
    p.a.f.clock().advance_ms(1000);
    REQUIRE(p.a.transfers->send(TransferNode::manager(), p.t.id, 1).ok());

    auto from_a = p.a.recorded.committed(change_type::transfer).back();
    auto from_hq = p.hq.recorded.committed(change_type::transfer).back();
    auto stored = test::apply_batch(p.hq.f.db(), p.at_hq, {from_a});
    REQUIRE(stored.ok());
    REQUIRE(test::apply_batch(p.a.f.db(), p.at_a, {from_hq}).ok());
    const Transfer at_hq = p.hq.get(p.t.id);
    const Transfer at_a = p.a.get(p.t.id);
    CHECK(at_hq.status == "sent");
    CHECK(at_a.status == "sent");
    CHECK(at_hq.note == "hq note");
    CHECK(fields_and_stamps(at_hq) == fields_and_stamps(at_a));
    CHECK(stored->at(0)["fields"]["status"].as_string() == "sent");
    CHECK(p.hq.f.last_event("transfer.changed").payload["status"].as_string() == "sent");
    // Stock moved once, at store-a by the send; the merges moved nothing.
    CHECK(p.a.on_hand("CUPS") == 40000);
    CHECK(p.a.count("SELECT COUNT(*) FROM stock_movements WHERE reference = ?", {"transfer:" + p.t.id}) == 2);
    CHECK(p.hq.count("SELECT COUNT(*) FROM stock_movements") == 0);
    // Appliers append nothing.
    CHECK(p.hq.recorded.committed(change_type::transfer).size() == 1);  // HQ's own note edit only
    CHECK(p.a.recorded.committed(change_type::transfer).size() == 2);   // draft + sent

    // The same record again changes nothing (no new version).
    const auto version = p.hq.get(p.t.id).version;
    REQUIRE(test::apply_batch(p.hq.f.db(), p.at_hq, {from_a}).ok());
    CHECK(p.hq.get(p.t.id).version == version);

    // The merge keeps the winning side's stamp for the status.
    auto after = p.hq.get(p.t.id);
    CHECK(domain::customers::format_stamp(after.field_stamps.at("status")) ==
          from_a.payload["hlc"]["status"].as_string());
}

TEST_CASE("sent beats cancelled whichever side holds which", "[transfers][sync]") {
    for (bool cancelled_locally : {true, false}) {
        INFO("cancelled locally: " << cancelled_locally);
        Pair p(Backend::sqlite);
        // HQ cancels (later in wall time), store-a sends.
        p.a.f.clock().advance_ms(1000);
        REQUIRE(p.a.transfers->send(TransferNode::manager(), p.t.id, 1).ok());
        p.hq.f.clock().advance_ms(60'000);
        REQUIRE(p.hq.transfers->cancel(TransferNode::manager(), p.t.id, p.hq.get(p.t.id).version).ok());
        const auto sent = p.a.recorded.committed(change_type::transfer).back();
        const auto cancelled = p.hq.recorded.committed(change_type::transfer).back();
        CHECK(cancelled.high_priority);
        if (cancelled_locally) {
            REQUIRE(test::apply_batch(p.hq.f.db(), p.at_hq, {sent}).ok());
        } else {
            REQUIRE(test::apply_batch(p.a.f.db(), p.at_a, {cancelled}).ok());
        }
        const Transfer merged = cancelled_locally ? p.hq.get(p.t.id) : p.a.get(p.t.id);
        CHECK(merged.status == "sent");
        CHECK(merged.sent_by == "user-carol");
        CHECK(merged.cancelled_by == "user-carol");  // the field merges; the status does not go back
    }
}

TEST_CASE("an edit of the draft made at HQ after the store sent it does not rewrite what left",
          "[transfers][sync]") {
    for (bool at_hq_first : {true, false}) {
        INFO("merged at HQ first: " << at_hq_first);
        Pair p(Backend::sqlite);
        const auto lines_sent = transfer_record(p.a.get(p.t.id))["fields"]["lines"].to_json();
        // store-a sends; later (in wall time) HQ, not knowing, halves the lines and redirects it.
        p.a.f.clock().advance_ms(1000);
        REQUIRE(p.a.transfers->send(TransferNode::manager(), p.t.id, 1).ok());
        p.hq.f.clock().advance_ms(60'000);
        TransferPatch edit;
        edit.expected_version = p.hq.get(p.t.id).version;
        edit.note = "changed at HQ";
        std::vector<TransferLine> fewer = p.hq.get(p.t.id).lines;
        for (auto& line : fewer) line.qty_milli /= 2;
        edit.lines = fewer;
        edit.to_store = "store-z";
        REQUIRE(p.hq.transfers->update(TransferNode::manager(), p.t.id, edit).ok());

        const auto sent = p.a.recorded.committed(change_type::transfer).back();
        const auto edited = p.hq.recorded.committed(change_type::transfer).back();
        if (at_hq_first) {
            REQUIRE(test::apply_batch(p.hq.f.db(), p.at_hq, {sent}).ok());
            REQUIRE(test::apply_batch(p.a.f.db(), p.at_a, {change_of(p.hq.get(p.t.id))}).ok());
        } else {
            REQUIRE(test::apply_batch(p.a.f.db(), p.at_a, {edited}).ok());
            REQUIRE(test::apply_batch(p.hq.f.db(), p.at_hq, {sent}).ok());
        }
        for (const Transfer& t : {p.hq.get(p.t.id), p.a.get(p.t.id)}) {
            CHECK(t.status == "sent");
            CHECK(transfer_record(t)["fields"]["lines"].to_json() == lines_sent);
            CHECK(t.to_store == p.t.to_store);
            CHECK(t.note == "changed at HQ");  // a field the shipment does not fix still merges
        }
        CHECK(fields_and_stamps(p.hq.get(p.t.id)) == fields_and_stamps(p.a.get(p.t.id)));
    }
}

TEST_CASE("a store keeps only the transfers it takes part in, HQ keeps all", "[transfers][sync]") {
    test::CafePolicy policy;
    TransferNode hq("hq", sdk::NodeRole::hq);
    TransferNode a("store-a", sdk::NodeRole::store);
    TransferNode c("store-c", sdk::NodeRole::store);
    const auto t = hq.draft("store-b", "store-c");
    const auto change = change_of(t);

    auto at_a = test::apply_batch(a.f.db(), a.transfers->replica_applier(policy), {change});
    REQUIRE(at_a.ok());
    CHECK(at_a->at(0) == change.payload);  // handed back as it came
    CHECK(a.count("SELECT COUNT(*) FROM transfers") == 0);
    CHECK(a.f.last_event("transfer.changed").payload.is_null());

    REQUIRE(test::apply_batch(c.f.db(), c.transfers->replica_applier(policy), {change}).ok());
    CHECK(c.get(t.id).to_store == "store-c");
    CHECK(fields_and_stamps(c.get(t.id)) == fields_and_stamps(t));

    TransferNode hq2("hq", sdk::NodeRole::hq);
    REQUIRE(test::apply_batch(hq2.f.db(), hq2.transfers->replica_applier(policy), {change}).ok());
    CHECK(hq2.count("SELECT COUNT(*) FROM transfers") == 1);
}

TEST_CASE("the transfer applier refuses what is not a transfer record, naming the path", "[transfers][sync]") {
    test::CafePolicy policy;
    TransferNode b("store-b", sdk::NodeRole::store);
    domain::ReplicaApplier& at_b = b.transfers->replica_applier(policy);
    TransferNode a("store-a", sdk::NodeRole::store);
    const auto good = change_of(a.draft("store-a", "store-b"));

    const auto refused = [&](const std::function<void(sdk::Value&)>& spoil, const std::string& path) {
        ReplicatedChange bad = good;
        spoil(bad.payload);
        auto r = test::apply_batch(b.f.db(), at_b, {bad});
        INFO(bad.payload.to_json());
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().code == "invalid_argument");
        CHECK_THAT(r.error().message, Catch::Contains(path));
    };
    const auto with_line = [](const char* key, sdk::Value v) {
        return [key, v](sdk::Value& p) {
            sdk::Value fields = p["fields"];
            sdk::Value lines = fields["lines"];
            lines.mutable_list()[0].set(key, v);
            fields.set("lines", lines);
            p.set("fields", fields);
        };
    };
    const auto with_field = [](const char* key, sdk::Value v) {
        return [key, v](sdk::Value& p) {
            sdk::Value fields = p["fields"];
            fields.set(key, v);
            p.set("fields", fields);
        };
    };
    refused(with_line("qty_milli", sdk::Value(0)), "$.fields.lines[0].qty_milli");
    refused(with_line("received_qty_milli", sdk::Value(-1)), "$.fields.lines[0].received_qty_milli");
    refused(with_line("sku", sdk::Value("")), "$.fields.lines[0].sku");
    refused(with_field("status", sdk::Value("lost")), "$.fields.status");
    refused(with_field("to_store", sdk::Value("store-a")), "$.fields.to_store");
    refused(with_field("from_store", sdk::Value("a b")), "$.fields.from_store");
    refused(with_field("lines", sdk::Value::list()), "$.fields.lines");
    refused([](sdk::Value& p) { p.set("hlc", sdk::Value(sdk::Value::Map{{"status", sdk::Value("yesterday")}})); },
            "$.hlc.status");
    refused([](sdk::Value& p) { p.set("id", "t-1"); }, "$.id");
    CHECK(b.count("SELECT COUNT(*) FROM transfers") == 0);
    REQUIRE(test::apply_batch(b.f.db(), at_b, {good}).ok());
    CHECK(b.count("SELECT COUNT(*) FROM transfers") == 1);
}
