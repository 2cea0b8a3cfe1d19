// Sync between real processes on loopback: one HQ tilld on a real
// PostgreSQL (hq_sync), stores on SQLite (sync_http). The guarantees of
// docs/sync.md: every sale at HQ exactly once whatever the network and the
// processes do, master data from HQ within seconds, customers and stock
// converging, tokens that stop sync but never sales.
#include <catch2/catch.hpp>

#include <Poco/DeflatingStream.h>

#include <sstream>

#include "sync_world.hpp"

using namespace till::test;
using namespace till::test::sync;

namespace {

std::string gzip(const std::string& text) {
    std::ostringstream out;
    Poco::DeflatingOutputStream deflate(out, Poco::DeflatingStreamBuf::STREAM_GZIP);
    deflate << text;
    deflate.close();
    return out.str();
}

/// POST a body to hq_sync's batch endpoint as `store` would.
HttpReply post_batch(int sync_port, const std::string& token, const std::string& body, bool gzipped) {
    std::map<std::string, std::string> headers{{"Content-Type", "application/json"},
                                               {"Authorization", "Bearer " + token}};
    if (gzipped) headers["Content-Encoding"] = "gzip";
    return http_call(sync_port, "POST", "/sync/v1/batches", gzipped ? gzip(body) : body, headers);
}

/// The events HQ holds from `store`, as a JSON list of wire events, in sequence order.
Value held_events(Hq& hq, const std::string& store) {
    const std::string text = hq.sql(
        "SELECT coalesce(json_agg(json_build_object('event_id', event_id, 'node_id', store_id, 'sequence', sequence, "
        "'hlc', hlc, 'type', type, 'entity_id', entity_id, 'created_utc_ms', created_utc_ms, 'payload', "
        "payload::json) ORDER BY sequence), '[]'::json) FROM sync_hq_events WHERE store_id = '" +
        store + "'");
    auto parsed = Value::parse_json(text);
    REQUIRE(parsed.ok());
    return *parsed;
}

std::string batch_json(const std::string& store, const Value& events, int schema = 1) {
    Value batch = Value::map();
    batch.set("schema", static_cast<long long>(schema));
    batch.set("batch_id", "replay-" + std::to_string(events.size()) + "-" + std::to_string(schema));
    batch.set("node_id", store);
    batch.set("events", events);
    return batch.to_json();
}

}  // namespace

TEST_CASE("a store's sales reach HQ exactly once and HQ's prices reach the store", "[process][sync]") {
    Hq hq;
    hq.start();
    seed_hq_catalog(hq);
    Store store(hq, "store-a", hq.issue_token("store-a"));
    store.start();

    // Master data arrives without anyone asking (notification → pull).
    REQUIRE(wait_until([&] { return store_price(store, "MUG") == 1250; }, 30000));
    // ... and the store may not edit it.
    auto refused = call(store.port, store.admin, "POST", "/api/v1/catalog/departments",
                        json(R"({"code":"local","name":"Local"})"));
    INFO(refused.body);
    CHECK(refused.status == 403);

    store.prepare_cashier();
    std::int64_t total = 0;
    for (int i = 0; i < 5; ++i) total += store.sell(i % 2 ? "MUG" : "PEN");
    REQUIRE(store.drained(30000));
    CHECK(hq.sales_count("store-a") == 5);
    CHECK(hq.sales_total("store-a") == total);

    // A price changed at HQ reaches the online store within seconds.
    auto mug = call(hq.port, hq.admin, "GET", "/api/v1/catalog/items/MUG");
    REQUIRE(mug.status == 200);
    auto product = call(hq.port, hq.admin, "GET", "/api/v1/catalog/products/" + mug.json["product_id"].as_string());
    INFO(product.body);
    REQUIRE(product.status == 200);
    Value changed = product.json;
    changed.set("price_minor", 1400LL);
    Value body = Value::map();
    for (const char* key : {"sku", "name", "department_id", "tax_class_id", "price_minor"}) body.set(key, changed[key]);
    auto put = call(hq.port, hq.admin, "PUT", "/api/v1/catalog/products/" + mug.json["product_id"].as_string(), body);
    INFO(put.body);
    REQUIRE(put.status == 200);
    CHECK(wait_until([&] { return store_price(store, "MUG") == 1400; }, 10000));

    auto status = store.status();
    INFO(status.to_json());
    CHECK(status["state"].as_string() == "connected");
    CHECK(status["queue_depth"].as_int() == 0);
    store.stop();
    hq.stop();
}

