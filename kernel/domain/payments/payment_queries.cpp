// Reading payments back, and voiding one before its order settles.
#include <exception>

#include "domain/common/http_errors.hpp"
#include "domain/payments/payment_service.hpp"
#include "domain/payments/payment_service_impl.hpp"

namespace till::domain::payments {
namespace {

sdk::Error error(std::string_view code, std::string message) { return sdk::Error{std::string(code), std::move(message)}; }

sdk::Value event_value(const PaymentEventRow& e) {
    sdk::Value v = sdk::Value::map();
    v.set("step", e.step);
    v.set("status", status_name(e.outcome.status));
    v.set("approved_minor", e.outcome.approved_minor);
    v.set("applied_minor", e.outcome.applied_minor);
    v.set("approved_tip_minor", e.outcome.approved_tip_minor);
    v.set("reference", e.outcome.reference);
    v.set("message", e.outcome.message);
    v.set("user_id", e.outcome.user_id);
    v.set("time_utc_ms", e.time_utc_ms);
    return v;
}

}  // namespace

sdk::Result<sdk::Value> PaymentService::get_payment(const std::string& payment_id) {
    sdk::Value out;
    auto s = impl_->ctx.storage.transaction([&](sdk::SqlExecutor& tx) -> sdk::Status {
        auto found = impl_->ledger.find(tx, payment_id);
        if (!found) return found.status();
        if (!*found) return error(error_code::not_found, "no payment " + payment_id);
        auto history = impl_->ledger.history(tx, payment_id);
        if (!history) return history.status();
        out = to_value(**found);
        sdk::Value events = sdk::Value::list();
        for (const auto& e : *history) events.push_back(event_value(e));
        out.set("events", events);
        return {};
    });
    if (!s.ok()) return s.error();
    return out;
}

sdk::Result<sdk::Value> PaymentService::list_payments(const std::string& order_id, std::int64_t offset,
                                                      std::int64_t limit) {
    sdk::Value out = sdk::Value::map();
    auto s = impl_->ctx.storage.transaction([&](sdk::SqlExecutor& tx) -> sdk::Status {
        auto balance = impl_->settlement.balance(tx, order_id);
        if (!balance) return balance.status();
        auto payments = impl_->ledger.for_order(tx, order_id);
        if (!payments) return payments.status();
        const auto sums = sum_payments(*payments);
        sdk::Value items = sdk::Value::list();
        const auto size = static_cast<std::int64_t>(payments->size());
        for (std::int64_t i = offset; i < size && i < offset + limit; ++i)
            items.push_back(to_value((*payments)[static_cast<std::size_t>(i)]));
        out.set("items", items);
        out.set("next", offset + limit < size ? sdk::Value(std::to_string(offset + limit)) : sdk::Value());
        out.set("order_id", order_id);
        out.set("currency", balance->currency);
        out.set("total_minor", balance->total_minor);
        out.set("paid_minor", sums.applied_minor);
        out.set("pending_minor", sums.reserved_minor);
        out.set("remaining_minor", balance->total_minor - sums.applied_minor);
        return {};
    });
    if (!s.ok()) return s.error();
    return out;
}

sdk::Result<sdk::Value> PaymentService::order_payments(sdk::SqlExecutor& tx, const std::string& order_id) {
    auto payments = impl_->ledger.for_order(tx, order_id);
    if (!payments) return payments.error();
    sdk::Value items = sdk::Value::list();
    for (const auto& p : *payments) items.push_back(to_value(p));
    return items;
}

sdk::Result<sdk::Value> PaymentService::void_payment(const Authorization& by, const std::string& payment_id,
                                                     const std::string& reason) {
    Impl& im = *impl_;
    auto claim = im.flights.claim("void:" + payment_id);
    PaymentRecord record;
    bool already = false;
    auto check = im.ctx.storage.transaction([&](sdk::SqlExecutor& tx) -> sdk::Status {
        auto found = im.ledger.find(tx, payment_id);
        if (!found) return found.status();
        if (!*found) return error(error_code::not_found, "no payment " + payment_id);
        record = **found;
        if (record.outcome.status == PaymentStatus::voided) {
            already = true;
            return {};
        }
        if (record.kind != PaymentKind::sale)
            return error(error_code::invalid_state, "payment " + payment_id + " is a refund; refunds are not voided");
        if (record.outcome.status != PaymentStatus::approved)
            return error(error_code::invalid_state, "payment " + payment_id + " is " +
                                                        status_name(record.outcome.status) +
                                                        "; only an approved payment can be voided");
        auto balance = im.settlement.balance(tx, record.order_id);
        if (!balance) return balance.status();
        // A voided order cannot be returned: voiding its payments is the only
        // way to give the customer's money back (the orders module voids an
        // order whatever was paid on it).
        if (balance->state != "open" && balance->state != "submitted" && balance->state != "voided")
            return error(error_code::invalid_state, "order " + record.order_id + " is " + balance->state +
                                                        "; give the money back with a return instead");
        return {};
    });
    if (!check.ok()) return check.error();
    if (already) return to_value(record);
    auto method = im.ctx.registry.payment_method(record.method_id);
    if (!method)
        return error(error_code::unavailable, "payment method \"" + record.method_id + "\" is not available");
    if (!method->capabilities().voids)
        return error(error_code::invalid_state,
                     "payment method " + record.method_id + " cannot void; give the money back with a refund");

    sdk::PaymentRequest request;
    // Not "<client key>:void": a client may use that as a key of its own,
    // and the provider would answer the void with that payment's result.
    request.idempotency_key = std::string(kReservedKeyPrefix) + "void:" + record.payment_id;
    request.order_id = record.order_id;
    request.amount = sdk::Money{record.outcome.approved_minor, record.currency};
    // The tip the provider approved, not the one asked for (a partial
    // approval may have left it out).
    request.tip_minor = record.outcome.approved_tip_minor;
    request.original_reference = record.outcome.reference;
    sdk::PaymentResponse response;
    try {
        response = method->void_payment(request);
    } catch (const std::exception& e) {
        response.outcome = sdk::PaymentOutcome::uncertain;
        response.message = std::string("void threw: ") + e.what();
    }
    if (response.outcome == sdk::PaymentOutcome::declined)
        return error(error_code::payment_declined, "the void was refused: " + response.message);
    if (response.outcome != sdk::PaymentOutcome::approved)
        return error(error_code::unavailable, "the void did not complete (" + response.message +
                                                  "); the payment stays approved — retry the void");

    bool changed = false;
    auto recorded = im.ctx.storage.transaction([&](sdk::SqlExecutor& tx) -> sdk::Status {
        changed = false;
        if (auto s = im.ledger.lock_order(tx, record.order_id); !s.ok()) return s;
        auto found = im.ledger.find(tx, payment_id);
        if (!found) return found.status();
        record = **found;
        if (record.outcome.status == PaymentStatus::voided) return {};
        PaymentOutcomeRecord next;
        next.status = PaymentStatus::voided;
        next.reference = response.reference.empty() ? record.outcome.reference : response.reference;
        next.message = reason.empty() ? response.message : reason;
        next.user_id = by.principal.user_id;
        const std::int64_t now = im.ctx.clock.now_utc_ms();
        if (auto s = im.ledger.append(tx, record, next, now); !s.ok()) return s;
        AuditEntry entry;
        entry.actor_user_id = by.principal.user_id;
        entry.action = std::string(action::order_void);
        entry.subject = "payment:" + payment_id;
        entry.reason = reason;
        entry.authorized_by = by.override_user_id;
        entry.terminal_id = by.principal.terminal_id;
        entry.details = sdk::Value::map();
        entry.details.set("order_id", record.order_id);
        entry.details.set("method_id", record.method_id);
        entry.details.set("approved_minor", record.outcome.approved_minor);
        if (auto s = im.audit.append(tx, entry); !s.ok()) return s;
        record.outcome = next;
        record.step += 1;
        record.updated_utc_ms = now;
        changed = true;
        return {};
    });
    if (!recorded.ok()) return recorded.error();
    if (changed) im.publish(record);
    return to_value(record);
}

}  // namespace till::domain::payments
