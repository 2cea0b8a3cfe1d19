// Where a refund goes back to: the original sale's approved payments of the
// chosen method, each able to take back what it took minus what was already
// refunded (or is being refunded) against it.
#pragma once

#include <cstdint>
#include <string>

#include "domain/payments/payment_ledger.hpp"

namespace till::domain::payments {

struct RefundSource {
    /// "" when the method is not one of the original tenders: paying out
    /// with it needs "refund.other_tender".
    std::string original_payment_id;
    std::string original_reference;
};

/// Picks the original payment for a refund of `amount_minor` with
/// `method_id` among the approved sale payments of `original_order_id`.
/// `refund_to` ("" = pick the first that can take it) names one. Errors
/// "invalid_argument" naming $.refund_to, $.method_id or $.amount_minor.
sdk::Result<RefundSource> choose_refund_source(sdk::SqlExecutor& tx, const PaymentLedger& ledger,
                                               const std::string& original_order_id, const std::string& method_id,
                                               const std::string& refund_to, std::int64_t amount_minor);

}  // namespace till::domain::payments
