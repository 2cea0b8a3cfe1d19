// The domain's error codes and how the API answers them. Domain functions
// return sdk::Error{code, message}; route handlers turn it into problem+json
// with to_problem(). A message that starts with a JSON path ("$.x.y: ...")
// has that path put in the problem's `json_path` member.
#pragma once

#include <string_view>

#include "till/sdk/http.hpp"
#include "till/sdk/status.hpp"

namespace till::domain {

namespace error_code {
inline constexpr std::string_view invalid_argument = "invalid_argument";    ///< 422 (bad field value)
inline constexpr std::string_view bad_request = "bad_request";              ///< 400 (malformed request)
inline constexpr std::string_view not_found = "not_found";                  ///< 404
inline constexpr std::string_view conflict = "conflict";                    ///< 409 (duplicate, stale version)
inline constexpr std::string_view invalid_state = "invalid_state";          ///< 409 (transition refused)
inline constexpr std::string_view unauthorized = "unauthorized";            ///< 401 (no or bad token)
inline constexpr std::string_view forbidden = "forbidden";                  ///< 403
inline constexpr std::string_view override_required = "override_required";  ///< 403, a supervisor may authorise
inline constexpr std::string_view locked = "locked";                        ///< 423 (PIN lockout)
inline constexpr std::string_view payment_declined = "payment_declined";    ///< 402
inline constexpr std::string_view unavailable = "unavailable";              ///< 503 (plugin or device missing)
inline constexpr std::string_view not_implemented = "not_implemented";      ///< 501
}  // namespace error_code

/// HTTP status for a domain error code; 500 for codes not listed above
/// (storage failures and other server faults).
int http_status_for(std::string_view code) noexcept;

/// problem+json for `error`; the problem's `code` member carries error.code.
sdk::HttpResponse to_problem(const sdk::Error& error);

}  // namespace till::domain
