// The payments ledger in storage. Append-only: a payment row is inserted once
// (the request), and every state it reaches is a new payment_events row with
// the next step number; the payment's status is its latest event. Nothing is
// ever updated or deleted (triggers refuse it, see payment_schema.hpp).
//
// Every function runs inside the caller's transaction `tx`. Concurrency: the
// (payment_id, step) primary key makes two writers racing to append to one
// payment collide, and the UNIQUE idempotency key makes two attempts with
// one key collide; lock_order() serialises payments of one order on
// PostgreSQL (SQLite transactions are already serialised).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/common/settlement.hpp"
#include "domain/payments/payment_record.hpp"
#include "till/sdk/status.hpp"
#include "till/sdk/storage.hpp"

namespace till::domain::payments {

/// Where a scan of open attempts stopped: the last (created, id) seen.
struct OpenCursor {
    std::int64_t created_utc_ms = -1;
    std::string payment_id;
};

/// One payment_events row, for a payment's history.
struct PaymentEventRow {
    int step = 0;
    std::int64_t time_utc_ms = 0;
    PaymentOutcomeRecord outcome;
};

class PaymentLedger {
public:
    explicit PaymentLedger(sdk::Dialect dialect) : dialect_(dialect) {}

    /// Holds a transaction-scoped lock on `order_id`'s payments (PostgreSQL
    /// advisory lock; nothing on SQLite, whose write transactions are serial).
    sdk::Status lock_order(sdk::SqlExecutor& tx, const std::string& order_id) const;

    sdk::Result<std::optional<PaymentRecord>> find(sdk::SqlExecutor& tx, const std::string& payment_id) const;
    sdk::Result<std::optional<PaymentRecord>> find_by_key(sdk::SqlExecutor& tx, const std::string& key) const;
    /// Every attempt on the order, oldest first.
    sdk::Result<std::vector<PaymentRecord>> for_order(sdk::SqlExecutor& tx, const std::string& order_id) const;
    /// Refund attempts that took back `original_payment_id`.
    sdk::Result<std::vector<PaymentRecord>> refunds_of(sdk::SqlExecutor& tx,
                                                       const std::string& original_payment_id) const;
    /// Up to `limit` attempts now pending or uncertain, created at or before
    /// `created_by_utc_ms`, after `after` in (created_utc_ms, payment_id)
    /// order, oldest first.
    sdk::Result<std::vector<PaymentRecord>> open_attempts(sdk::SqlExecutor& tx, std::int64_t created_by_utc_ms,
                                                          const OpenCursor& after, std::size_t limit) const;
    sdk::Result<std::vector<PaymentEventRow>> history(sdk::SqlExecutor& tx, const std::string& payment_id) const;

    /// Inserts the attempt with its first event (`pending`). `record.outcome`
    /// is ignored. A duplicate idempotency key fails with "conflict" (even
    /// when another node inserted it concurrently).
    sdk::Status insert(sdk::SqlExecutor& tx, const PaymentRecord& record) const;
    /// Appends the next state of `current` (which must be the latest read in
    /// this transaction). Error "invalid_state" when the move is not forward
    /// (see may_follow): an approved payment never becomes anything but voided.
    sdk::Status append(sdk::SqlExecutor& tx, const PaymentRecord& current, const PaymentOutcomeRecord& next,
                       std::int64_t time_utc_ms) const;

    /// Per method: approved sales and refunds of a register session.
    sdk::Result<std::vector<TenderTotals>> tender_totals(sdk::SqlExecutor& tx, const std::string& session_id) const;

private:
    sdk::Result<std::vector<PaymentRecord>> select(sdk::SqlExecutor& tx, const std::string& where,
                                                   const std::vector<sdk::Value>& params) const;
    sdk::Dialect dialect_;
};

/// What the payments on one order add up to (from its current states).
struct OrderPaymentSums {
    std::int64_t applied_minor = 0;   ///< approved sales − approved refunds, against the balance
    std::int64_t reserved_minor = 0;  ///< pending/uncertain attempts, signed the same way
};
OrderPaymentSums sum_payments(const std::vector<PaymentRecord>& payments);

}  // namespace till::domain::payments
