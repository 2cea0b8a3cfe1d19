// The seams between orders, payments and registers.
//
// Payments ask orders what is due and tell them when it is settled; orders
// and payments ask registers which session a terminal has open; registers
// ask orders and payments for a session's totals (X and Z reports).
// Every call taking `tx` runs inside the caller's transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/common/auth.hpp"
#include "till/sdk/status.hpp"
#include "till/sdk/storage.hpp"

namespace till::domain {

/// What an order owes, for the payments module.
struct OrderBalance {
    std::string order_id;
    std::string state;              ///< "open" | "submitted" | "paid" | "closed" | "voided" | ...
    bool is_return = false;         ///< a return/exchange: a negative total is paid out
    std::string original_order_id;  ///< for returns: the sale refunded
    std::int64_t total_minor = 0;   ///< signed: negative when money goes back to the customer
    std::string currency;
    std::int64_t version = 0;
};

/// Implemented by the orders module.
class OrderSettlement {
public:
    virtual ~OrderSettlement();
    /// Error "not_found" when there is no such order.
    virtual sdk::Result<OrderBalance> balance(sdk::SqlExecutor& tx, const std::string& order_id) = 0;
    /// Called by payments, in the transaction that records the payment which
    /// makes the order fully paid (or fully refunded): moves the order to
    /// "paid" (a sale) or "refunded" (a return), writes its stock movements
    /// and audit entries. Error "invalid_state" when the order cannot be
    /// settled (already settled, voided, still open and not submittable).
    virtual sdk::Status settle(sdk::SqlExecutor& tx, const std::string& order_id, const Authorization& by) = 0;
    /// After the settling transaction committed: runs the order type's on_paid
    /// hook and publishes order.paid / order.refunded and low-stock events.
    virtual void after_settled(const std::string& order_id) = 0;
};

/// Implemented by the registers module.
class RegisterLookup {
public:
    virtual ~RegisterLookup();
    /// The id of the open session of register `register_id` (a terminal id),
    /// or nullopt when it has none.
    virtual sdk::Result<std::optional<std::string>> open_session(sdk::SqlExecutor& tx,
                                                                 const std::string& register_id) = 0;
};

/// A session's sales, for X and Z reports.
struct OrderTotals {
    std::int64_t sales_count = 0;          ///< sales settled (paid) in the session
    std::int64_t sales_gross_minor = 0;    ///< before discounts
    std::int64_t sales_discount_minor = 0;
    std::int64_t sales_tax_minor = 0;
    std::int64_t sales_total_minor = 0;    ///< what customers owed
    std::int64_t returns_count = 0;
    std::int64_t returns_total_minor = 0;  ///< positive: what went back to customers
    std::int64_t returns_tax_minor = 0;
    std::int64_t voids_count = 0;
    std::int64_t voids_total_minor = 0;
};

/// Per tender in a session. Implemented by the payments module.
///
/// Money that moved (sales_minor, refunds_minor) is after cash rounding;
/// orders' totals are before it. rounding_minor is the difference, signed as
/// its effect on what the tender netted: for each approved payment,
/// approved − applied to the order (a sale of 1.02 taken as 1.00 in cash: −2;
/// a refund of 1.02 paid out as 1.00: +2). So, for orders settled entirely by
/// the session's payments,
///   Σ (sales_minor − refunds_minor) = net sales (orders) + Σ rounding_minor.
struct TenderTotals {
    std::string method_id;
    std::int64_t sales_count = 0;
    std::int64_t sales_minor = 0;      ///< approved money taken (after cash rounding, change excluded)
    std::int64_t refunds_count = 0;
    std::int64_t refunds_minor = 0;    ///< positive: approved money paid out (after cash rounding)
    std::int64_t tips_minor = 0;
    std::int64_t rounding_minor = 0;   ///< signed, see above; 0 for methods without cash rounding
    /// Attempts of this method in the session whose outcome is not known yet
    /// (pending or uncertain), oldest first. A register does not close while
    /// any are left: their outcome would land in a closed session.
    std::int64_t pending_count = 0;
    std::vector<std::string> pending_payment_ids{};
};

/// Implemented by the orders module (orders carry their register session id).
class OrderTotalsSource {
public:
    virtual ~OrderTotalsSource();
    virtual sdk::Result<OrderTotals> order_totals(sdk::SqlExecutor& tx, const std::string& session_id) = 0;
};

/// Implemented by the payments module (payments carry their register session id).
class TenderTotalsSource {
public:
    virtual ~TenderTotalsSource();
    /// One entry per method with an approved or still open (pending,
    /// uncertain) payment in the session, by method id.
    virtual sdk::Result<std::vector<TenderTotals>> tender_totals(sdk::SqlExecutor& tx,
                                                                 const std::string& session_id) = 0;
};

}  // namespace till::domain
