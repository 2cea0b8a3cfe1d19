// PaymentService's insides, shared by its source files (flow, voids, routes).
// Not part of the module's interface.
#pragma once

#include <mutex>
#include <optional>
#include <string>

#include "domain/payments/key_flights.hpp"
#include "domain/payments/periodic_worker.hpp"
#include "domain/payments/payment_ledger.hpp"
#include "domain/payments/payment_service.hpp"
#include "till/sdk/payment.hpp"

namespace till::domain::payments {

struct PaymentService::Impl {
    Impl(DomainContext& c, Authorizer& a, AuditLog& l, OrderSettlement& s, RegisterLookup& r, ResolverSettings rs)
        : ctx(c), authorizer(a), audit(l), settlement(s), registers(r), ledger(c.storage.dialect()), resolver(rs) {}

    DomainContext& ctx;
    Authorizer& authorizer;
    AuditLog& audit;
    OrderSettlement& settlement;
    RegisterLookup& registers;
    PaymentLedger ledger;
    KeyFlights flights;
    ResolverSettings resolver;
    /// Where the next resolver round goes on (see ResolverSettings::max_per_round).
    OpenCursor resolver_cursor;
    std::mutex resolver_round_mutex;  ///< one round at a time (thread and callers)

    /// The outcome of a recorded attempt, as an answer.
    PaymentAnswer answer_for(const PaymentRecord& record, bool replayed) const;
    /// Calls the method for `record` (sale or refund) outside any transaction.
    sdk::PaymentResponse call_method(sdk::PaymentMethod& method, const PaymentRecord& record,
                                     const std::string& original_reference) const;
    /// Appends the outcome of `response` to `payment_id` (and settles the
    /// order when it is paid in full), then publishes.
    sdk::Result<PaymentAnswer> record_outcome(const Authorization& by, const std::string& payment_id,
                                              const sdk::PaymentResponse& response);
    /// A known key: answers the recorded result, resolving a pending or
    /// uncertain attempt with query_status first.
    sdk::Result<PaymentAnswer> resume(const Authorization& by, const PaymentRecord& record);
    /// Asks the method about the open attempt `payment_id` (query_status
    /// only) and records the answer as resume() would. `wait` says whether to
    /// wait for a request in flight on its key; when not waiting and the key
    /// is busy: nullopt. See PaymentService::resolve_payment.
    enum class KeyWait { wait, skip_if_busy };
    sdk::Result<std::optional<PaymentAnswer>> resolve(const Authorization& by, const std::string& payment_id,
                                                      KeyWait wait);
    void publish(const PaymentRecord& record) const;
    sdk::Result<std::string> original_reference_of(const std::string& original_payment_id);

    // Last: stopped (joined) before anything it uses is destroyed.
    PeriodicWorker worker;
};

/// Idempotency keys the node makes itself (e.g. a void's key sent to the
/// method) start with this; a client's key may not, so the two never meet at
/// a payment provider.
inline constexpr const char* kReservedKeyPrefix = "till:";
inline bool is_reserved_key(const std::string& key) { return key.rfind(kReservedKeyPrefix, 0) == 0; }

/// The principal the resolver thread records outcomes as (user_id), at the
/// attempt's own terminal (so a settlement lands where a resend would put it).
inline constexpr const char* kResolverUserId = "till:payments-resolver";

/// The canonical text of a request, to tell a retry from another request.
std::string request_fingerprint(const TakePaymentRequest& request);
/// The event topic for a payment's current state.
std::string topic_for(const PaymentRecord& record);

}  // namespace till::domain::payments
