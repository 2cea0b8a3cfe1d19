// PaymentService's insides, shared by its source files (flow, voids, routes).
// Not part of the module's interface.
#pragma once

#include <optional>
#include <string>

#include "domain/payments/key_flights.hpp"
#include "domain/payments/payment_ledger.hpp"
#include "domain/payments/payment_service.hpp"
#include "till/sdk/payment.hpp"

namespace till::domain::payments {

struct PaymentService::Impl {
    Impl(DomainContext& c, Authorizer& a, AuditLog& l, OrderSettlement& s, RegisterLookup& r)
        : ctx(c), authorizer(a), audit(l), settlement(s), registers(r), ledger(c.storage.dialect()) {}

    DomainContext& ctx;
    Authorizer& authorizer;
    AuditLog& audit;
    OrderSettlement& settlement;
    RegisterLookup& registers;
    PaymentLedger ledger;
    KeyFlights flights;

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
    void publish(const PaymentRecord& record) const;
    sdk::Result<std::string> original_reference_of(const std::string& original_payment_id);
};

/// Idempotency keys the node makes itself (e.g. a void's key sent to the
/// method) start with this; a client's key may not, so the two never meet at
/// a payment provider.
inline constexpr const char* kReservedKeyPrefix = "till:";
inline bool is_reserved_key(const std::string& key) { return key.rfind(kReservedKeyPrefix, 0) == 0; }

/// The canonical text of a request, to tell a retry from another request.
std::string request_fingerprint(const TakePaymentRequest& request);
/// The event topic for a payment's current state.
std::string topic_for(const PaymentRecord& record);

}  // namespace till::domain::payments
