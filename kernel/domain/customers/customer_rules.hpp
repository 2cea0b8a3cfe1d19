// The customer directory's rules, as pure functions (no storage, no clock):
// text checks, email and phone validation and normalisation, the display
// name made from other fields, what a patch changes, and the search terms
// of a record. Errors are "invalid_argument" with a message that starts
// with the JSON path of the field ("$.email: ...").
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "domain/customers/customer_model.hpp"

namespace till::domain::customers {

/// Longest accepted values, in bytes.
namespace limits {
inline constexpr std::size_t name_bytes = 100;          ///< given_name, family_name
inline constexpr std::size_t display_name_bytes = 200;
inline constexpr std::size_t email_bytes = 254;
inline constexpr std::size_t phone_bytes = 40;
inline constexpr std::size_t note_bytes = 2000;
inline constexpr std::size_t reference_bytes = 100;     ///< tax_exempt_reference
inline constexpr std::size_t phone_min_digits = 4;
inline constexpr std::size_t phone_max_digits = 15;     ///< E.164
}  // namespace limits

/// `text` without leading and trailing ASCII white space.
std::string trim(std::string_view text);

/// Well-formed UTF-8 without NUL: what may reach storage as a query
/// parameter (PostgreSQL refuses other bytes, which would be a 500). The
/// check is domain::check_text; this names it for the customer routes.
bool is_clean_text(std::string_view text);

/// Lower case for ASCII and the Latin-1 letters (À-Þ → à-þ); other bytes
/// unchanged. Search and email comparison use it.
std::string fold_case(std::string_view text);

/// The email as stored (trimmed), or an error for `json_path`. "" stays "".
/// Accepted: local@domain with no spaces or control characters, one '@', a
/// domain with a dot, its labels of letters, digits and '-'.
sdk::Result<std::string> checked_email(std::string_view raw, const std::string& json_path);
/// The key duplicates are found by: the folded email.
std::string email_key(std::string_view email);

/// Digits only, a leading '+' kept ("+44 20 7946-0958" → "+442079460958");
/// an error for `json_path` when the number has characters other than
/// digits, spaces and . - ( ) /, a '+' anywhere but first, or not 4 to 15
/// digits. "" stays "".
sdk::Result<std::string> normalized_phone(std::string_view raw, const std::string& json_path);

/// A new customer checked and normalised (id, times, version and stamps are
/// left for the service). Errors name the JSON path.
sdk::Result<Customer> customer_from_new(const NewCustomer& input);

/// The result of applying a patch: the record after it and the names of the
/// fields whose value changed (in stamped_fields() order).
struct PatchOutcome {
    Customer after;
    std::vector<std::string> changed_fields;
};
/// Applies `patch` to `current` (version and stamps untouched). Errors name
/// the JSON path.
sdk::Result<PatchOutcome> apply_patch(const Customer& current, const CustomerPatch& patch);

/// Does the patch change the tax exemption (flag or reference)?
bool changes_tax_exemption(const PatchOutcome& outcome);

/// The search terms of a record: each word of the display, given and family
/// names (folded, split on spaces and punctuation), the folded email, and
/// the phone digits. No duplicates.
std::vector<std::string> search_terms(const Customer& customer);

/// The words of a search query, folded (split on white space).
std::vector<std::string> query_words(std::string_view query);

/// Digits of a query word when it looks like a phone number (only digits,
/// spaces and + . - ( ) /, at least 3 digits); "" otherwise.
std::string phone_digits_of(std::string_view word);

}  // namespace till::domain::customers