TEST_CASE("a store offline for a thousand sales catches up, HQ's totals equal the Z report", "[process][sync]") {
    Hq hq;
    hq.start();
    seed_hq_catalog(hq);
    Store store(hq, "store-b", hq.issue_token("store-b"));
    store.start();
    REQUIRE(wait_until([&] { return store_price(store, "PEN") == 199; }, 30000));
    store.prepare_cashier();
    hq.stop();

    std::int64_t total = 0;
    constexpr int kSales = 1000;
    for (int i = 0; i < kSales; ++i) total += store.sell(i % 3 ? "PEN" : "MUG");
    const Value z = store.close_register();
    auto status = store.status();
    INFO(status.to_json());
    CHECK(status["state"].as_string() != "connected");
    CHECK(status["queue_depth"].as_int() > kSales);

    hq.start();
    REQUIRE(store.drained(300000));
    CHECK(hq.sales_count("store-b") == kSales);
    CHECK(hq.sales_total("store-b") == total);
    INFO(z.to_json());
    const Value& report = z["report"].is_null() ? z : z["report"];
    CHECK(report["sales"]["total_minor"].as_int() == total);
    CHECK(hq.sql_int("SELECT count(*) FROM sync_hq_z_reports WHERE store_id = 'store-b'") == 1);
    store.stop();
    hq.stop();
}

TEST_CASE("SIGKILL of a store mid-push and of HQ mid-apply loses and doubles nothing", "[process][sync]") {
    Hq hq;
    hq.start();
    seed_hq_catalog(hq);
    Store store(hq, "store-c", hq.issue_token("store-c"));
    store.start();
    REQUIRE(wait_until([&] { return store_price(store, "PEN") == 199; }, 30000));
    store.prepare_cashier();
    hq.stop();
    std::int64_t total = 0;
    constexpr int kSales = 300;
    for (int i = 0; i < kSales; ++i) total += store.sell("PEN");

    // Small batches so the queue drains over many requests; kill the store
    // while it pushes, then HQ while it applies.
    store.stop();
    store.batch_max_events = 7;
    store.write_config();
    store.start();
    hq.start();
    REQUIRE(wait_until([&] { return hq.events_held("store-c") > 20; }, 60000));
    store.kill();
    store.start();
    REQUIRE(wait_until([&] { return hq.events_held("store-c") > 200; }, 120000));
    hq.kill();
    hq.start();
    REQUIRE(store.drained(300000));
    CHECK(hq.sales_count("store-c") == kSales);
    CHECK(hq.sales_total("store-c") == total);
    // Every sequence number once, none missing.
    const std::int64_t events = hq.events_held("store-c");
    CHECK(hq.sql_int("SELECT count(DISTINCT sequence) FROM sync_hq_events WHERE store_id = 'store-c'") == events);
    CHECK(hq.sql_int("SELECT max(sequence) FROM sync_hq_events WHERE store_id = 'store-c'") == events);
    store.stop();
    hq.stop();
}

