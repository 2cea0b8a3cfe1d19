// Small helpers for the sync transport tests: events and batches in wire
// format v1, a bounded wait for a condition, a self-signed TLS certificate.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <thread>

#include "till/sdk/sync_transport.hpp"

namespace till::test {

inline sdk::Value sync_event(const std::string& node_id, std::int64_t sequence, std::int64_t total_minor = 1250) {
    sdk::Value payload = sdk::Value::map();
    payload.set("order_id", "order-" + std::to_string(sequence));
    payload.set("total_minor", static_cast<long long>(total_minor));
    payload.set("currency", "EUR");
    sdk::Value e = sdk::Value::map();
    char id[64];
    std::snprintf(id, sizeof id, "0190a000-0000-7000-8000-%012lld", static_cast<long long>(sequence));
    e.set("event_id", std::string(id) + "-" + node_id);
    e.set("node_id", node_id);
    e.set("sequence", static_cast<long long>(sequence));
    char hlc[64];
    std::snprintf(hlc, sizeof hlc, "%015lld-%05d-", 1768471200000LL + sequence, 0);
    e.set("hlc", std::string(hlc) + node_id);
    e.set("type", "sale");
    e.set("entity_id", "order-" + std::to_string(sequence));
    e.set("created_utc_ms", static_cast<long long>(1768471200000LL + sequence));
    e.set("payload", payload);
    return e;
}

inline sdk::SyncBatch sync_batch(const std::string& node_id, std::int64_t first, std::int64_t last) {
    sdk::SyncBatch b;
    b.batch_id = "0190a000-0000-7000-9000-" + std::to_string(first) + "-" + std::to_string(last);
    b.node_id = node_id;
    for (auto s = first; s <= last; ++s) b.events.push_back(sync_event(node_id, s));
    return b;
}

/// Polls `condition` every 10 ms for at most `timeout_ms`.
inline bool wait_until(const std::function<bool()>& condition, int timeout_ms = 10000) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    for (int i = 0; i < 100000; ++i) {
        if (condition()) return true;
        if (std::chrono::steady_clock::now() > deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return condition();
}

/// Makes `dir`/cert.pem and `dir`/key.pem with the openssl CLI: a
/// self-signed certificate for CN=127.0.0.1 (SAN IP:127.0.0.1, DNS:localhost).
inline bool make_self_signed_cert(const std::string& dir, const std::string& name = "cert") {
    const std::string cmd = "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 "
                            "-addext subjectAltName=IP:127.0.0.1,DNS:localhost -keyout '" +
                            dir + "/" + name + "-key.pem' -out '" + dir + "/" + name + ".pem' >/dev/null 2>&1";
    return std::system(cmd.c_str()) == 0;
}

}  // namespace till::test
