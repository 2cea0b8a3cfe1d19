// Helpers for the Lua host tests: a logger that keeps lines, a sandbox
// runner for snippets, bounded waits, and a fixture catalog.
#pragma once

#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "script/cart.hpp"
#include "script/lua_sandbox.hpp"
#include "till/sdk/logger.hpp"

namespace till::test {

class CapturingLogger final : public sdk::Logger {
public:
    void log(sdk::LogLevel, std::string_view message) noexcept override {
        std::lock_guard lock(mutex_);
        lines_.emplace_back(message);
    }
    bool enabled(sdk::LogLevel) const noexcept override { return true; }
    std::vector<std::string> lines() const {
        std::lock_guard lock(mutex_);
        return lines_;
    }
    bool contains(const std::string& text) const {
        for (const auto& l : lines())
            if (l.find(text) != std::string::npos) return true;
        return false;
    }

private:
    mutable std::mutex mutex_;
    std::vector<std::string> lines_;
};

/// Waits (bounded: count and time) until `condition` holds.
inline bool wait_until(const std::function<bool()>& condition, int timeout_ms = 5000) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    for (int i = 0; i < 100000; ++i) {
        if (condition()) return true;
        if (std::chrono::steady_clock::now() > deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return condition();
}

/// Runs `body` as the body of a function in a fresh file of the sandbox.
inline sdk::Status run_snippet(script::LuaSandbox& sandbox, const std::string& body) {
    static int counter = 0;
    script::ScriptSource source{"scripts/test/upsell/snippet" + std::to_string(++counter) + ".lua",
                                "function run()\n" + body + "\nend\n"};
    auto env = sandbox.load_file(source);
    if (!env) return env.error();
    if (!sandbox.push_global_function(*env, "run")) return sdk::Status::failure("test", "no run()");
    return sandbox.call(0, 0);
}

inline script::MapCatalog cafe_catalog() {
    script::MapCatalog c;
    c.add({"LATTE", "Latte", "coffee", 320, {}, true});
    c.add({"ESPRESSO", "Espresso", "coffee", 220, {}, true});
    c.add({"CROISSANT", "Croissant", "pastry", 250, {"breakfast"}, true});
    c.add({"MUFFIN", "Blueberry muffin", "pastry", 280, {}, true});
    c.add({"PORRIDGE", "Porridge", "food", 450, {"breakfast"}, true});
    c.add({"COOKIE", "Cookie", "snacks", 150, {"add-on"}, true});
    c.add({"BROWNIE", "Brownie", "snacks", 300, {"add-on"}, true});
    return c;
}

inline script::MapCatalog retail_catalog() {
    script::MapCatalog c;
    c.add({"PHONE-X", "Phone X", "phones", 69900, {}, true});
    c.add({"CASE-X", "Case for Phone X", "accessories", 1999, {"phones-accessory"}, true});
    c.add({"CHARGER-30W", "30 W charger", "accessories", 2499, {"phones-accessory"}, true});
    c.add({"PRN-100", "Printer 100", "printers", 12900, {}, true});
    c.add({"INK-100-XL", "XL ink for Printer 100", "ink", 2999, {}, true});
    return c;
}

inline script::CartLine line(const std::string& sku, const std::string& department, std::int64_t unit_price_minor,
                             std::int64_t qty_milli = 1000) {
    script::CartLine l;
    l.line_id = "l-" + sku;
    l.sku = sku;
    l.name = sku;
    l.department = department;
    l.qty_milli = qty_milli;
    l.unit_price_minor = unit_price_minor;
    l.total_minor = unit_price_minor * qty_milli / 1000;
    return l;
}

inline script::Cart cart_of(std::vector<script::CartLine> lines) {
    script::Cart c;
    c.order_id = "o-1";
    c.order_type = "counter";
    c.currency = "GBP";
    c.lines = std::move(lines);
    for (const auto& l : c.lines) c.subtotal_minor += l.total_minor;
    c.total_minor = c.subtotal_minor;
    return c;
}

/// 2026-11-20 at hh:mm UTC.
inline std::int64_t at_utc(int hour, int minute) {
    return 1795132800000LL + (hour * 60LL + minute) * 60000LL;
}

}  // namespace till::test