TEST_CASE("replayed, reordered and malformed batches change nothing at HQ", "[process][sync]") {
    Hq hq;
    hq.start();
    seed_hq_catalog(hq);
    const std::string token = hq.issue_token("store-d");
    Store store(hq, "store-d", token);
    store.start();
    REQUIRE(wait_until([&] { return store_price(store, "MUG") == 1250; }, 30000));
    store.prepare_cashier();
    std::int64_t total = 0;
    for (int i = 0; i < 6; ++i) total += store.sell("MUG");
    REQUIRE(store.drained(30000));
    store.stop();

    const std::int64_t held = hq.events_held("store-d");
    const Value events = held_events(hq, "store-d");
    REQUIRE(static_cast<std::int64_t>(events.size()) == held);

    // The same batch again, then reversed, then split in two: acknowledged, not re-applied.
    auto again = post_batch(hq.sync_port, token, batch_json("store-d", events), true);
    INFO(again.body);
    CHECK(again.status == 200);
    Value reversed = Value::list();
    for (auto it = events.as_list().rbegin(); it != events.as_list().rend(); ++it) reversed.push_back(*it);
    auto backwards = post_batch(hq.sync_port, token, batch_json("store-d", reversed), false);
    INFO(backwards.body);
    CHECK(backwards.status == 200);
    auto parsed = Value::parse_json(backwards.body);
    REQUIRE(parsed.ok());
    CHECK(static_cast<std::int64_t>((*parsed)["acknowledged_event_ids"].size()) == held);
    CHECK((*parsed)["applied"].as_int() == 0);

    // Malformed: each is a 4xx with a reason and applies nothing.
    const std::string good = batch_json("store-d", events);
    const std::string zipped = gzip(good);
    std::map<std::string, std::string> headers{{"Content-Type", "application/json"},
                                               {"Authorization", "Bearer " + token},
                                               {"Content-Encoding", "gzip"}};
    auto truncated = http_call(hq.sync_port, "POST", "/sync/v1/batches", zipped.substr(0, zipped.size() / 2), headers);
    INFO(truncated.body);
    CHECK(truncated.status == 400);
    std::string corrupt = zipped;
    corrupt[corrupt.size() / 2] = static_cast<char>(corrupt[corrupt.size() / 2] ^ 0x5a);
    auto flipped = http_call(hq.sync_port, "POST", "/sync/v1/batches", corrupt, headers);
    INFO(flipped.body);
    CHECK(flipped.status == 400);
    auto cut_json = post_batch(hq.sync_port, token, good.substr(0, good.size() - 10), false);
    INFO(cut_json.body);
    CHECK(cut_json.status == 400);
    auto wrong_schema = post_batch(hq.sync_port, token, batch_json("store-d", events, 99), false);
    INFO(wrong_schema.body);
    CHECK(wrong_schema.status == 422);
    CHECK(wrong_schema.body.find("schema") != std::string::npos);
    Value bad_event = events.as_list()[0];
    bad_event.set("sequence", "seven");
    Value bad_list = Value::list();
    bad_list.push_back(bad_event);
    auto invalid = post_batch(hq.sync_port, token, batch_json("store-d", bad_list), false);
    INFO(invalid.body);
    CHECK(invalid.status == 422);
    CHECK(invalid.body.find("events[0].sequence") != std::string::npos);
    auto wrong_store = post_batch(hq.sync_port, token, batch_json("store-x", events), false);
    CHECK(wrong_store.status == 403);
    auto no_token = post_batch(hq.sync_port, "not-a-token", good, false);
    CHECK(no_token.status == 401);
    // Oversized: more than 64 MiB unpacked (a gzip bomb is refused while unpacking).
    const std::string huge(70 * 1024 * 1024, ' ');
    auto oversized = post_batch(hq.sync_port, token, "{\"schema\":1" + huge + "}", true);
    INFO(oversized.body);
    CHECK(oversized.status == 413);

    CHECK(hq.events_held("store-d") == held);
    CHECK(hq.sales_count("store-d") == 6);
    CHECK(hq.sales_total("store-d") == total);
    hq.stop();
}

TEST_CASE("a store whose clock is hours off keeps its events in its own order", "[process][sync]") {
    Hq hq;
    hq.start();
    seed_hq_catalog(hq);
    Store late(hq, "store-late", hq.issue_token("store-late"));
    late.env = {"TILL_CLOCK_OFFSET_MS=-10800000"};  // three hours behind
    late.start();
    REQUIRE(wait_until([&] { return store_price(late, "PEN") == 199; }, 30000));
    late.prepare_cashier();
    for (int i = 0; i < 5; ++i) late.sell("PEN");
    REQUIRE(late.drained(30000));
    // Sequence order and HLC order agree at HQ, though HQ's clock is 3 h ahead.
    const std::string in_order = hq.sql(
        "SELECT string_agg(event_id, ',' ORDER BY sequence) = string_agg(event_id, ',' ORDER BY hlc) "
        "FROM sync_hq_events WHERE store_id = 'store-late'");
    CHECK(in_order == "t");
    CHECK(hq.sales_count("store-late") == 5);
    late.stop();
    hq.stop();
}

