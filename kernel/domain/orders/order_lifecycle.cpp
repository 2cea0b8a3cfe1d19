// OrderService: submit, void and close.
#include <exception>

#include "domain/common/http_errors.hpp"
#include "domain/orders/order_service.hpp"
#include "domain/orders/order_state.hpp"
#include "domain/orders/service_detail.hpp"

namespace till::domain {

using namespace orders;
using detail::i64;

sdk::Result<Order> OrderService::submit(const std::string& order_id, std::int64_t expected_version,
                                        const Authorization&) {
    auto loaded = load_current(order_id);
    if (!loaded) return loaded.error();
    const Order& before = *loaded;
    if (auto s = detail::check_version(before, expected_version); !s.ok()) return s.error();
    if (auto s = check_step(before.state, Step::submit); !s.ok()) return s.error();
    if (before.live_line_count() == 0)
        return sdk::Error{std::string(error_code::invalid_state), "order has no lines; add a line before submitting"};
    auto type = order_type(before.order_type_id, "");
    if (!type) return type.error();

    Order after = before;
    after.state = next_state(before.state, Step::submit);
    after.submitted_utc_ms = ctx_.clock.now_utc_ms();
    sdk::HookResult hook;
    try {
        hook = (*type)->on_submitted(to_sdk_order(after));
    } catch (const std::exception& e) {
        return sdk::Error{std::string(error_code::unavailable),
                          "order type " + before.order_type_id + " failed in on_submitted: " + e.what()};
    }
    if (auto s = apply_hook("on_submitted", hook, after, true); !s.ok()) return s.error();
    after.submit_hook_ran = true;
    return commit(before, std::move(after), {}, "order.submitted");
}

sdk::Result<Order> OrderService::void_order(const std::string& order_id, std::int64_t expected_version,
                                            const std::string& reason, const Authorization& by,
                                            const Permit& permit) {
    auto loaded = load_current(order_id);
    if (!loaded) return loaded.error();
    const Order& before = *loaded;
    if (auto s = detail::check_version(before, expected_version); !s.ok()) return s.error();
    if (auto s = check_step(before.state, Step::void_order); !s.ok()) return s.error();
    auto granted = permit(action::order_void);
    if (!granted) return granted.error();

    Order after = before;
    after.state = next_state(before.state, Step::void_order);
    after.voided_utc_ms = ctx_.clock.now_utc_ms();
    after.void_reason = reason;
    sdk::Value d = sdk::Value::map();
    d.set("state_before", state_name(before.state));
    d.set("total_minor", i64(before.totals.total_minor));
    d.set("line_count", i64(static_cast<std::int64_t>(before.live_line_count())));
    d.set("is_return", before.is_return);
    std::vector<AuditEntry> audits{detail::audit_entry("order.void", order_id, by, *granted, reason, d)};
    return commit(before, std::move(after), audits, "order.voided", Durability::by_state, change_type::order_void);
}

sdk::Result<Order> OrderService::close(const std::string& order_id, std::int64_t expected_version,
                                       const Authorization&) {
    auto loaded = load_current(order_id);
    if (!loaded) return loaded.error();
    const Order& before = *loaded;
    if (auto s = detail::check_version(before, expected_version); !s.ok()) return s.error();
    if (auto s = check_step(before.state, Step::close); !s.ok()) return s.error();
    Order after = before;
    after.state = next_state(before.state, Step::close);
    after.closed_utc_ms = ctx_.clock.now_utc_ms();
    return commit(before, std::move(after), {}, "order.closed");
}

}  // namespace till::domain
