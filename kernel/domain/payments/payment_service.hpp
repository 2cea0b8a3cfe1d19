// PaymentService: tenders on orders through payment-method plugins, recorded
// in an append-only ledger so a retried request never charges twice.
//
//   PaymentService payments(ctx, people, audit, orders, registers);
//   payments.start();                 // "domain.payments" migrations
//   payments.add_routes(router);
//   RegisterService registers(..., /*tenders=*/payments);
//
// A payment attempt, step by step (the plugin is never called inside a
// storage transaction):
//   1. one transaction: the request's idempotency key is looked up; a new key
//      gets a payment row in state `pending` with the register session of
//      the caller's terminal (required) — committed before anything else;
//   2. the method's sale() (or refund()) runs, outside any transaction;
//   3. one transaction: the outcome is appended as the payment's next event;
//      when it brings the order's balance to 0, OrderSettlement::settle runs
//      in that same transaction; after the commit, after_settled() and the
//      events (payment.recorded / .refunded / .declined / .failed /
//      .uncertain) are published.
// The same key again returns the recorded payment (no second plugin call);
// with a different request it is refused ("conflict"). A key left pending
// (the process died during step 2) or uncertain asks the method's
// query_status(key) first, and calls sale() again only when the provider
// never saw it. Keys in flight in this process are waited for, not raced.
//
// The ledger's status model: the status is the latest payment_events row;
// rows are only ever appended (see payment_ledger.hpp).
//
// Resolving without the client: an attempt left pending or uncertain (the
// till's app crashed, the answer was lost) is asked about with the method's
// query_status(key) — never sale() or refund() again — by
// POST /api/v1/payments/{payment_id}/resolve and by a background resolver
// thread. The node calls, in this order:
//   payments.start(); payments.add_routes(router);   // before plugins start
//   ... plugins start ...
//   payments.start_resolver();                       // after plugins started
//   ... at shutdown ...
//   payments.stop();                                 // before plugins stop
// The outcome is recorded exactly as a client's resend would record it
// (approved settles the order when it becomes fully paid; declined and
// failed are recorded; uncertain stays for the next round), under the same
// in-process key claim as a resend, so the two never both record.
//
// Tips: every figure that reports a tip (X/Z tender totals, a void sent to
// the method, the payment's approved_tip_minor) uses the tip the provider
// approved, recorded with the outcome (see approved_tip() in
// payment_record.hpp); tip_minor stays the tip that was asked for.
//
// Thread-safe after start().
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "domain/common/audit.hpp"
#include "domain/common/auth.hpp"
#include "domain/common/context.hpp"
#include "domain/common/settlement.hpp"
#include "domain/orders/order_payments.hpp"
#include "till/sdk/http.hpp"
#include "till/sdk/status.hpp"
#include "till/sdk/value.hpp"

namespace till::api {
class Router;
}

namespace till::domain::payments {

/// A payment request (POST /api/v1/orders/{order_id}/payments).
struct TakePaymentRequest {
    std::string order_id;
    std::string method_id;
    std::int64_t amount_minor = 0;
    std::optional<std::int64_t> tendered_minor;
    std::int64_t tip_minor = 0;
    std::string idempotency_key;
    std::string refund_to;  ///< a return: the original sale's payment to refund ("" = pick one)
};

/// What a recorded payment attempt came to.
struct PaymentAnswer {
    /// 201 approved (new attempt), 200 approved (the recorded result of a
    /// repeated key), 202 uncertain, 402 declined, 503 failed before the
    /// provider.
    int http_status = 201;
    sdk::Value payment;          ///< the payment as the API shows it
    bool replayed = false;       ///< the key was known: no new attempt was made
    bool order_settled = false;  ///< this request settled the order
    std::int64_t remaining_minor = 0;  ///< what the order still owes (signed) after it
};

/// The background resolver's pace (start_resolver()).
struct ResolverSettings {
    /// Time between two rounds.
    std::int64_t interval_ms = 15000;
    /// An attempt created less than this ago is left alone: its own request
    /// may still be waiting for the method (which may take up to 60 s).
    std::int64_t grace_ms = 120000;
    /// Attempts asked about per round (each query_status may block for the
    /// method's status timeout); the next round goes on after the last one
    /// asked, so a stubborn attempt does not starve the others.
    std::size_t max_per_round = 20;
};

class PaymentService final : public TenderTotalsSource, public OrderPaymentsSource {
public:
    /// Every reference must outlive the service.
    PaymentService(DomainContext& ctx, Authorizer& authorizer, AuditLog& audit, OrderSettlement& settlement,
                   RegisterLookup& registers, ResolverSettings resolver = {});
    ~PaymentService() override;
    PaymentService(const PaymentService&) = delete;
    PaymentService& operator=(const PaymentService&) = delete;

