// Till SDK — payment methods (tenders): cash, card terminals, gift cards,
// vouchers, external wallets.
//
// Every request carries an idempotency key made by the kernel and stored in
// its payments ledger before the call. A method must treat a repeated key as
// the same request: never charge twice. When an answer is lost (timeout,
// disconnect) return PaymentOutcome::uncertain; the kernel then asks
// query_status() with the same key before it retries.
//
// Never return or log a full card number, CVV or track data: only a masked
// PAN ("************4242"), the brand and the provider's reference.
//
// Threading: calls for different payments may run at once on different
// threads. Calls may block up to `timeout_ms` (a card terminal waiting for
// the customer); they never block longer.
#pragma once

#include <cstdint>
#include <string>

#include "till/sdk/types.hpp"
#include "till/sdk/value.hpp"

namespace till::sdk {

enum class PaymentOutcome {
    approved,
    partially_approved,  ///< approved for less than requested: see approved
    declined,
    uncertain,           ///< the outcome is unknown: query_status before retrying
    failed,              ///< not attempted or failed before reaching the provider
};

struct PaymentRequest {
    std::string idempotency_key;
    std::string order_id;
    Money amount;
    std::int64_t tip_minor = 0;
    std::string original_reference;  ///< for refunds and voids: the sale's reference
    std::int64_t timeout_ms = 60000;
};

struct PaymentResponse {
    PaymentOutcome outcome = PaymentOutcome::failed;
    Money approved;
    std::string reference;    ///< provider's reference, for refunds and voids
    std::string masked_pan;   ///< cards only
    std::string brand;        ///< cards only
    std::string message;      ///< for the cashier and the log
    Value details;            ///< method-specific extras (no secrets)
};

struct PaymentCapabilities {
    bool refunds = false;
    bool voids = false;
    bool partial_approval = false;
    bool tips = false;
    bool gives_change = false;  ///< cash-like: overpayment becomes change
};

class PaymentMethod {
public:
    virtual ~PaymentMethod();
    /// Stable id in the node, e.g. "cash" or "card".
    virtual std::string id() const = 0;
    virtual std::string display_name() const = 0;
    virtual PaymentCapabilities capabilities() const = 0;
    virtual PaymentResponse sale(const PaymentRequest& request) = 0;
    virtual PaymentResponse refund(const PaymentRequest& request) = 0;
    virtual PaymentResponse void_payment(const PaymentRequest& request) = 0;
    /// The outcome of an earlier request with this idempotency key; returns
    /// outcome `failed` with a message when the provider never saw it.
    virtual PaymentResponse query_status(const std::string& idempotency_key) = 0;
};

}  // namespace till::sdk