TEST_CASE("a customer edited at two offline stores converges everywhere, stock from both sums at HQ",
          "[process][sync]") {
    Hq hq;
    hq.start();
    seed_hq_catalog(hq);
    auto created = call(hq.port, hq.admin, "POST", "/api/v1/customers",
                        json(R"({"display_name":"Ada Lovelace","email":"ada@example.com","phone":"+44 20 1234"})"));
    INFO(created.body);
    REQUIRE(created.status == 201);
    const std::string customer_id = created.json["id"].as_string();
    REQUIRE_FALSE(customer_id.empty());

    Store a(hq, "store-e", hq.issue_token("store-e"));
    Store b(hq, "store-f", hq.issue_token("store-f"));
    a.start();
    b.start();
    auto known = [&](Store& s) {
        return call(s.port, s.admin, "GET", "/api/v1/customers/" + customer_id).status == 200;
    };
    REQUIRE(wait_until([&] { return known(a) && known(b) && store_price(a, "MUG") > 0 && store_price(b, "MUG") > 0; },
                       30000));
    hq.stop();

    // Offline: store e changes the phone, store f the email (and later the note).
    auto patch = [&](Store& s, const std::string& fields) {
        auto current = call(s.port, s.admin, "GET", "/api/v1/customers/" + customer_id);
        REQUIRE(current.status == 200);
        auto r = call(s.port, s.admin, "PATCH", "/api/v1/customers/" + customer_id,
                      json(R"({"expected_version":)" + std::to_string(current.json["version"].as_int()) + "," +
                           fields + "}"));
        INFO(r.body);
        REQUIRE(r.status == 200);
    };
    patch(a, R"("phone":"+44 20 9999")");
    patch(b, R"("email":"ada@analytical.example")");
    patch(b, R"("note":"prefers email")");
    // Stock counted at both stores while offline.
    for (Store* s : {&a, &b})
        for (int i = 0; i < 3; ++i) {
            auto adj = call(s->port, s->admin, "POST", "/api/v1/inventory/adjustments",
                            json(R"({"sku":"MUG","qty_delta_milli":5000,"reason_code":"received"})"));
            INFO(adj.body);
            REQUIRE(adj.status == 201);
        }

    hq.start();
    REQUIRE(a.drained(60000));
    REQUIRE(b.drained(60000));
    auto fields_at = [&](int port, const std::string& token) {
        auto r = call(port, token, "GET", "/api/v1/customers/" + customer_id);
        REQUIRE(r.status == 200);
        return r.json;
    };
    auto same = [&] {
        const Value h = fields_at(hq.port, hq.admin);
        const Value x = fields_at(a.port, a.admin);
        const Value y = fields_at(b.port, b.admin);
        for (const char* key : {"phone", "email", "note", "display_name"})
            if (!(h[key] == x[key]) || !(h[key] == y[key])) return false;
        return h["phone"].as_string() == "+44 20 9999" && h["email"].as_string() == "ada@analytical.example" &&
               h["note"].as_string() == "prefers email";
    };
    CHECK(wait_until(same, 30000));
    // Stock: 3 × 5 at each store, summed per store and chain-wide at HQ.
    CHECK(hq.sql_int("SELECT on_hand_milli FROM sync_hq_stock_levels WHERE store_id = 'store-e' AND sku = 'MUG'") ==
          15000);
    CHECK(hq.sql_int("SELECT sum(on_hand_milli) FROM sync_hq_stock_levels WHERE sku = 'MUG'") == 30000);
    a.stop();
    b.stop();
    hq.stop();
}

