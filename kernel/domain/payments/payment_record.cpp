#include "domain/payments/payment_record.hpp"

#include <algorithm>

namespace till::domain::payments {

const char* status_name(PaymentStatus status) noexcept {
    switch (status) {
        case PaymentStatus::pending: return "pending";
        case PaymentStatus::approved: return "approved";
        case PaymentStatus::declined: return "declined";
        case PaymentStatus::failed: return "failed";
        case PaymentStatus::uncertain: return "uncertain";
        case PaymentStatus::voided: return "voided";
    }
    return "pending";
}

std::optional<PaymentStatus> parse_status(std::string_view name) noexcept {
    for (auto s : {PaymentStatus::pending, PaymentStatus::approved, PaymentStatus::declined, PaymentStatus::failed,
                   PaymentStatus::uncertain, PaymentStatus::voided})
        if (name == status_name(s)) return s;
    return std::nullopt;
}

bool may_follow(PaymentStatus from, PaymentStatus to) noexcept {
    using S = PaymentStatus;
    switch (from) {
        case S::pending: return to == S::approved || to == S::declined || to == S::failed || to == S::uncertain;
        case S::uncertain: return to == S::approved || to == S::declined || to == S::failed;
        case S::approved: return to == S::voided;
        default: return false;
    }
}

std::int64_t approved_tip(const sdk::Value& details, std::int64_t requested_tip_minor, bool full_approval) noexcept {
    if (requested_tip_minor <= 0) return 0;
    if (details.is_map()) {
        if (const sdk::Value* reported = details.find("approved_tip_minor"); reported && reported->is_int())
            return std::clamp<std::int64_t>(reported->as_int(), 0, requested_tip_minor);
    }
    return full_approval ? requested_tip_minor : 0;
}

const char* kind_name(PaymentKind kind) noexcept { return kind == PaymentKind::sale ? "sale" : "refund"; }

sdk::Value to_value(const PaymentRecord& r) {
    sdk::Value v = sdk::Value::map();
    v.set("payment_id", r.payment_id);
    v.set("idempotency_key", r.idempotency_key);
    v.set("order_id", r.order_id);
    v.set("kind", kind_name(r.kind));
    v.set("method_id", r.method_id);
    v.set("currency", r.currency);
    v.set("status", status_name(r.outcome.status));
    v.set("amount_minor", r.amount_minor);
    v.set("due_minor", r.due_minor);
    v.set("rounding_minor", r.rounding_minor);
    v.set("tendered_minor", r.tendered_minor);
    v.set("change_minor", r.change_minor);
    v.set("tip_minor", r.tip_minor);
    v.set("approved_tip_minor", r.outcome.approved_tip_minor);
    v.set("approved_minor", r.outcome.approved_minor);
    v.set("applied_minor", r.outcome.applied_minor);
    v.set("reference", r.outcome.reference);
    v.set("message", r.outcome.message);
    if (!r.outcome.masked_pan.empty()) v.set("masked_pan", r.outcome.masked_pan);
    if (!r.outcome.brand.empty()) v.set("brand", r.outcome.brand);
    v.set("original_payment_id", r.original_payment_id.empty() ? sdk::Value() : sdk::Value(r.original_payment_id));
    v.set("session_id", r.session_id);
    v.set("terminal_id", r.terminal_id);
    v.set("user_id", r.user_id);
    v.set("authorized_by", r.authorized_by.empty() ? sdk::Value() : sdk::Value(r.authorized_by));
    v.set("created_utc_ms", r.created_utc_ms);
    v.set("updated_utc_ms", r.updated_utc_ms);
    return v;
}

}  // namespace till::domain::payments
