// The customer record, the inputs that create and change one, and the
// per-field change stamps that make a per-field last-writer-wins merge
// possible when a store and HQ both edited the same customer
// (docs/domain/customers.md, "Field stamps").
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "till/sdk/status.hpp"
#include "till/sdk/value.hpp"

namespace till::domain::customers {

/// A hybrid-logical-clock stamp: wall time, a counter that orders writes
/// within one wall millisecond (or while the wall clock stands behind an
/// earlier stamp), and the node that wrote. Stamps compare as the tuple
/// (utc_ms, counter, node_id); the larger one is the later write.
struct FieldStamp {
    std::int64_t utc_ms = 0;
    std::int64_t counter = 0;
    std::string node_id;

    auto operator<=>(const FieldStamp&) const = default;
};

/// Names of the fields that carry a stamp, in a stable order:
/// display_name, given_name, family_name, email, phone, note, tax_exempt,
/// tax_exempt_reference, marketing_opt_in, active.
const std::vector<std::string>& stamped_fields();

struct Customer {
    std::string id;  ///< UUIDv7
    std::string display_name;
    std::string given_name;
    std::string family_name;
    std::string email;             ///< as entered (trimmed); "" = none
    std::string phone;             ///< as entered (trimmed); "" = none
    std::string phone_normalized;  ///< digits only, a leading '+' kept; "" = none
    std::string note;
    bool tax_exempt = false;
    std::string tax_exempt_reference;
    bool marketing_opt_in = false;
    bool active = true;
    std::int64_t created_utc_ms = 0;
    std::int64_t updated_utc_ms = 0;
    std::int64_t version = 1;  ///< 1 at creation, +1 per committed change
    std::map<std::string, FieldStamp> field_stamps;
};

/// What POST /api/v1/customers gives. Absent = default ("" / false).
struct NewCustomer {
    std::optional<std::string> display_name;  ///< absent = made from the names, email or phone
    std::string given_name;
    std::string family_name;
    std::string email;
    std::string phone;
    std::string note;
    bool tax_exempt = false;
    std::string tax_exempt_reference;
    bool marketing_opt_in = false;
};

/// What PATCH /api/v1/customers/{id} gives: only present fields change;
/// "" clears a text field (never display_name).
struct CustomerPatch {
    std::int64_t expected_version = 0;
    std::optional<std::string> display_name;
    std::optional<std::string> given_name;
    std::optional<std::string> family_name;
    std::optional<std::string> email;
    std::optional<std::string> phone;
    std::optional<std::string> note;
    std::optional<bool> tax_exempt;
    std::optional<std::string> tax_exempt_reference;
    std::optional<bool> marketing_opt_in;
    std::optional<bool> active;
};

/// The customer as the API shows it (and as events carry it).
sdk::Value customer_to_value(const Customer& customer);

/// field_stamps as stored and shown: {"email": {"utc_ms": N, "counter": N,
/// "node_id": "..."}, ...}.
sdk::Value stamps_to_value(const std::map<std::string, FieldStamp>& stamps);
/// The reverse; entries that are not well-formed stamps are skipped.
std::map<std::string, FieldStamp> stamps_from_value(const sdk::Value& value);

}  // namespace till::domain::customers