TEST_CASE("a revoked token stops sync but not sales, a new token resumes where it stopped", "[process][sync]") {
    Hq hq;
    hq.start();
    seed_hq_catalog(hq);
    Store store(hq, "store-g", hq.issue_token("store-g"));
    store.start();
    REQUIRE(wait_until([&] { return store_price(store, "PEN") == 199; }, 30000));
    store.prepare_cashier();
    std::int64_t total = store.sell("PEN");
    REQUIRE(store.drained(30000));

    hq.revoke_token("store-g");
    for (int i = 0; i < 4; ++i) total += store.sell("PEN");  // sales go on
    CHECK(wait_until([&] { return store.status()["state"].as_string() == "unauthorised"; }, 30000));
    CHECK(store.status()["queue_depth"].as_int() > 0);
    CHECK(hq.sales_count("store-g") == 1);

    store.stop();
    store.token = hq.issue_token("store-g");
    store.write_config();
    store.start();
    REQUIRE(store.drained(30000));
    CHECK(hq.sales_count("store-g") == 5);
    CHECK(hq.sales_total("store-g") == total);
    store.stop();
    hq.stop();
}

TEST_CASE("two HQ nodes on one PostgreSQL: a price changed at one reaches a store connected to the other",
          "[process][sync]") {
    Hq hq1;
    hq1.start();
    const std::string mug_id = seed_hq_catalog(hq1);
    Hq hq2(hq1);
    hq2.start();
    Store store(hq2, "store-h", hq1.issue_token("store-h"));
    store.admin_data_dir = hq1.dir.file("data");
    store.pull_interval_ms = 600000;  // only a notification can bring the change in time
    store.write_config();
    store.start();
    REQUIRE(wait_until([&] { return store_price(store, "MUG") == 1250; }, 30000));
    store.prepare_cashier();
    const std::int64_t total = store.sell("MUG");
    REQUIRE(store.drained(30000));
    CHECK(hq1.sales_total("store-h") == total);  // pushed through hq-2, held in the shared database

    // The change commits on hq-1; hq-2 hears it through LISTEN/NOTIFY and tells its stores.
    Value body = json(R"({"sku":"MUG","name":"Mug","price_minor":1500})");
    auto product = call(hq1.port, hq1.admin, "GET", "/api/v1/catalog/products/" + mug_id);
    REQUIRE(product.status == 200);
    body.set("department_id", product.json["department_id"]);
    body.set("tax_class_id", product.json["tax_class_id"]);
    auto put = call(hq1.port, hq1.admin, "PUT", "/api/v1/catalog/products/" + mug_id, body);
    INFO(put.body);
    REQUIRE(put.status == 200);
    // Well before the store's own 10-minute pull: the notification came through hq-2.
    CHECK(wait_until([&] { return store_price(store, "MUG") == 1500; }, 10000));
    store.stop();
    hq2.stop();
    hq1.stop();
}

TEST_CASE("a store with no link syncs through signed file bundles on a stick, exactly once", "[process][sync]") {
    TempDir stick_dir("till-sync-stick");
    const std::string stick = stick_dir.path();
    Hq hq;
    hq.write_config(stick);
    hq.start();
    seed_hq_catalog(hq);
    Store store(hq, "store-i", hq.issue_token("store-i"));
    store.stick = stick;
    store.write_config();
    store.start();
    // HQ's master bundle (written for the store once its first events bundle
    // tells HQ where it stands) brings users and the catalog.
    REQUIRE(wait_until([&] { return store_price(store, "MUG") == 1250; }, 60000));
    store.prepare_cashier();
    std::int64_t total = 0;
    for (int i = 0; i < 5; ++i) total += store.sell("PEN");
    REQUIRE(store.drained(60000));
    CHECK(hq.sales_count("store-i") == 5);
    CHECK(hq.sales_total("store-i") == total);
    // The same bundle imported again (a copy left on the stick) changes nothing.
    CHECK(hq.events_held("store-i") == hq.sql_int("SELECT count(DISTINCT event_id) FROM sync_hq_events WHERE store_id = 'store-i'"));
    store.stop();
    hq.stop();
}


