// OrderService: adding, changing and removing lines; changing the order's
// customer, fields and discount.
#include <exception>

#include "domain/common/body_reader.hpp"
#include "domain/common/http_errors.hpp"
#include "domain/orders/line_rules.hpp"
#include "domain/orders/order_pricing.hpp"
#include "domain/orders/order_service.hpp"
#include "domain/orders/order_state.hpp"
#include "domain/orders/service_detail.hpp"

namespace till::domain {

using namespace orders;
using detail::i64;

namespace {

/// Permissions and audit entries for a line's discount and price, given
/// the line as it will be.
sdk::Status discount_and_price_checks(const OrderLine& line, const OrderLine* old_line, bool discount_given,
                                      bool price_given, const SalesSettings& sales, const std::string& order_id,
                                      const Authorization& by, const Permit& permit, std::vector<AuditEntry>& audits) {
    if (discount_given && line.discount.kind != Discount::Kind::none) {
        auto granted = permit(action::discount_apply);
        if (!granted) return granted.error();
        if (over_limit(line.discount, line.amounts.gross_minor, sales.discount_limit_bp)) {
            auto over = permit(action::discount_over_limit);
            if (!over) return over.error();
            sdk::Value d = sdk::Value::map();
            d.set("line_id", line.line_id);
            d.set("sku", line.sku);
            d.set("discount_bp", i64(discount_bp(line.discount, line.amounts.gross_minor)));
            d.set("discount_minor", i64(line.amounts.line_discount_minor));
            d.set("limit_bp", i64(sales.discount_limit_bp));
            audits.push_back(detail::audit_entry("discount.over_limit", order_id, by, *over, "", d));
        }
    }
    const std::int64_t old_price = old_line ? old_line->unit_price_minor : line.item.catalog_price_minor;
    if (price_given && line.unit_price_minor != old_price) {
        auto granted = permit(action::price_override);
        if (!granted) return granted.error();
        sdk::Value d = sdk::Value::map();
        d.set("line_id", line.line_id);
        d.set("sku", line.sku);
        d.set("old_price_minor", i64(old_price));
        d.set("new_price_minor", i64(line.unit_price_minor));
        d.set("catalog_price_minor", i64(line.item.catalog_price_minor));
        audits.push_back(detail::audit_entry("price.override", order_id, by, *granted, "", d));
    }
    return {};
}

sdk::Status as_field_error(const sdk::Status& s, const std::string& path) {
    if (s.ok()) return s;
    const auto& m = s.message();
    if (!m.empty() && m[0] == '$') return sdk::Error{std::string(error_code::invalid_argument), m};
    return invalid_field(path, m);
}

}  // namespace

sdk::Result<Order> OrderService::add_line(const std::string& order_id, std::int64_t expected_version,
                                          const AddLineRequest& request, const Authorization& by,
                                          const Permit& permit) {
    auto loaded = load_current(order_id);
    if (!loaded) return loaded.error();
    const Order& before = *loaded;
    if (auto s = detail::check_version(before, expected_version); !s.ok()) return s.error();
    if (auto s = check_step(before.state, Step::add_line); !s.ok()) return s.error();
    auto type = order_type(before.order_type_id, "");
    if (!type) return type.error();
    if (before.is_return && !(*type)->capabilities().exchanges)
        return sdk::Error{std::string(error_code::invalid_state),
                          "order type " + before.order_type_id +
                              " does not take exchanges: a return order cannot get new sale lines"};

    auto item = catalog_.find_item(request.sku);
    if (!item) return invalid_field(request.sku_path, "unknown SKU or barcode \"" + request.sku + "\"");
    if (!item->active) return invalid_field(request.sku_path, "item " + item->sku + " is not active");

    OrderLine line;
    line.line_id = ctx_.ids.next();
    line.position = before.next_position();
    line.sku = item->sku;
    line.name = item->name;
    line.department_id = item->department_id;
    line.item = snapshot_of(*item);
    if (auto s = check_qty(line.item, request.qty_milli, "$.qty_milli"); !s.ok()) return s.error();
    line.qty_milli = request.qty_milli;
    auto modifiers = choose_modifiers(*item, request.modifier_ids, "$.modifiers");
    if (!modifiers) return modifiers.error();
    line.modifiers = std::move(*modifiers);
    line.note = request.note;
    if (request.discount) line.discount = *request.discount;
    line.unit_price_minor = request.unit_price_minor.value_or(item->price_minor);

    Order after = before;
    after.lines.push_back(line);
    if (auto s = reprice(after, ctx_.sales, line.line_id); !s.ok()) return s.error();
    const OrderLine& added = after.lines.back();

    std::vector<AuditEntry> audits;
    if (auto s = discount_and_price_checks(added, nullptr, request.discount.has_value(),
                                           request.unit_price_minor.has_value(), ctx_.sales, order_id, by, permit,
                                           audits);
        !s.ok())
        return s.error();

    sdk::HookResult hook;
    try {
        hook = (*type)->on_line_added(to_sdk_order(after), to_sdk_line(added));
    } catch (const std::exception& e) {
        return sdk::Error{std::string(error_code::unavailable),
                          "order type " + before.order_type_id + " failed in on_line_added: " + e.what()};
    }
    if (auto s = apply_hook("on_line_added", hook, after, true); !s.ok()) return s.error();
    return commit(before, std::move(after), audits, "order.line_added");
}

sdk::Result<Order> OrderService::change_line(const std::string& order_id, const std::string& line_id,
                                             std::int64_t expected_version, const ChangeLineRequest& request,
                                             const Authorization& by, const Permit& permit) {
    auto loaded = load_current(order_id);
    if (!loaded) return loaded.error();
    const Order& before = *loaded;
    if (auto s = detail::check_version(before, expected_version); !s.ok()) return s.error();
    if (auto s = check_step(before.state, Step::change_line); !s.ok()) return s.error();
    const OrderLine* old_line = before.find_line(line_id);
    if (!old_line) return detail::line_not_found(order_id, line_id);
    if (old_line->is_return_line())
        return sdk::Error{std::string(error_code::invalid_state),
                          "line " + line_id + " is a return line; remove it and return again to change it"};

    Order after = before;
    OrderLine& line = *after.find_line(line_id);
    if (request.qty_milli) {
        if (auto s = check_qty(line.item, *request.qty_milli, "$.qty_milli"); !s.ok()) return s.error();
        line.qty_milli = *request.qty_milli;
    }
    if (request.note) line.note = *request.note;
    if (request.discount) line.discount = *request.discount;
    if (request.unit_price_minor) line.unit_price_minor = *request.unit_price_minor;
    if (auto s = reprice(after, ctx_.sales, line_id); !s.ok()) return s.error();

    std::vector<AuditEntry> audits;
    if (auto s = discount_and_price_checks(*after.find_line(line_id), old_line, request.discount.has_value(),
                                           request.unit_price_minor.has_value(), ctx_.sales, order_id, by, permit,
                                           audits);
        !s.ok())
        return s.error();
    return commit(before, std::move(after), audits, "order.line_changed");
}

sdk::Result<Order> OrderService::remove_line(const std::string& order_id, const std::string& line_id,
                                             std::int64_t expected_version, const std::string& reason,
                                             const Authorization& by, const Permit& permit) {
    auto loaded = load_current(order_id);
    if (!loaded) return loaded.error();
    const Order& before = *loaded;
    if (auto s = detail::check_version(before, expected_version); !s.ok()) return s.error();
    const Step step = before.state == State::submitted ? Step::void_line : Step::delete_line;
    if (auto s = check_step(before.state, step); !s.ok()) return s.error();
    const OrderLine* old_line = before.find_line(line_id);
    if (!old_line) return detail::line_not_found(order_id, line_id);

    Order after = before;
    std::vector<AuditEntry> audits;
    std::string topic;
    if (step == Step::delete_line) {
        std::erase_if(after.lines, [&](const OrderLine& l) { return l.line_id == line_id; });
        topic = "order.line_removed";
    } else {
        if (old_line->voided)
            return sdk::Error{std::string(error_code::invalid_state), "line " + line_id + " is already voided"};
        auto granted = permit(action::order_void);
        if (!granted) return granted.error();
        OrderLine& line = *after.find_line(line_id);
        line.voided = true;
        line.voided_utc_ms = ctx_.clock.now_utc_ms();
        line.void_reason = reason;
        sdk::Value d = sdk::Value::map();
        d.set("line_id", line_id);
        d.set("sku", line.sku);
        d.set("qty_milli", i64(line.qty_milli));
        d.set("total_minor", i64(line.amounts.total_minor));
        audits.push_back(detail::audit_entry("order.line_void", order_id, by, *granted, reason, d));
        topic = "order.line_voided";
    }
    if (auto s = reprice(after, ctx_.sales); !s.ok()) return s.error();
    return commit(before, std::move(after), audits, topic);
}

sdk::Result<Order> OrderService::change_order(const std::string& order_id, std::int64_t expected_version,
                                              const ChangeOrderRequest& request, const Authorization& by,
                                              const Permit& permit) {
    auto loaded = load_current(order_id);
    if (!loaded) return loaded.error();
    const Order& before = *loaded;
    if (auto s = detail::check_version(before, expected_version); !s.ok()) return s.error();
    if (auto s = check_step(before.state, Step::change_order); !s.ok()) return s.error();

    Order after = before;
    if (request.customer_id)
        if (auto s = assign_customer(after, *request.customer_id); !s.ok()) return s.error();
    if (request.fields) {
        auto type = order_type(before.order_type_id, "");
        if (!type) return type.error();
        sdk::Status valid;
        try {
            valid = (*type)->validate_fields(*request.fields);
        } catch (const std::exception& e) {
            valid = sdk::Status::failure("invalid_argument", std::string("validate_fields threw: ") + e.what());
        }
        if (auto s = as_field_error(valid, "$.fields"); !s.ok()) return s.error();
        after.fields = *request.fields;
    }
    if (request.discount) after.order_discount = *request.discount;
    if (auto s = reprice(after, ctx_.sales); !s.ok()) return s.error();

    std::vector<AuditEntry> audits;
    if (request.discount && request.discount->kind != Discount::Kind::none) {
        auto granted = permit(action::discount_apply);
        if (!granted) return granted.error();
        // The order discount applies to what the sale lines cost after their own discounts.
        std::int64_t base = 0;
        for (const auto& l : after.lines)
            if (!l.voided && !l.is_return_line()) base += l.amounts.gross_minor - l.amounts.line_discount_minor;
        if (over_limit(*request.discount, base, ctx_.sales.discount_limit_bp)) {
            auto over = permit(action::discount_over_limit);
            if (!over) return over.error();
            sdk::Value d = sdk::Value::map();
            d.set("discount_bp", i64(discount_bp(*request.discount, base)));
            d.set("base_minor", i64(base));
            d.set("limit_bp", i64(ctx_.sales.discount_limit_bp));
            audits.push_back(detail::audit_entry("discount.over_limit", order_id, by, *over, "", d));
        }
    }
    return commit(before, std::move(after), audits, "order.changed");
}

}  // namespace till::domain
