// The upsell module on a real sales domain (SalesWorld from the orders
// tests: real people, catalog, orders, ... on SQLite, order type "retail"
// from the real order_retail plugin), a café catalog, real Lua rules in a
// temp scripts/ folder, and the routes on a real HTTP server. The clock is
// 2026-01-15 10:00 UTC and the store's offset 0: the daypart is breakfast.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "domain/upsell/upsell_service.hpp"
#include "orders_world.hpp"
#include "script/rules_engine.hpp"
#include "support/temp_dir.hpp"

namespace till::test {

/// Copies the shipped scripts/cafe and scripts/lib into `root` (a scripts/ folder).
void copy_shipped_rules(const std::string& root);
/// Writes `text` to <root>/<relative>, creating folders.
void write_rule(const std::string& root, const std::string& relative, const std::string& text);

struct UpsellWorld {
    /// `write_rules` fills the temp scripts/ folder (default: the shipped café rules).
    explicit UpsellWorld(std::function<void(const std::string&)> write_rules = copy_shipped_rules);
    ~UpsellWorld();

    DomainFixture f;
    SalesWorld w{f};
    TempDir dir{"till-upsell"};
    std::string scripts_root;  ///< <dir>/scripts
    std::unique_ptr<script::RulesEngine> rules;
    std::unique_ptr<domain::upsell::UpsellService> upsell;
    std::string alice;  ///< alice's token (cashier, terminal T1)

    /// Café catalog: departments coffee, pastry, food; LATTE 320 and
    /// ESPRESSO 220 (coffee), CROISSANT 250 (pastry, tag breakfast), MUFFIN
    /// 280 (pastry), PORRIDGE 450 (food, tag breakfast), COOKIE 300 (food,
    /// tag add-on).
    void seed_cafe();
    /// Opens a retail order as alice; its JSON.
    sdk::Value open_order();
    /// Adds a line as alice; the order's JSON after it.
    sdk::Value add_line(const sdk::Value& order, const std::string& sku);
    Reply call(const std::string& method, const std::string& path, const sdk::Value& body = sdk::Value(),
               const std::string& token = "<alice>");
};

/// Waits (bounded: about 10 s) until `ready()`; false when it never was.
inline bool eventually(const std::function<bool()>& ready, int timeout_ms = 10000) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    for (;;) {
        if (ready()) return true;
        if (std::chrono::steady_clock::now() >= until) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
}

/// The order.suggestions event published for this order's id and version; null when none yet.
sdk::Value published_suggestions(DomainFixture& f, const sdk::Value& order);

/// The SKUs of a suggestions answer, in rank order.
std::vector<std::string> skus_of(const sdk::Value& answer);

}  // namespace till::test
