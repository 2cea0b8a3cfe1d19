#include "domain/payments/tender_plan.hpp"

#include <algorithm>
#include <string>

#include "domain/common/body_reader.hpp"
#include "domain/pricing/pricing.hpp"

namespace till::domain::payments {
namespace {

std::string money(std::int64_t minor) { return std::to_string(minor) + " minor units"; }

}  // namespace

sdk::Result<TenderPlan> plan_tender(const TenderRequest& req, const TenderContext& ctx) {
    if (ctx.remaining_minor == 0)
        return sdk::Error{"invalid_state", "the order has nothing left to pay (attempts still pending count as paid "
                                           "until their outcome is known)"};
    TenderPlan plan;
    const bool refund = ctx.remaining_minor < 0;
    plan.kind = refund ? PaymentKind::refund : PaymentKind::sale;
    const std::int64_t owed = refund ? -ctx.remaining_minor : ctx.remaining_minor;
    if (refund && req.tendered_minor)
        return invalid_field("$.tendered_minor", "not used when paying money out (the order's balance is negative)");
    if (refund && req.tip_minor != 0)
        return invalid_field("$.tip_minor", "no tip on money paid out");

    if (!ctx.gives_change) {
        if (req.amount_minor > owed)
            return invalid_field("$.amount_minor", "exceeds the " + money(owed) + (refund ? " to pay out" : " still due") +
                                                       "; this method gives no change");
        if (req.tendered_minor && *req.tendered_minor != req.amount_minor)
            return invalid_field("$.tendered_minor", "only a method that gives change (cash) takes a tendered amount");
        plan.amount_minor = plan.due_minor = plan.tendered_minor = req.amount_minor;
        plan.settles = req.amount_minor == owed;
        return plan;
    }

    // Cash-like: what settles the rest in cash, after rounding.
    const std::int64_t due_rest = pricing::cash_round(owed, ctx.cash_rounding_minor, ctx.rounding_mode);
    const bool settles = req.amount_minor >= std::min(owed, due_rest);
    if (refund && req.amount_minor > std::max(owed, due_rest))
        return invalid_field("$.amount_minor", "exceeds the " + money(due_rest) + " to pay out");
    if (settles) {
        plan.amount_minor = owed;
        plan.due_minor = due_rest;
        plan.rounding_minor = due_rest - owed;
        plan.settles = true;
    } else {
        plan.amount_minor = plan.due_minor = req.amount_minor;
    }
    if (refund) {
        plan.tendered_minor = plan.due_minor;
        return plan;
    }
    // A cash tip is handed over with the payment and stays in the drawer (the
    // register expects it): what the customer owes in cash is due + tip, and
    // only what is handed over beyond that is change.
    const std::int64_t owed_in_cash = plan.due_minor + req.tip_minor;
    // Without tendered_minor: an amount above both the balance and the cash
    // due is the note handed over; otherwise the customer pays exactly.
    const std::int64_t handed = req.amount_minor > std::max(owed, plan.due_minor) ? req.amount_minor : owed_in_cash;
    plan.tendered_minor = req.tendered_minor.value_or(handed);
    if (plan.tendered_minor < owed_in_cash) {
        const char* path = req.tendered_minor ? "$.tendered_minor" : "$.amount_minor";
        return invalid_field(path, "less than the " + money(owed_in_cash) + " due in cash" +
                                       (req.tip_minor > 0 ? " (tip included)" : ""));
    }
    plan.change_minor = plan.tendered_minor - owed_in_cash;
    return plan;
}

}  // namespace till::domain::payments
