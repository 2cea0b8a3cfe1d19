// How much one payment request takes or pays out, given what the order still
// owes: split tender, change for cash-like methods, cash rounding. Pure
// arithmetic, no I/O.
//
// remaining = order total − approved payments (refunds count negative)
//             − attempts still pending/uncertain.
// remaining > 0: a sale payment; < 0: a refund (paid out); 0: nothing to pay.
//
// A cash-like method (capability gives_change) settles the rest when its
// amount reaches what is due in cash: the remaining balance rounded to
// `cash_rounding_minor` (e.g. 1.02 → 1.00 at 0.05). The payment then applies
// the whole remaining balance, asks the tender for the rounded amount and
// records the difference as rounding_minor (due − applied), so the order
// books to the cent and the drawer counts what really went in. Anything
// handed over beyond the due amount and the tip is change (tendered − due −
// tip: a cash tip stays in the drawer, where the register expects it). Other
// methods can never take more than the remaining balance.
#pragma once

#include <cstdint>
#include <optional>

#include "domain/common/settings.hpp"
#include "domain/payments/payment_record.hpp"
#include "till/sdk/status.hpp"

namespace till::domain::payments {

struct TenderRequest {
    std::int64_t amount_minor = 0;                ///< > 0
    std::optional<std::int64_t> tendered_minor;   ///< cash: what the customer hands over
    std::int64_t tip_minor = 0;
};

struct TenderContext {
    std::int64_t remaining_minor = 0;   ///< signed, see above
    bool gives_change = false;          ///< the method is cash-like
    std::int64_t cash_rounding_minor = 0;
    RoundingMode rounding_mode = RoundingMode::half_up;
};

struct TenderPlan {
    PaymentKind kind = PaymentKind::sale;
    std::int64_t amount_minor = 0;    ///< applied to the balance if approved (positive)
    std::int64_t due_minor = 0;       ///< asked of the tender (positive)
    std::int64_t rounding_minor = 0;  ///< due − amount
    std::int64_t tendered_minor = 0;
    std::int64_t change_minor = 0;
    bool settles = false;             ///< approving it brings the balance to 0
};

/// The plan, or an error: "invalid_state" when nothing is left to pay,
/// "invalid_argument" naming $.amount_minor / $.tendered_minor / $.tip_minor.
sdk::Result<TenderPlan> plan_tender(const TenderRequest& request, const TenderContext& context);

}  // namespace till::domain::payments