namespace {

std::string transfer_status(const Reply& r) {
    if (r.status != 200) return "";
    return r.json["fields"]["status"].as_string();
}

std::string with_version(const Reply& r, const std::string& more = {}) {
    return R"({"expected_version":)" + std::to_string(r.json["version"].as_int()) + more + "}";
}

std::int64_t on_hand(Store& s, const std::string& sku) {
    auto r = call(s.port, s.admin, "GET", "/api/v1/inventory/" + sku);
    INFO(r.body);
    REQUIRE(r.status == 200);
    return r.json["on_hand_milli"].as_int();
}

}  // namespace

TEST_CASE("a transfer made at HQ is sent by one store and received by the other, its stock moving once",
          "[process][sync][transfers]") {
    Hq hq;
    hq.start();
    seed_hq_catalog(hq);
    Store from(hq, "store-t1", hq.issue_token("store-t1"));
    Store to(hq, "store-t2", hq.issue_token("store-t2"));
    Store other(hq, "store-t3", hq.issue_token("store-t3"));
    from.start();
    to.start();
    other.start();
    REQUIRE(wait_until([&] { return store_price(from, "MUG") > 0 && store_price(to, "MUG") > 0; }, 30000));

    auto created = call(hq.port, hq.admin, "POST", "/api/v1/transfers",
                        json(R"({"from_store":"store-t1","to_store":"store-t2","note":"weekend market",)"
                             R"("lines":[{"sku":"MUG","qty_milli":5000},{"sku":"PEN","qty_milli":20000}]})"));
    INFO(created.body);
    REQUIRE(created.status == 201);
    const std::string id = created.json["id"].as_string();
    const std::string path = "/api/v1/transfers/" + id;
    // HQ holds no stock of its own: it cannot send the goods.
    auto at_hq = call(hq.port, hq.admin, "POST", path + "/send", json(with_version(created)));
    CHECK(at_hq.status == 409);
    CHECK(at_hq.body.find("store-t1") != std::string::npos);

    // Both stores get it; a third store does not keep it.
    REQUIRE(wait_until([&] {
        return transfer_status(call(from.port, from.admin, "GET", path)) == "draft" &&
               transfer_status(call(to.port, to.admin, "GET", path)) == "draft";
    }, 30000));
    CHECK(call(other.port, other.admin, "GET", path).status == 404);

    // The destination cannot send it; the source does, and its stock goes down.
    auto shown = call(from.port, from.admin, "GET", path);
    auto wrong = call(to.port, to.admin, "POST", path + "/send", json(with_version(shown)));
    CHECK(wrong.status == 409);
    auto sent = call(from.port, from.admin, "POST", path + "/send", json(with_version(shown)));
    INFO(sent.body);
    REQUIRE(sent.status == 200);
    CHECK(on_hand(from, "MUG") == -5000);
    CHECK(on_hand(from, "PEN") == -20000);
    // Sent twice (a retried tap): refused, stock moved once.
    CHECK(call(from.port, from.admin, "POST", path + "/send", json(with_version(sent))).status == 409);
    CHECK(on_hand(from, "MUG") == -5000);

    // The destination sees it sent and receives one mug short.
    REQUIRE(wait_until([&] { return transfer_status(call(to.port, to.admin, "GET", path)) == "sent"; }, 30000));
    auto arriving = call(to.port, to.admin, "GET", path);
    auto received = call(to.port, to.admin, "POST", path + "/receive",
                         json(with_version(arriving, R"(,"lines":[{"sku":"MUG","received_qty_milli":4000},)"
                                                     R"({"sku":"PEN","received_qty_milli":20000}])")));
    INFO(received.body);
    REQUIRE(received.status == 200);
    CHECK(on_hand(to, "MUG") == 4000);
    CHECK(on_hand(to, "PEN") == 20000);

    // HQ and the source converge on "received"; HQ's stock per store moved once each way.
    REQUIRE(wait_until([&] {
        return transfer_status(call(hq.port, hq.admin, "GET", path)) == "received" &&
               transfer_status(call(from.port, from.admin, "GET", path)) == "received";
    }, 30000));
    REQUIRE(from.drained(30000));
    REQUIRE(to.drained(30000));
    CHECK(hq.sql_int("SELECT on_hand_milli FROM sync_hq_stock_levels WHERE store_id = 'store-t1' AND sku = 'MUG'") ==
          -5000);
    CHECK(hq.sql_int("SELECT on_hand_milli FROM sync_hq_stock_levels WHERE store_id = 'store-t2' AND sku = 'MUG'") ==
          4000);
    CHECK(hq.sql_int("SELECT count(*) FROM sync_hq_stock_movements WHERE reference = 'transfer:" + id + "'") == 4);
    // The source's stock did not move again when "received" came back to it.
    CHECK(on_hand(from, "MUG") == -5000);
    other.stop();
    to.stop();
    from.stop();
    hq.stop();
}

