// A payment attempt as the ledger keeps it: the request (immutable, written
// once when the attempt starts) and its current state (the latest of its
// append-only events). Plain data; see payment_ledger.hpp for storage.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "till/sdk/value.hpp"

namespace till::domain::payments {

/// Where a payment attempt is. Moves only forward:
///   pending → approved | declined | failed | uncertain
///   uncertain → approved | declined | failed
///   approved → voided            (a sale payment voided before the order settled)
enum class PaymentStatus { pending, approved, declined, failed, uncertain, voided };

const char* status_name(PaymentStatus status) noexcept;
std::optional<PaymentStatus> parse_status(std::string_view name) noexcept;
/// True when `to` may follow `from` (see the diagram above).
bool may_follow(PaymentStatus from, PaymentStatus to) noexcept;
/// pending and uncertain: the outcome is not known yet.
inline bool is_open(PaymentStatus s) noexcept { return s == PaymentStatus::pending || s == PaymentStatus::uncertain; }

/// sale: money from the customer towards a positive balance; refund: money
/// paid out towards a negative balance (a return order).
enum class PaymentKind { sale, refund };
const char* kind_name(PaymentKind kind) noexcept;

/// One row of payment_events: a state the payment reached.
struct PaymentOutcomeRecord {
    PaymentStatus status = PaymentStatus::pending;
    std::int64_t approved_minor = 0;  ///< money that moved in this tender (cash: after rounding, change excluded)
    std::int64_t applied_minor = 0;   ///< what counts against the order balance (0 unless approved)
    /// The tip the provider approved with this state (0 unless approved): see
    /// approved_tip(). Tips reported anywhere (X/Z, voids) use this, never
    /// the requested PaymentRecord::tip_minor.
    std::int64_t approved_tip_minor = 0;
    std::string reference;            ///< provider's reference
    std::string masked_pan;
    std::string brand;
    std::string message;
    sdk::Value details;               ///< method extras (a map or null)
    std::string user_id;              ///< who caused this state change
};

/// A payment row with its latest event.
struct PaymentRecord {
    std::string payment_id;
    std::string idempotency_key;
    std::string request_json;         ///< canonical request, to tell a retry from a different request
    std::string order_id;
    PaymentKind kind = PaymentKind::sale;
    std::string method_id;
    std::string currency;
    std::int64_t amount_minor = 0;    ///< requested against the balance (> 0; a refund's payout too)
    std::int64_t due_minor = 0;       ///< money asked of the tender: amount after cash rounding
    std::int64_t rounding_minor = 0;  ///< due − amount (cash rounding; 0 otherwise)
    std::int64_t tendered_minor = 0;  ///< handed over by the customer (cash), else = due
    std::int64_t change_minor = 0;    ///< tendered − due
    std::int64_t tip_minor = 0;
    std::string original_payment_id;  ///< refunds: the sale payment taken back ("" = another tender)
    std::string session_id;
    std::string terminal_id;
    std::string user_id;
    std::string authorized_by;        ///< supervisor of an override, else ""
    std::int64_t created_utc_ms = 0;

    // The latest event.
    int step = 0;
    std::int64_t updated_utc_ms = 0;
    PaymentOutcomeRecord outcome;
};

/// The tip an approval covers, in [0, requested_tip_minor] (no floats, no
/// proportions): the method's own figure `details.approved_tip_minor` when it
/// gives one (an integer; clamped to the requested tip); otherwise the whole
/// requested tip for a full approval and 0 for a partial one (a provider that
/// approved less and did not say the tip was covered is not assumed to have
/// charged it).
std::int64_t approved_tip(const sdk::Value& details, std::int64_t requested_tip_minor, bool full_approval) noexcept;

/// The payment as the API shows it.
sdk::Value to_value(const PaymentRecord& record);

}  // namespace till::domain::payments