    /// Applies the "domain.payments" migrations and the append-only guards.
    sdk::Status start();
    /// POST|GET /api/v1/orders/{order_id}/payments, GET /api/v1/payments/{payment_id},
    /// POST /api/v1/payments/{payment_id}/void, POST /api/v1/payments/{payment_id}/resolve,
    /// GET /api/v1/payment-methods (owner "kernel").
    sdk::Status add_routes(api::Router& router);
    /// Starts the resolver thread: every interval_ms, resolve_open_payments().
    /// Call after the plugins started (it calls payment methods). Error
    /// "invalid_state" when it already runs.
    sdk::Status start_resolver();
    /// Stops the resolver thread and waits for it (a round in progress ends
    /// after the payment it is asking about). Call before the plugins stop.
    /// Idempotent; the destructor calls it too.
    void stop();

    /// One resolver round, on the calling thread: up to max_per_round
    /// pending/uncertain attempts created at least grace_ms ago (by the
    /// service's clock) are asked about with query_status and their outcome
    /// recorded. An attempt whose key a request is working on in this
    /// process is skipped (that request records it). Returns how many
    /// attempts got an outcome (left pending/uncertain: not counted). Never
    /// inside a storage transaction while calling a method.
    std::size_t resolve_open_payments();
    /// Resolves one payment now for `by` (authorised for "payment.take"):
    /// closed attempts are answered as recorded; an open one is asked about
    /// with query_status as above (waiting for a request in flight on its
    /// key first). An attempt still `pending` and younger than grace_ms
    /// records only a definite answer (approved / declined): "never saw it"
    /// may just mean its request has not reached the provider yet. Errors:
    /// "not_found", "unavailable" (the method is not running).
    sdk::Result<PaymentAnswer> resolve_payment(const Authorization& by, const std::string& payment_id);

    /// Takes (or, on a return, pays out) one payment for `by`, who was
    /// authorised for "payment.take". `request` is the HTTP request, for a
    /// refund to another tender that needs "refund.other_tender" (override
    /// token header). An attempt that was recorded is an answer (even when
    /// declined); errors are refusals before any attempt: "invalid_argument"
    /// (JSON path), "not_found", "conflict" (key reused with another
    /// request), "invalid_state" (no open register session, order not
    /// payable), "unavailable" (method missing), "forbidden" /
    /// "override_required".
    sdk::Result<PaymentAnswer> take_payment(const Authorization& by, const TakePaymentRequest& request,
                                            const sdk::HttpRequest& http);
    /// Voids an approved sale payment of an order not settled yet, or of a
    /// voided order (method must support voids). Idempotent: voiding a voided payment answers it.
    sdk::Result<sdk::Value> void_payment(const Authorization& by, const std::string& payment_id,
                                         const std::string& reason);
    /// The payment with its event history ("not_found").
    sdk::Result<sdk::Value> get_payment(const std::string& payment_id);
    /// The order's payments, oldest first, and its balance:
    /// {"items", "next", "total_minor", "paid_minor", "remaining_minor"}.
    sdk::Result<sdk::Value> list_payments(const std::string& order_id, std::int64_t offset, std::int64_t limit);
    /// Payment methods the plugins registered, with their capabilities.
    sdk::Value list_methods() const;

    // TenderTotalsSource: per method, approved sales (money taken, after cash
    // rounding, change excluded) and refunds (paid out) of the session.
    sdk::Result<std::vector<TenderTotals>> tender_totals(sdk::SqlExecutor& tx, const std::string& session_id) override;

    // OrderPaymentsSource: the order's payments as list_payments() items,
    // read in `tx`, for the order the orders module records for HQ
    // (OrderService::use_payments(payments)).
    sdk::Result<sdk::Value> order_payments(sdk::SqlExecutor& tx, const std::string& order_id) override;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace till::domain::payments
