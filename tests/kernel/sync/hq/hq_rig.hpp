// A node-like rig for the HQ hub tests: a real database (SQLite file or a
// fresh PostgreSQL database on the shared throwaway server), the change feed,
// an applier registry and the hub, plus builders for wire-format events.
#pragma once

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "storage/database.hpp"
#include "support/temp_dir.hpp"
#include "support/test_postgres.hpp"
#include "sync/applier_registry.hpp"
#include "sync/hq/change_feed.hpp"
#include "sync/hq/hq_hub.hpp"
#include "sync/hq/revision_listener.hpp"

namespace till::sync::hq::testing {

class TestClock final : public sdk::Clock {
public:
    std::int64_t now_utc_ms() const noexcept override { return now_.load(); }
    std::int64_t monotonic_ms() const noexcept override { return now_.load(); }
    void advance_ms(std::int64_t ms) noexcept { now_ += ms; }

private:
    std::atomic<std::int64_t> now_{1768471200000};
};

enum class Backend { sqlite, postgresql };
inline const char* backend_name(Backend b) { return b == Backend::sqlite ? "sqlite" : "postgresql"; }

/// Storage settings for a fresh database of `backend`.
struct Place {
    std::shared_ptr<test::TempDir> dir = std::make_shared<test::TempDir>("till-sync-hq");
    storage::StorageSettings settings;
};

inline Place fresh_place(Backend backend, const std::string& hint) {
    Place p;
    p.settings.data_dir = p.dir->path();
    if (backend == Backend::postgresql) p.settings.url = test::TestPostgres::shared().create_database(hint);
    return p;
}

struct HqRig {
    Place place;
    TestClock clock;
    std::unique_ptr<storage::Database> db;
    ApplierRegistry appliers;
    std::unique_ptr<ChangeFeed> feed;
    std::unique_ptr<HqHub> hub;

    HqRig(Place p, HqSettings settings = {}) : place(std::move(p)) {
        auto opened = storage::Database::open(place.settings);
        INFO((opened ? std::string("ok") : opened.error().message));
        REQUIRE(opened.ok());
        db = std::move(opened.value());
        feed = std::make_unique<ChangeFeed>(*db, clock);
        settings.revision_poll_ms = 20;
        std::string conninfo;
        if (!place.settings.url.empty()) {
            auto info = postgres_conninfo(place.settings.url);
            REQUIRE(info.ok());
            conninfo = *info;
        }
        hub = std::make_unique<HqHub>(HqHubParts{*db, clock, nullptr, appliers, *feed, settings, conninfo});
        auto started = hub->start();
        INFO(started.message());
        REQUIRE(started.ok());
    }
    ~HqRig() {
        if (hub) hub->stop();
    }

    /// Appends a master-data change in its own transaction; returns its revision.
    std::int64_t append_change(const std::string& type, const std::string& id, sdk::Value payload) {
        std::int64_t revision = 0;
        auto st = db->transaction([&](sdk::SqlExecutor& tx) -> sdk::Status {
            auto r = feed->append(tx, {type, id, std::move(payload), false});
            if (!r) return r.status();
            revision = *r;
            return {};
        });
        INFO(st.message());
        REQUIRE(st.ok());
        return revision;
    }

    std::int64_t count(const std::string& table, const std::string& where = "") {
        auto r = db->query("SELECT COUNT(*) FROM " + table + (where.empty() ? "" : " WHERE " + where));
        REQUIRE(r.ok());
        return r->rows.at(0).at(0).as_int();
    }

    /// All rows of a query as one JSON text, to compare table states.
    std::string dump(const std::string& sql) {
        auto r = db->query(sql);
        INFO(sql << ": " << (r ? std::string("ok") : r.error().message));
        REQUIRE(r.ok());
        sdk::Value rows = sdk::Value::list();
        for (const auto& row : r->rows) rows.push_back(sdk::Value(sdk::Value::List(row.begin(), row.end())));
        return rows.to_json();
    }

    /// Every projection table, in a stable order.
    std::string projections() {
        return dump("SELECT event_id, store_id, sequence, type FROM sync_hq_events ORDER BY event_id") +
               dump("SELECT order_id, store_id, kind, total_minor, tax_minor, source_sequence FROM sync_hq_orders "
                    "ORDER BY order_id") +
               dump("SELECT session_id, state, source_sequence FROM sync_hq_register_sessions ORDER BY session_id") +
               dump("SELECT movement_id, amount_minor FROM sync_hq_cash_movements ORDER BY movement_id") +
               dump("SELECT store_id, register_id, z_number, net_sales_minor FROM sync_hq_z_reports "
                    "ORDER BY register_id, z_number") +
               dump("SELECT movement_id, sku, qty_delta_milli FROM sync_hq_stock_movements ORDER BY movement_id") +
               dump("SELECT store_id, sku, on_hand_milli FROM sync_hq_stock_levels ORDER BY store_id, sku") +
               dump("SELECT store_id, acknowledged_sequence, events_received FROM sync_hq_stores ORDER BY store_id");
    }
};

/// A UUIDv7-shaped id made from a number (deterministic, valid text form).
inline std::string uuid_for(const std::string& node, std::int64_t n) {
    char buf[64];
    unsigned h = 0;
    for (char c : node) h = h * 31 + static_cast<unsigned char>(c);
    std::snprintf(buf, sizeof buf, "0190f5c2-%04x-7c41-8b2d-%012llx", h & 0xffff, static_cast<unsigned long long>(n));
    return buf;
}

inline std::string hlc_for(const std::string& node, std::int64_t wall_ms, int counter = 0) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%015lld-%05d-", static_cast<long long>(wall_ms), counter);
    return buf + node;
}

