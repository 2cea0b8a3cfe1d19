// OrderService as the payments and registers modules see it: what an order
// owes, settling it (state, stock movements, the refund on the original
// sale, audit) inside the payment's transaction, what happens after that
// commit (on_paid, events), and a register session's totals.
#include <algorithm>
#include <exception>
#include <map>

#include "domain/common/http_errors.hpp"
#include "domain/orders/order_json.hpp"
#include "domain/orders/order_service.hpp"
#include "domain/orders/order_state.hpp"
#include "domain/orders/service_detail.hpp"

namespace till::domain {

using namespace orders;
using detail::i64;

sdk::Result<OrderBalance> OrderService::balance(sdk::SqlExecutor& tx, const std::string& order_id) {
    auto loaded = store_.load(tx, order_id);
    if (!loaded) return loaded.error();
    if (!*loaded) return detail::not_found(order_id);
    const Order& o = **loaded;
    OrderBalance b;
    b.order_id = o.order_id;
    b.state = state_name(o.state);
    b.is_return = o.is_return;
    b.original_order_id = o.original_order_id;
    b.total_minor = o.totals.total_minor;
    b.currency = o.currency;
    b.version = o.version;
    return b;
}

sdk::Status OrderService::settle(sdk::SqlExecutor& tx, const std::string& order_id, const Authorization& by) {
    auto loaded = store_.load(tx, order_id, OrderStore::Lock::for_update);
    if (!loaded) return loaded.status();
    if (!*loaded) return detail::not_found(order_id);
    const Order& before = **loaded;
    if (auto s = check_step(before.state, Step::settle); !s.ok()) return s;
    if (before.live_line_count() == 0)
        return sdk::Error{std::string(error_code::invalid_state), "order has no lines; nothing to settle"};

    const std::int64_t now = ctx_.clock.now_utc_ms();
    Order after = before;
    after.version = before.version + 1;
    after.state = next_state(before.state, Step::settle);
    after.paid_utc_ms = now;
    if (!keeps_paid_open(before.order_type_id)) {
        after.state = State::closed;
        after.closed_utc_ms = now;
    }
    after.settled_session_id = before.register_session_id;
    if (!by.principal.terminal_id.empty()) {
        auto session = registers_.open_session(tx, by.principal.terminal_id);
        if (!session) return session.status();
        if (*session) after.settled_session_id = **session;
    }

    // Stock: a sale takes goods out; a return puts them back when its reason restocks.
    std::vector<StockLevel> levels;
    const bool restock = before.is_return && ctx_.sales.restocks(before.reason_code);
    for (const auto& l : before.lines) {
        if (l.voided || !l.item.track_stock) continue;
        StockMovement m;
        m.sku = l.sku;
        m.reference = "order:" + order_id;
        m.user_id = by.principal.user_id;
        if (l.is_return_line()) {
            if (!restock) continue;
            m.qty_delta_milli = -l.qty_milli;
            m.kind = "refund";
            m.reason_code = before.reason_code;
        } else {
            m.qty_delta_milli = -l.qty_milli;
            m.kind = "sale";
        }
        auto level = stock_.record(tx, m);
        if (!level) return level.status();
        if (level->crossed_low_stock) levels.push_back(*level);
    }
    if (auto s = store_.save(tx, before, after); !s.ok()) return s;

    // A return order whose return lines were all removed (only new sale
    // lines left) returns nothing: the original sale stays as it is.
    const bool returns_goods = std::any_of(before.lines.begin(), before.lines.end(),
                                           [](const OrderLine& l) { return !l.voided && l.is_return_line(); });
    if (before.is_return && !before.original_order_id.empty() && returns_goods) {
        auto orig = store_.load(tx, before.original_order_id, OrderStore::Lock::for_update);
        if (!orig) return orig.status();
        if (!*orig) return detail::not_found(before.original_order_id);
        const Order& original = **orig;
        if (auto s = check_step(original.state, Step::record_refund); !s.ok())
            return sdk::Error{s.error().code, "original sale " + original.order_id + ": " + s.message()};
        // Settled returns, this one included (its state was just saved).
        auto returned = store_.returned_lines(tx, original.order_id);
        if (!returned) return returned.status();
        std::map<std::string, std::int64_t> settled_qty;
        std::int64_t refund_minor = 0;
        sdk::Value lines = sdk::Value::list();
        for (const auto& r : *returned) {
            if (r.return_state == State::open || r.return_state == State::submitted) continue;
            settled_qty[r.line.original_line_id] += -r.line.qty_milli;
        }
        for (const auto& l : before.lines) {
            if (l.voided || !l.is_return_line()) continue;
            refund_minor -= l.amounts.total_minor;
            sdk::Value one = sdk::Value::map();
            one.set("original_line_id", l.original_line_id);
            one.set("sku", l.sku);
            one.set("qty_milli", i64(-l.qty_milli));
            one.set("refund_minor", i64(-l.amounts.total_minor));
            lines.push_back(std::move(one));
        }
        bool fully = true;
        for (const auto& l : original.lines) {
            if (l.voided || l.is_return_line()) continue;
            if (settled_qty[l.line_id] < l.qty_milli) fully = false;
        }
        Order marked = original;
        marked.version = original.version + 1;
        marked.state = next_state(original.state, Step::record_refund, fully);
        if (auto s = store_.save(tx, original, marked); !s.ok()) return s;

        Authorization granted;
        granted.override_user_id = before.refund_authorized_by;
        sdk::Value d = sdk::Value::map();
        d.set("return_order_id", order_id);
        d.set("original_order_id", original.order_id);
        d.set("refund_minor", i64(refund_minor));
        d.set("restocked", restock);
        d.set("lines", std::move(lines));
        auto entry = detail::audit_entry("order.refund", original.order_id, by, granted, before.reason_code, d);
        if (auto s = audit_.append(tx, entry); !s.ok()) return s;
        std::lock_guard lock(pending_mutex_);
        pending_refunds_[order_id] = original.order_id;
    }
    // HQ gets the settled order, with the payment that settled it (written
    // earlier in this transaction by the payments module).
    if (auto s = replicate(tx, after, before.is_return ? change_type::refund : change_type::sale); !s.ok()) return s;
    std::lock_guard lock(pending_mutex_);
    pending_levels_[order_id] = std::move(levels);
    return {};
}

void OrderService::after_settled(const std::string& order_id) {
    std::vector<StockLevel> levels;
    std::string original_id;
    {
        std::lock_guard lock(pending_mutex_);
        if (auto it = pending_levels_.find(order_id); it != pending_levels_.end()) {
            levels = std::move(it->second);
            pending_levels_.erase(it);
        }
        if (auto it = pending_refunds_.find(order_id); it != pending_refunds_.end()) {
            original_id = it->second;
            pending_refunds_.erase(it);
        }
    }
    auto loaded = load_current(order_id);
    if (!loaded) {
        ctx_.logger->error("after_settled: cannot load order " + order_id + ": " + loaded.error().message);
        return;
    }
    Order order = std::move(*loaded);
    if (order.is_return) ctx_.replication.committed_high_priority();  // its `refund` change is pushed at once
    if (order.state != State::paid && order.state != State::closed) {
        ctx_.logger->warn("after_settled: order " + order_id + " is " + state_name(order.state) + ", not settled");
        return;
    }

    // Hooks, outside any transaction. A settled order cannot be refused any
    // more: refusals are logged, fields they set are kept.
    if (auto type = ctx_.registry.order_type(order.order_type_id)) {
        Order hooked = order;
        try {
            if (!order.submit_hook_ran) {
                // Paid without an explicit submit: the type still sees the submission.
                apply_hook("on_submitted", type->on_submitted(to_sdk_order(hooked)), hooked, false);
                hooked.submit_hook_ran = true;
            }
            apply_hook("on_paid", type->on_paid(to_sdk_order(hooked)), hooked, false);
        } catch (const std::exception& e) {
            ctx_.logger->error("order " + order_id + ": order type " + order.order_type_id +
                               " threw after payment: " + e.what());
        }
        if (hooked.fields != order.fields || hooked.submit_hook_ran != order.submit_hook_ran) {
            // Fields from a hook after settlement: a system change, allowed on closed orders.
            for (int attempt = 0; attempt < 3; ++attempt) {
                // The sale is on disk already: this only records what the hooks set.
                auto saved = commit(order, hooked, {}, "order.changed", Durability::bookkeeping);
                if (saved) {
                    order = std::move(*saved);
                    break;
                }
                auto again = load_current(order_id);
                if (!again) break;
                sdk::Value fields = hooked.fields;
                order = std::move(*again);
                hooked = order;
                hooked.fields = fields;
                hooked.submit_hook_ran = true;
            }
        }
    } else {
        ctx_.logger->warn("after_settled: order type " + order.order_type_id + " is not loaded; hooks skipped");
    }

    publish("order.paid", order);
    if (order.state == State::closed) publish("order.closed", order);
    if (!original_id.empty()) {
        if (auto original = load_current(original_id)) {
            publish(original->state == State::refunded ? "order.refunded" : "order.partially_refunded", *original);
        }
    }
    if (!levels.empty()) stock_.announce(levels);
}

sdk::Result<OrderTotals> OrderService::order_totals(sdk::SqlExecutor& tx, const std::string& session_id) {
    OrderTotals t;
    auto sales = tx.query(
        "SELECT COUNT(*), CAST(COALESCE(SUM(gross_minor), 0) AS BIGINT), "
        "CAST(COALESCE(SUM(discount_minor), 0) AS BIGINT), CAST(COALESCE(SUM(tax_minor), 0) AS BIGINT), "
        "CAST(COALESCE(SUM(total_minor), 0) AS BIGINT) FROM orders WHERE settled_session_id = ? AND is_return = 0 "
        "AND state IN ('paid', 'closed', 'partially_refunded', 'refunded')",
        {session_id});
    if (!sales) return sales.error();
    if (!sales->rows.empty()) {
        const auto& r = sales->rows.front();
        t.sales_count = r[0].as_int();
        t.sales_gross_minor = r[1].as_int();
        t.sales_discount_minor = r[2].as_int();
        t.sales_tax_minor = r[3].as_int();
        t.sales_total_minor = r[4].as_int();
    }
    // Return orders: return lines are refunds; the new sale lines of an
    // exchange count as sales amounts (not as a sale).
    auto returns = tx.query(
        "SELECT COUNT(DISTINCT o.order_id), "
        "CAST(COALESCE(SUM(CASE WHEN l.original_line_id <> '' THEN l.total_minor ELSE 0 END), 0) AS BIGINT), "
        "CAST(COALESCE(SUM(CASE WHEN l.original_line_id <> '' THEN l.tax_minor ELSE 0 END), 0) AS BIGINT), "
        "CAST(COALESCE(SUM(CASE WHEN l.original_line_id = '' THEN l.gross_minor ELSE 0 END), 0) AS BIGINT), "
        "CAST(COALESCE(SUM(CASE WHEN l.original_line_id = '' THEN l.line_discount_minor + l.order_discount_minor "
        "ELSE 0 END), 0) AS BIGINT), "
        "CAST(COALESCE(SUM(CASE WHEN l.original_line_id = '' THEN l.tax_minor ELSE 0 END), 0) AS BIGINT), "
        "CAST(COALESCE(SUM(CASE WHEN l.original_line_id = '' THEN l.total_minor ELSE 0 END), 0) AS BIGINT) "
        "FROM orders o JOIN order_lines l ON l.order_id = o.order_id "
        "WHERE o.settled_session_id = ? AND o.is_return = 1 AND o.state IN ('paid', 'closed') AND l.voided = 0",
        {session_id});
    if (!returns) return returns.error();
    if (!returns->rows.empty()) {
        const auto& r = returns->rows.front();
        t.returns_count = r[0].as_int();
        t.returns_total_minor = -r[1].as_int();
        t.returns_tax_minor = -r[2].as_int();
        t.sales_gross_minor += r[3].as_int();
        t.sales_discount_minor += r[4].as_int();
        t.sales_tax_minor += r[5].as_int();
        t.sales_total_minor += r[6].as_int();
    }
    auto voids = tx.query(
        "SELECT COUNT(*), CAST(COALESCE(SUM(total_minor), 0) AS BIGINT) FROM orders "
        "WHERE register_session_id = ? AND state = 'voided'",
        {session_id});
    if (!voids) return voids.error();
    if (!voids->rows.empty()) {
        t.voids_count = voids->rows.front()[0].as_int();
        t.voids_total_minor = voids->rows.front()[1].as_int();
    }
    return t;
}

}  // namespace till::domain
