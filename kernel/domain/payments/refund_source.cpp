#include "domain/payments/refund_source.hpp"

#include <algorithm>

#include "domain/common/body_reader.hpp"

namespace till::domain::payments {
namespace {

// What `original` can still take back.
sdk::Result<std::int64_t> refundable(sdk::SqlExecutor& tx, const PaymentLedger& ledger,
                                     const PaymentRecord& original) {
    auto refunds = ledger.refunds_of(tx, original.payment_id);
    if (!refunds) return refunds.error();
    std::int64_t left = original.outcome.applied_minor;
    for (const auto& r : *refunds) {
        if (r.outcome.status == PaymentStatus::approved)
            left -= r.outcome.applied_minor;
        else if (is_open(r.outcome.status))
            left -= r.amount_minor;
    }
    return left;
}

}  // namespace

sdk::Result<RefundSource> choose_refund_source(sdk::SqlExecutor& tx, const PaymentLedger& ledger,
                                               const std::string& original_order_id, const std::string& method_id,
                                               const std::string& refund_to, std::int64_t amount_minor) {
    auto payments = ledger.for_order(tx, original_order_id);
    if (!payments) return payments.error();
    bool method_seen = false;
    std::int64_t largest = 0;
    for (const auto& p : *payments) {
        if (p.kind != PaymentKind::sale || p.outcome.status != PaymentStatus::approved) continue;
        if (!refund_to.empty() && p.payment_id != refund_to) continue;
        if (!refund_to.empty() && p.method_id != method_id)
            return invalid_field("$.method_id", "payment " + refund_to + " was taken with " + p.method_id +
                                                    "; refund it with " + p.method_id);
        if (p.method_id != method_id) continue;
        method_seen = true;
        auto left = refundable(tx, ledger, p);
        if (!left) return left.error();
        if (*left >= amount_minor) return RefundSource{p.payment_id, p.outcome.reference};
        largest = std::max(largest, *left);
    }
    if (!refund_to.empty() && !method_seen)
        return invalid_field("$.refund_to", "is not an approved payment of the original order " + original_order_id);
    if (method_seen)
        return invalid_field("$.amount_minor", "the original " + method_id + " payment" +
                                                   (refund_to.empty() ? "s" : "") + " can take back at most " +
                                                   std::to_string(largest) + " minor units at once; split the refund");
    return RefundSource{};
}

}  // namespace till::domain::payments
