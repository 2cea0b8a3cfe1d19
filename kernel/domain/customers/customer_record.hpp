// The customer as sync carries it and as the conflict policies merge it:
// the record shape of script/conflict_resolver.hpp,
//   {"id": "...", "fields": {"display_name": ..., "email": ..., ...},
//    "hlc": {"display_name": "<wall_ms:15>-<counter:5>-<node_id>", ...},
//    "version": N, "created_utc_ms": N}
// `fields` holds every stamped field (stamped_fields()) with its value ("" or
// false when empty, never null, so the policy never reads a field as
// deleted); `hlc` the field stamps as text (same format as
// script::format_hlc: they compare as strings in stamp order). `version` is
// the sending node's own counter (versions are per node; the merge ignores
// them).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "domain/customers/customer_model.hpp"
#include "till/sdk/status.hpp"
#include "till/sdk/value.hpp"

namespace till::domain::customers {

/// "001763770000000-00003-store-1".
std::string format_stamp(const FieldStamp& stamp);
/// The reverse; nullopt when `text` is not such a stamp.
std::optional<FieldStamp> parse_stamp(std::string_view text);

/// The record of `customer`.
sdk::Value customer_record(const Customer& customer);

/// A customer from a record (validated as the API validates input: email,
/// phone, lengths; phone_normalized derived). A field missing from `fields`
/// (deleted by a policy) reads as empty. Errors "invalid_argument" naming
/// the JSON path ("$.fields.email: ...").
sdk::Result<Customer> customer_from_record(const sdk::Value& record);

/// Whether two customers hold the same fields and stamps (versions and
/// times aside).
bool same_fields_and_stamps(const Customer& a, const Customer& b);

}  // namespace till::domain::customers