TEST_CASE("a transfer cancelled at HQ while the offline source sends it ends sent: the goods left",
          "[process][sync][transfers]") {
    Hq hq;
    hq.start();
    seed_hq_catalog(hq);
    Store from(hq, "store-t4", hq.issue_token("store-t4"));
    from.start();
    REQUIRE(wait_until([&] { return store_price(from, "MUG") > 0; }, 30000));
    auto created = call(hq.port, hq.admin, "POST", "/api/v1/transfers",
                        json(R"({"from_store":"store-t4","to_store":"store-t5","lines":[{"sku":"MUG","qty_milli":1000}]})"));
    INFO(created.body);
    REQUIRE(created.status == 201);
    const std::string path = "/api/v1/transfers/" + created.json["id"].as_string();
    REQUIRE(wait_until([&] { return transfer_status(call(from.port, from.admin, "GET", path)) == "draft"; }, 30000));
    hq.stop();

    // Offline: the store sends it. HQ, with the store's change not yet in, cancels it.
    auto shown = call(from.port, from.admin, "GET", path);
    auto sent = call(from.port, from.admin, "POST", path + "/send", json(with_version(shown)));
    INFO(sent.body);
    REQUIRE(sent.status == 200);
    from.stop();
    hq.start();
    auto cancelled = call(hq.port, hq.admin, "POST", path + "/cancel", json(with_version(created)));
    INFO(cancelled.body);
    CHECK(cancelled.status == 200);
    from.start();

    REQUIRE(wait_until([&] {
        return transfer_status(call(hq.port, hq.admin, "GET", path)) == "sent" &&
               transfer_status(call(from.port, from.admin, "GET", path)) == "sent";
    }, 30000));
    CHECK(on_hand(from, "MUG") == -1000);
    from.stop();
    hq.stop();
}

TEST_CASE("a role changed at HQ changes what a cashier may do at the store, without a restart",
          "[process][sync][roles]") {
    Hq hq;
    hq.start();
    seed_hq_catalog(hq);
    Store store(hq, "store-r1", hq.issue_token("store-r1"));
    store.start();
    REQUIRE(wait_until([&] { return store_price(store, "MUG") > 0; }, 30000));
    store.prepare_cashier();
    const auto adjust = [&] {
        return call(store.port, store.cashier, "POST", "/api/v1/inventory/adjustments",
                    json(R"({"sku":"MUG","qty_delta_milli":3000,"reason_code":"count"})"));
    };
    auto before = adjust();
    CHECK(before.status == 403);

    // The store may not change roles itself: they are HQ's.
    auto local = call(store.port, store.admin, "PUT", "/api/v1/roles/cashier",
                      json(R"({"actions":["order.create","inventory.adjust"]})"));
    CHECK(local.status == 403);

    auto cashier = call(hq.port, hq.admin, "GET", "/api/v1/roles/cashier");
    INFO(cashier.body);
    REQUIRE(cashier.status == 200);
    Value actions = cashier.json["actions"];
    actions.push_back(Value("inventory.adjust"));
    Value body = Value::map();
    body.set("actions", actions);
    auto changed = call(hq.port, hq.admin, "PUT", "/api/v1/roles/cashier", body);
    INFO(changed.body);
    REQUIRE(changed.status == 200);

    REQUIRE(wait_until([&] { return adjust().status == 201; }, 30000));
    auto role_at_store = call(store.port, store.admin, "GET", "/api/v1/roles/cashier");
    INFO(role_at_store.body);
    CHECK(role_at_store.json["source"].as_string() == "stored");
    store.stop();
    hq.stop();
}