inline sdk::Value event(const std::string& node, std::int64_t sequence, const std::string& type,
                        const std::string& entity_id, sdk::Value payload) {
    sdk::Value e = sdk::Value::map();
    e.set("event_id", uuid_for(node, sequence));
    e.set("node_id", node);
    e.set("sequence", sequence);
    e.set("hlc", hlc_for(node, 1768471200000 + sequence));
    e.set("type", type);
    e.set("entity_id", entity_id);
    e.set("created_utc_ms", 1768471200000 + sequence);
    e.set("payload", std::move(payload));
    return e;
}

inline sdk::Value sale_payload(const std::string& order_id, std::int64_t total_minor, std::int64_t tax_minor) {
    sdk::Value totals = sdk::Value::map();
    totals.set("total_minor", total_minor);
    totals.set("tax_minor", tax_minor);
    totals.set("discount_minor", 0);
    sdk::Value p = sdk::Value::map();
    p.set("order_id", order_id);
    p.set("state", "paid");
    p.set("currency", "EUR");
    p.set("terminal_id", "T1");
    p.set("register_session_id", "S1");
    p.set("is_return", false);
    p.set("totals", std::move(totals));
    p.set("paid_utc_ms", 1768471300000);
    return p;
}

inline sdk::Value sale(const std::string& node, std::int64_t seq, std::int64_t total_minor) {
    const std::string order_id = node + "-order-" + std::to_string(seq);
    return event(node, seq, "sale", order_id, sale_payload(order_id, total_minor, total_minor / 10));
}

inline sdk::Value stock(const std::string& node, std::int64_t seq, const std::string& sku, std::int64_t delta) {
    sdk::Value p = sdk::Value::map();
    p.set("movement_id", node + "-mv-" + std::to_string(seq));
    p.set("sku", sku);
    p.set("qty_delta_milli", delta);
    p.set("kind", "count");
    p.set("created_utc_ms", 1768471200000 + seq);
    return event(node, seq, "stock_movement", sku, std::move(p));
}

/// The events 1..n of a store: sales, a session, a cash movement, stock, a Z.
inline std::vector<sdk::Value> mixed_events(const std::string& node, std::int64_t n) {
    std::vector<sdk::Value> out;
    for (std::int64_t s = 1; s <= n; ++s) {
        switch (s % 5) {
        case 0: out.push_back(stock(node, s, "SKU-" + std::to_string(s % 3), 1000 * s)); break;
        case 1: {
            sdk::Value p = sdk::Value::map();
            p.set("session_id", node + "-S1");
            p.set("register_id", "R1");
            p.set("state", s > n / 2 ? "closed" : "opened");
            out.push_back(event(node, s, "register_session", node + "-S1", std::move(p)));
            break;
        }
        case 2: {
            sdk::Value p = sdk::Value::map();
            p.set("movement_id", node + "-cash-" + std::to_string(s));
            p.set("direction", "in");
            p.set("amount_minor", 100 * s);
            out.push_back(event(node, s, "cash_movement", node + "-cash", std::move(p)));
            break;
        }
        case 3: {
            sdk::Value report = sdk::Value::map();
            report.set("net_sales_minor", 777 * s);
            sdk::Value p = sdk::Value::map();
            p.set("register_id", "R1");
            p.set("z_number", s);
            p.set("session_id", node + "-S1");
            p.set("report", std::move(report));
            out.push_back(event(node, s, "z_report", "R1", std::move(p)));
            break;
        }
        default: out.push_back(sale(node, s, 1000 + s)); break;
        }
    }
    return out;
}

inline sdk::SyncBatch batch_of(const std::string& node, std::vector<sdk::Value> events, const std::string& id = "") {
    static std::atomic<int> n{0};
    sdk::SyncBatch b;
    b.batch_id = id.empty() ? uuid_for("batch", ++n) : id;
    b.node_id = node;
    b.events = std::move(events);
    return b;
}

/// Waits (bounded: count and time) until `done()` is true.
inline bool eventually(const std::function<bool()>& done, int timeout_ms = 10000) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    for (int i = 0; i < 100000 && std::chrono::steady_clock::now() < deadline; ++i) {
        if (done()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return done();
}

template <class Body>
void for_each_backend(const std::string& hint, Body&& body) {
    for (Backend b : {Backend::sqlite, Backend::postgresql}) {
        INFO("backend: " << backend_name(b));
        body(b, hint);
    }
}

}  // namespace till::sync::hq::testing
